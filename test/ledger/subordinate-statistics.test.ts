/**
 * A superior body's view of its subordinates' figures (getStatistics with scope=subordinates or
 * authority=<id>) over the one-process stack: Binhai's 纪委 over two street 纪工委 (the authorities file
 * states the relation), cases opened here through the API in each, and the figures per subordinate and
 * in total checked against them; who may ask, and what is refused and how.
 */
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';
import { withSubordinates } from '../support/subordinate-authorities';

let stack: Stack;
const today = beijingDate(Date.now());
const period = { from: today, to: today };
const SUBJECT = '赵某某';
/** Each authority's cases, by the unit of their subject. */
const OPENED: Record<string, string[]> = {
  'bh-tanggu-jgw': ['塘沽街道某社区党委', '塘沽街道某社区党委', '塘沽街道城管科'],
  'bh-xinhe-jgw': ['新河街道某社区党委'],
  'binhai-jw': ['某区发改委'],
  'hz-jyj': ['某中学'],
};

const tokenOf = (roles: string[], authority = 'binhai-jw') => stack.token({ roles, authority, sub: `u-${roles[0]}-${authority}`, name: '测试用户' });
const statistics = async (query: Record<string, string>, roles = ['supervisor'], authority = 'binhai-jw') =>
  request(stack.app).get('/v1/statistics').query({ ...period, ...query }).set('Authorization', `Bearer ${await tokenOf(roles, authority)}`);

beforeAll(async () => {
  stack = await startStack({ app: { authorities: withSubordinates() } });
  for (const [authority, units] of Object.entries(OPENED)) {
    const token = await tokenOf(['officer'], authority);
    for (const organisation of units) {
      await request(stack.app)
        .post('/v1/cases')
        .set('Authorization', `Bearer ${token}`)
        .send({ jurisdiction: authority === 'hz-jyj' ? 'hangzhou-education' : 'binhai', subject: { name: SUBJECT, organisation }, matter: '改革试点中的程序瑕疵', accountability: { reference: '问〔2026〕1号' }, eventDate: today })
        .expect(201);
    }
  }
  // Each case writes its view to the archive; the figures are read from there.
  for (const [authority, units] of Object.entries(OPENED)) {
    const token = await tokenOf(['officer'], authority);
    await eventually(async () => {
      const res = await request(stack.app).get('/v1/ledger').set('Authorization', `Bearer ${token}`).expect(200);
      if (res.body.total !== units.length) throw new Error(`${authority}: ${res.body.total} of ${units.length} views`);
    }, 60_000);
  }
}, 240_000);
afterAll(async () => {
  await stack?.stop();
});

describe('a superior body’s view of its subordinates (getStatistics)', () => {
  it('gives each subordinate’s figures and their total, the total the sum of theirs, nothing personal', async () => {
    const res = await statistics({ scope: 'subordinates' });
    expect(res.status).toBe(200);
    expect(res.body.subordinates.map((s: { authority: string; name: string; cases: number }) => [s.authority, s.name, s.cases])).toEqual([
      ['bh-tanggu-jgw', '中共天津市滨海新区塘沽街道纪律工作委员会', 3],
      ['bh-xinhe-jgw', '中共天津市滨海新区新河街道纪律工作委员会', 1],
    ]);
    expect(res.body.subordinates[0].byUnit).toEqual([
      { unit: '塘沽街道某社区党委', cases: 2 },
      { unit: '塘沽街道城管科', cases: 1 },
    ]);
    // The superior's own case and another authority's are in neither.
    expect(res.body.total).toMatchObject({ cases: 4, applications: 4, exOfficio: 0 });
    for (const figure of ['cases', 'applications', 'exOfficio', 'accepted', 'refused', 'appeals', 'revisions', 'withdrawals'] as const) {
      expect(res.body.total[figure]).toBe(res.body.subordinates.reduce((sum: number, s: Record<string, number>) => sum + s[figure]!, 0));
    }
    expect(res.body.total.byUnit.map((u: { unit: string }) => u.unit).sort()).toEqual([...OPENED['bh-tanggu-jgw']!, ...OPENED['bh-xinhe-jgw']!].filter((u, i, all) => all.indexOf(u) === i).sort());
    expect(JSON.stringify(res.body)).not.toContain(SUBJECT);
    // The caller's own figures still say which subordinates it may read.
    const own = await statistics({});
    expect([own.body.cases, own.body.subordinateAuthorities.map((a: { authority: string }) => a.authority)]).toEqual([1, ['bh-tanggu-jgw', 'bh-xinhe-jgw']]);
  });

  it('gives one subordinate’s figures to the superior’s auditor, the same as the subordinate’s own', async () => {
    const res = await statistics({ authority: 'bh-xinhe-jgw' }, ['auditor']);
    expect(res.status).toBe(200);
    const theirs = await statistics({}, ['supervisor'], 'bh-xinhe-jgw');
    const { subordinateAuthorities: _a, name: _n, ...figures } = res.body;
    const { subordinateAuthorities: _b, ...own } = theirs.body;
    expect(figures).toEqual(own);
    expect(figures).toMatchObject({ authority: 'bh-xinhe-jgw', cases: 1, byUnit: [{ unit: '新河街道某社区党委', cases: 1 }] });
    expect(JSON.stringify(res.body)).not.toContain(SUBJECT);
  });

  it('refuses an authority outside the caller’s reach (403), an unknown one (400 naming the field), and the roles that do not read them (403)', async () => {
    // Another city's authority, the superior itself seen from below, a sibling: none is below the caller's.
    for (const [authority, caller] of [['hz-jyj', 'binhai-jw'], ['binhai-jw', 'bh-tanggu-jgw'], ['bh-xinhe-jgw', 'bh-tanggu-jgw']] as const) {
      const res = await statistics({ authority }, ['supervisor'], caller);
      expect([authority, caller, res.status, res.type]).toEqual([authority, caller, 403, 'application/problem+json']);
      expect(res.body.detail).toContain('不是本机关的下级机关');
    }
    const unknown = await statistics({ authority: 'nowhere-jw' });
    expect([unknown.status, unknown.body.errors]).toEqual([400, [{ field: 'query.authority', message: 'is not a configured authority' }]]);
    const malformed = await statistics({ authority: 'Not An Id' });
    expect([malformed.status, malformed.body.errors[0].field]).toEqual([400, 'query.authority']);
    const both = await statistics({ scope: 'subordinates', authority: 'bh-xinhe-jgw' });
    expect([both.status, both.body.errors[0].field]).toEqual([400, 'query.authority']);
    const badScope = await statistics({ scope: 'everyone' });
    expect([badScope.status, badScope.body.errors[0].field]).toEqual([400, 'query.scope']);
    // A street commission has none below it.
    const none = await statistics({ scope: 'subordinates' }, ['supervisor'], 'bh-tanggu-jgw');
    expect([none.status, none.body.errors[0].field]).toEqual([400, 'query.scope']);
    for (const role of ['officer', 'admin']) {
      const res = await statistics({ scope: 'subordinates' }, [role]);
      expect([role, res.status, res.body.requiredRoles]).toEqual([role, 403, ['supervisor', 'auditor']]);
      expect((await statistics({ authority: 'bh-tanggu-jgw' }, [role])).status).toBe(403);
      expect((await statistics({}, [role])).body.subordinateAuthorities).toEqual([]);
    }
  });

  it('writes each reading of subordinates’ figures to the access log with the authorities read', async () => {
    await statistics({ scope: 'subordinates' }, ['auditor']);
    const rows = await stack.db.query<{ status: number; detail: { scope?: string; authorities?: string[] } | null }>(
      `select status, detail from access_log where operation = 'getStatistics' and sub = $1 order by seq desc limit 1`,
      ['u-auditor-binhai-jw'],
    );
    expect(rows[0]).toMatchObject({ status: 200, detail: { scope: 'subordinates', authorities: ['bh-tanggu-jgw', 'bh-xinhe-jgw'] } });
  });
});
