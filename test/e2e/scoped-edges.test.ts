/**
 * Every edge scoped, on a real stack: a year's preview, the case list, the
 * month view and the .ics feeds show only the caller's authority and only
 * cases the caller may see; feeds belong to a user of an authority, expire
 * and are renewed; no log line holds a feed's token, however its URL is
 * written; binding a subject's account refuses the case's own staff and the
 * authority's; and the calendar is read from the read model, bounded and rate
 * limited, so it answers with no worker running.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import request from 'supertest';
import type { AppDeps } from '../../api/app';
import { addDays, beijingDate } from '../../domain/calendar';
import { publishedSchedules } from '../../services/calendar/published';
import { eventually } from '../support/eventually';
import { appOverStack, startStack, type Stack } from '../support/stack';

// No published schedule from the current year on: a case opened today counts a provisional deadline.
const currentYear = Number(beijingDate(Date.now()).slice(0, 4));
const published = new Map([...publishedSchedules].filter(([year]) => year < currentYear));
const today = beijingDate(Date.now());
const month = { from: addDays(today, -31), to: addDays(today, 120) };

let stack: Stack;
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
let binhaiOfficer: string;
let colleague: string;

beforeAll(async () => {
  stack = await startStack({ publishedSchedules: published });
  binhaiOfficer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'bh-opener', name: '李办案' });
  colleague = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'bh-colleague', name: '周同事' });
});
afterAll(() => stack?.stop());

const appWith = (overrides: Partial<AppDeps>) => appOverStack(stack, overrides);

async function open(token: string, jurisdiction: 'binhai' | 'hangzhou-education', matter = '老旧小区改造中的程序瑕疵'): Promise<string> {
  const res = await request(stack.app)
    .post('/v1/cases')
    .set(auth(token))
    .send({ jurisdiction, subject: { name: '王某', organisation: '某街道党工委' }, matter, accountability: { reference: '问〔2026〕7号' }, eventDate: today })
    .expect(201);
  return res.body.id as string;
}

async function act(token: string, caseId: string, action: string, body: object) {
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(token));
    expect(res.body.availableActions.map((a: { name: string }) => a.name)).toContain(action);
  });
  return request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set(auth(token)).send(body);
}

/** The case's first deadline once its view holds it (so the calendar, which reads views, has it too). */
async function firstDeadline(token: string, caseId: string) {
  return eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(token)).expect(200);
    expect(res.body.freshness.source).toBe('caseView');
    expect(res.body.deadlines?.[0]?.deadline).toBeDefined();
    return res.body.deadlines[0] as { key: string; deadline: string; provisionalYears: number[] };
  });
}

describe('a year’s preview', () => {
  it('shows an authority’s admin only its own authority’s cases; the system administrator every case the load recounts', async () => {
    const binhaiCase = await open(binhaiOfficer, 'binhai');
    const hzOfficer = await stack.token({ roles: ['officer'], authority: 'hz-jyj', sub: 'hz-officer', name: '钱办案' });
    const hzCase = await open(hzOfficer, 'hangzhou-education');
    const [binhaiYears, hzYears] = [(await firstDeadline(binhaiOfficer, binhaiCase)).provisionalYears, (await firstDeadline(hzOfficer, hzCase)).provisionalYears];
    const year = binhaiYears.find((y) => hzYears.includes(y))!;
    expect(year).toBeDefined();
    const schedule = { source: '国办发明电（测试）', holidays: [{ date: `${year}-01-01`, name: '元旦' }], makeUpWorkdays: [] };
    const preview = async (token: string) => {
      const res = await request(stack.app).post(`/v1/calendar/years/${year}/preview`).set(auth(token)).send(schedule).expect(200);
      return { count: res.body.casesToRecount as number, ids: (res.body.cases as { caseId: string }[]).map((c) => c.caseId) };
    };
    const hzAdmin = await preview(await stack.token({ roles: ['admin'], authority: 'hz-jyj', sub: 'hz-admin', name: '管理' }));
    expect(hzAdmin.ids).toContain(hzCase);
    expect(hzAdmin.ids).not.toContain(binhaiCase);
    expect(hzAdmin.count).toBe(hzAdmin.ids.length);
    const system = await preview(await stack.token({ roles: ['system-admin'], authority: 'hz-jyj', sub: 'sys', name: '系统' }));
    expect(system.ids).toEqual(expect.arrayContaining([binhaiCase, hzCase]));
  });
});

describe('a recused officer', () => {
  let caseId: string;
  let byAccount: string;
  let byName: string;
  beforeAll(async () => {
    caseId = await open(binhaiOfficer, 'binhai', '回避测试中的审批瑕疵');
    expect((await act(binhaiOfficer, caseId, 'recordRecusal', { person: { sub: 'bh-recused', name: '孙某' }, reason: '利害关系' })).status).toBe(200);
    expect((await act(binhaiOfficer, caseId, 'recordRecusal', { person: { name: '赵某' }, reason: '亲属关系' })).status).toBe(200);
    byAccount = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'bh-recused', name: '孙某' });
    byName = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'bh-zhao', name: '赵　某' });
    await firstDeadline(binhaiOfficer, caseId);
    // The view holds both recusals.
    await eventually(async () => {
      const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(binhaiOfficer)).expect(200);
      expect(res.body.recusals).toHaveLength(2);
    });
  });

  it('sees in the case list that the case exists and where it stands, not its matter or deadlines', async () => {
    const listed = async (token: string, query: Record<string, string> = {}) =>
      ((await request(stack.app).get('/v1/cases').query({ pageSize: '100', ...query }).set(auth(token)).expect(200)).body.cases as { id: string; matter: string | null; nextDeadline: string | null; stage: string }[]).find(
        (c) => c.id === caseId,
      );
    const seen = await eventually(async () => {
      const row = await listed(colleague);
      expect(row?.nextDeadline).toBeTruthy();
      return row!;
    });
    expect(seen.matter).toBe('回避测试中的审批瑕疵');
    for (const token of [byAccount, byName]) {
      const row = await listed(token);
      expect(row).toMatchObject({ id: caseId, stage: seen.stage, matter: null, nextDeadline: null, redacted: { reason: 'recused' } });
      // A search by its words, or by its deadlines, would tell what it hides: the case is not listed at all.
      expect(await listed(token, { q: '回避测试' })).toBeUndefined();
      expect(await listed(token, { deadlineBefore: addDays(today, 365) })).toBeUndefined();
    }
    expect(await listed(colleague, { q: '回避测试' })).toBeDefined();
  });

  it('does not find the case’s deadlines in the month view, nor in its own .ics feed', async () => {
    const days = async (token: string) => ((await request(stack.app).get('/v1/calendar/deadlines').query(month).set(auth(token)).expect(200)).body.deadlines as { caseId: string; matter: string }[]).filter((d) => d.caseId === caseId);
    expect((await days(colleague)).length).toBeGreaterThan(0);
    expect((await days(colleague))[0]!.matter).toBe('回避测试中的审批瑕疵');
    expect(await days(byAccount)).toEqual([]);
    expect(await days(byName)).toEqual([]);
    const feedOf = async (token: string) => {
      const url = new URL((await request(stack.app).post('/v1/calendar/feed').set(auth(token)).expect(201)).body.url as string);
      return (await request(stack.app).get(url.pathname).expect(200)).text;
    };
    expect(await feedOf(colleague)).toContain(caseId);
    expect(await feedOf(byName)).not.toContain(caseId);
    expect(await feedOf(byAccount)).not.toContain(caseId);
  });
});

describe('calendar feeds', () => {
  it('belong to a user of an authority: the same account id at another authority neither sees nor revokes it', async () => {
    const mine = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'same-id', name: '吴某' });
    const namesake = await stack.token({ roles: ['officer'], authority: 'hz-jyj', sub: 'same-id', name: '吴某' });
    const made = await request(stack.app).post('/v1/calendar/feed').set(auth(mine)).expect(201);
    const path = new URL(made.body.url as string).pathname;
    expect((await request(stack.app).get('/v1/calendar/feed').set(auth(namesake)).expect(200)).body).toEqual({ feed: null });
    expect((await request(stack.app).delete('/v1/calendar/feed').set(auth(namesake))).status).toBe(404);
    expect((await request(stack.app).post('/v1/calendar/feed/renewal').set(auth(namesake))).status).toBe(404);
    // The namesake's own feed is another: making it leaves the first working.
    await request(stack.app).post('/v1/calendar/feed').set(auth(namesake)).expect(201);
    expect((await request(stack.app).get(path)).status).toBe(200);
    expect((await request(stack.app).get('/v1/calendar/feed').set(auth(mine)).expect(200)).body.feed).toMatchObject({ createdAt: made.body.createdAt });
  });

  it('expire 180 days after they are made, and are renewed under the same URL, expired or not', async () => {
    const owner = await stack.token({ roles: ['auditor'], authority: 'binhai-jw', sub: 'feed-owner', name: '郑某' });
    const made = await request(stack.app).post('/v1/calendar/feed').set(auth(owner)).expect(201);
    expect(Date.parse(made.body.expiresAt) - Date.parse(made.body.createdAt)).toBe(180 * 86_400_000);
    const path = new URL(made.body.url as string).pathname;
    // Half a year on, as the clock would have it: the archive's record says the feed ended a moment ago.
    await stack.db.query(`update calendar_feeds set expires_at = now() - interval '1 second' where authority = 'binhai-jw' and subject = 'feed-owner'`);
    const expired = await request(stack.app).get(path);
    expect([expired.status, expired.body.code, expired.headers['content-type']]).toEqual([410, 'calendar_feed_expired', expect.stringMatching(/^application\/problem\+json/)]);
    const renewed = await request(stack.app).post('/v1/calendar/feed/renewal').set(auth(owner)).expect(200);
    expect(Date.parse(renewed.body.feed.expiresAt)).toBeGreaterThan(Date.now() + 179 * 86_400_000);
    expect((await request(stack.app).get(path)).status).toBe(200);
    expect((await request(stack.app).get('/v1/calendar/feed').set(auth(owner)).expect(200)).body.feed).toEqual(renewed.body.feed);
  });

  it('never put their token in a log line, however the URL writes it', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const app = appWith({ logger: pino({ level: 'info' }, sink) });
    const owner = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'log-owner', name: '冯某' });
    const url = new URL((await request(app).post('/v1/calendar/feed').set(auth(owner)).expect(201)).body.url as string);
    const token = /feeds\/([A-Za-z0-9_-]{43})\.ics$/.exec(url.pathname)![1]!;
    const escaped = `%${token.charCodeAt(0).toString(16).toUpperCase()}${token.slice(1)}`;
    const written = [`/v1/calendar/feeds/${token}.ics`, `/v1/calendar/feeds/${token}.ICS`, `/V1/CALENDAR/FEEDS/${token}.ics`, `/v1/calendar/feeds/${escaped}.ics`, `/v1/calendar/feeds/${token}.ics?x=${token}`, `/v1/calendar/${token}.ics`];
    for (const path of written) expect([path, (await request(app).get(path)).status]).toEqual([path, path.startsWith('/v1/calendar/feeds/') || path.startsWith('/V1/') ? 200 : 404]);
    await eventually(async () => expect(lines.filter((l) => l.includes('"url"')).length).toBeGreaterThanOrEqual(written.length));
    const leaking = lines.filter((l) => l.includes(token) || l.includes(token.slice(1)));
    expect(leaking).toEqual([]);
  });
});

describe('binding the subject’s account', () => {
  it('refuses the case’s own staff and the authority’s staff with 409 naming why, and binds the subject’s own account', async () => {
    const opener = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'opener-9', name: '冯办案' });
    const caseId = await open(opener, 'binhai');
    expect((await act(opener, caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' })).status).toBe(200);
    const investigator = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'stepper-9', name: '陈调查' });
    const group = { appointedOn: today, members: [{ sub: 'member-9', name: '刘调查', declaresNoConflict: true }, { name: '陈调查', declaresNoConflict: true }] };
    expect((await act(investigator, caseId, 'appointInvestigationGroup', group)).status).toBe(200);
    // Someone who acted only on another of the authority's cases.
    const elsewhere = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'elsewhere-9', name: '蒋办案' });
    const otherCase = await open(elsewhere, 'binhai');

    // Offered throughout the case (the opener's GET lists it), so sent straight away.
    const bind = (userId: string) => request(stack.app).post(`/v1/cases/${caseId}/actions/bindSubjectAccount`).set(auth(opener)).set('Accept-Language', 'en').send({ userId });
    const refusals = [
      ['opener-9', 'subject_account_is_case_staff', /opened the case/],
      ['stepper-9', 'subject_account_is_case_staff', /took steps on it/],
      ['member-9', 'subject_account_is_case_staff', /member of its investigation group/],
      ['elsewhere-9', 'subject_account_is_staff', new RegExp(`as officer, last on ${otherCase}`)],
    ] as const;
    for (const [userId, code, why] of refusals) {
      const res = await bind(userId);
      expect([userId, res.status, res.body.code, res.body.errors?.[0]?.field]).toEqual([userId, 409, code, 'body.userId']);
      expect(res.body.detail).toMatch(why);
    }
    const unchanged = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(opener)).expect(200);
    expect(unchanged.body.subject.userId).toBeUndefined();
    expect(unchanged.body.timeline.map((e: { event: string }) => e.event)).not.toContain('subjectAccountBound');

    const bound = await bind('cadre-9');
    expect([bound.status, bound.body.subject.userId]).toEqual([200, 'cadre-9']);
  });
});

describe('the calendar, read from the read model', () => {
  it('is rate limited per user and per feed', async () => {
    const app = appWith({ calendarReadsPerMinute: 2 });
    const reader = await stack.token({ roles: ['auditor'], authority: 'binhai-jw', sub: 'reader-1', name: '读者' });
    for (let i = 0; i < 2; i += 1) await request(app).get('/v1/calendar/deadlines').query(month).set(auth(reader)).expect(200);
    const limited = await request(app).get('/v1/calendar/deadlines').query(month).set(auth(reader));
    expect([limited.status, limited.body.code, Number(limited.headers['retry-after']) > 0]).toEqual([429, 'rate_limited', true]);
    // Another user is not held back by this one.
    await request(app).get('/v1/calendar/deadlines').query(month).set(auth(colleague)).expect(200);
    const path = new URL((await request(app).post('/v1/calendar/feed').set(auth(reader)).expect(201)).body.url as string).pathname;
    for (let i = 0; i < 2; i += 1) await request(app).get(path).expect(200);
    expect((await request(app).get(path)).status).toBe(429);
  });

  it('answers the month view and the feed with no worker running: it asks no running case', async () => {
    const caseId = await open(binhaiOfficer, 'binhai', '读模型测试中的程序瑕疵');
    const first = await firstDeadline(binhaiOfficer, caseId);
    const feed = new URL((await request(stack.app).post('/v1/calendar/feed').set(auth(binhaiOfficer)).expect(201)).body.url as string).pathname;
    await stack.stopWorker();
    const view = await request(stack.app).get('/v1/calendar/deadlines').query(month).set(auth(binhaiOfficer)).expect(200);
    expect(view.body.deadlines).toContainEqual(expect.objectContaining({ caseId, key: first.key, deadline: first.deadline, matter: '读模型测试中的程序瑕疵', jurisdiction: 'binhai' }));
    expect(view.body.truncated).toBe(false);
    expect((await request(stack.app).get(feed).expect(200)).text).toContain(`${caseId}.${first.key}@rongcuo`);
  });
});
