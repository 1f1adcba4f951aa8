/**
 * Who may do what, route by route, against the real stack: every route the
 * app serves, called by every role of the case's own authority and of
 * another, by the system administrator, by the case's subject and by a
 * recused user, with no token and with bad tokens (expired, wrong signature,
 * alg: none).
 */
import { SignJWT, UnsecuredJWT } from 'jose';
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { EMBEDDED_TOKEN_AUDIENCE, EMBEDDED_TOKEN_ISSUER, ROLES, SYSTEM_ROLES } from '../../api/auth';
import { signDevToken } from '../../scripts/token';
import { appRoutes } from '../../api/app';
import { expressPath, type RouteSpec } from '../../api/registry';
import { eventually } from '../support/eventually';
import { testMatterIndex } from '../support/keys';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let caseId: string;
let routes: RouteSpec[];
const SUBJECT = { sub: 'subject-1', name: '王某' };
const RECUSED = { sub: 'recused-1', name: '赵某' };

beforeAll(async () => {
  stack = await startStack();
  routes = appRoutes({ client: stack.env.client, db: stack.db, verifyToken: async () => { throw new Error('unused'); }, taskQueue: '', namespace: '', baseUrl: '', logger: undefined as never, matterIndex: testMatterIndex });
  const officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'officer-1' });
  const created = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', `Bearer ${officer}`)
    .send({
      jurisdiction: 'binhai',
      subject: { name: SUBJECT.name, organisation: '某街道党工委' },
      matter: '改革试点中的程序瑕疵',
      accountability: { reference: '滨纪问〔2026〕1号' },
      eventDate: beijingDate(Date.now()),
    })
    .expect(201);
  caseId = created.body.id;
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${officer}`);
    expect(res.body.availableActions?.length).toBeGreaterThan(1);
  });
  await request(stack.app).post(`/v1/cases/${caseId}/actions/bindSubjectAccount`).set('Authorization', `Bearer ${officer}`).send({ userId: SUBJECT.sub }).expect(200);
  await request(stack.app)
    .post(`/v1/cases/${caseId}/actions/recordRecusal`)
    .set('Authorization', `Bearer ${officer}`)
    .send({ person: RECUSED, reason: '与被调查对象有亲属关系' })
    .expect(200);
});
afterAll(() => stack?.stop());

/** A path of the route with real ids, and a body the route accepts when the caller may call it. */
function call(spec: RouteSpec, token: string | undefined) {
  const path = expressPath(spec.path)
    .replace(':id', spec.path.startsWith('/v1/documents') || spec.path.startsWith('/v1/inbox') || spec.path.startsWith('/v1/materials') || spec.path.startsWith('/v1/reports') ? '00000000-0000-4000-8000-000000000000' : spec.path.startsWith('/v1/rulebooks') ? 'binhai' : caseId)
    .replace(':year', '2099')
    .replace(':updateId', 'step-00000000-0000-4000-8000-000000000000')
    .replace(':documentId', '00000000-0000-4000-8000-000000000000')
    .replace(':token', 'A'.repeat(43));
  let req = request(stack.app)[spec.method](path);
  if (spec.path === '/v1/calendar/deadline') req = req.query({ from: '2026-03-02', amount: 5, unit: 'workingDays' });
  if (spec.path === '/v1/calendar/deadlines') req = req.query({ from: '2026-03-01', to: '2026-03-31' });
  if (spec.path === '/v1/statistics') req = req.query({ from: '2026-01-01', to: '2026-12-31' });
  // A cadre with no conclusion anywhere: the organisation department is answered 404.
  if (spec.path === '/v1/conclusion-effects') req = req.query({ name: '钱某', unit: '某局' });
  if (token) req = req.set('Authorization', `Bearer ${token}`);
  if (spec.method === 'get' || spec.method === 'delete' || spec.path === '/v1/calendar/feed') return req;
  if (spec.path === '/v1/cases') {
    return req.send({ jurisdiction: 'binhai', subject: { name: '李某', organisation: '某局' }, matter: '试点', accountability: { reference: '问1号' }, eventDate: beijingDate(Date.now()) });
  }
  // The codec: no payloads, so a caller who may call it gets an empty answer.
  if (spec.path.startsWith('/codec/')) return req.send({ payloads: [] });
  if (spec.path.startsWith('/v1/calendar/years')) return req.send({ source: '测试用日程（假设）', holidays: [{ date: '2099-01-01', name: '元旦' }], makeUpWorkdays: [] });
  // Actions: an empty body, so a caller who may act gets 400 for the body and nothing changes.
  return req.send({});
}

const isPublic = (spec: RouteSpec) => spec.access.kind === 'public';
/** A public route answers whoever calls; a calendar feed's URL carries its own credential, and this one names no feed. */
const publicAnswer = (spec: RouteSpec) => (spec.path === '/v1/calendar/feeds/{token}.ics' ? 404 : 200);
const isAction = (spec: RouteSpec) => spec.path.includes('/actions/');

function expected(spec: RouteSpec, roles: string[], ownAuthority: boolean): number {
  if (isPublic(spec)) return publicAnswer(spec);
  // A party's own door: its list (empty: this account is bound to no case), and 404 for a case it is not bound to.
  if (spec.path.startsWith('/v1/my/')) return !roles.includes('party') ? 403 : spec.path === '/v1/my/cases' ? 200 : 404;
  // Parties take no step through the staff's door, whatever the case: refused before any case is looked at.
  if (isAction(spec) && roles.includes('party')) return 403;
  // The national calendar is loaded by the system administrator, whatever authority its token names.
  if (spec.path === '/v1/calendar/years/{year}') return roles.includes('system-admin') ? 200 : 403;
  if (spec.access.kind === 'roles' && !roles.some((r) => (spec.access as { roles: string[] }).roles.includes(r))) return 403;
  // The organisation department takes no step and reads no case (ORGANISATION_ROLES): a case's door is closed to it.
  if (roles.includes('organisation') && isAction(spec)) return spec.path.startsWith('/v1/cases/{id}') && !ownAuthority ? 404 : 403;
  if (spec.path === '/v1/conclusion-effects') return 404;
  if (spec.path === '/v1/reports' && spec.method === 'post') return 400; // no period
  if (spec.path === '/v1/reports/{id}') return 404; // no such report
  const onTheCase = spec.path.startsWith('/v1/cases/{id}');
  if (onTheCase && !ownAuthority) return 404;
  // The case is running: no conclusion to summarise (409), no draft to review (400 for the empty body, first) or read (404).
  if (spec.path === '/v1/cases/{id}/typical-case') return spec.method === 'post' ? 409 : spec.method === 'put' ? 400 : 404;
  if (spec.path.startsWith('/v1/documents')) return 404; // no such document, for anyone
  if (spec.path.startsWith('/v1/materials')) return 404; // no such material, for anyone
  // Officers and supervisors upload (CASE_FILE_ROLES): the empty JSON body is then no upload (415); other roles may not.
  // A party uploads its own filings to a case it is bound to; any other case is not found, as at its own door.
  if (spec.path === '/v1/cases/{id}/materials' && spec.method === 'post') return roles.some((r) => ['officer', 'supervisor'].includes(r)) ? 415 : roles.includes('party') ? 404 : 403;
  // The case is running: its file is bound at 建档.
  if (spec.path === '/v1/cases/{id}/bound-file' || spec.path === '/v1/cases/{id}/export') return 409;
  if (spec.path === '/v1/inbox/{id}/served') return 404; // no such notice in anyone's inbox
  if (spec.path === '/v1/cases/{id}/steps/{updateId}') return 404; // no such step in the case
  if (isAction(spec)) {
    // Open now in this Binhai case: the application and binding the subject's account (officers), recusal
    // (officers and supervisors), withdrawal and the finding that an accusation was false (supervisors); a step
    // not open now needs an officer or a supervisor.
    const name = spec.path.split('/').at(-1)!;
    const may = ['fileApplication', 'bindSubjectAccount', 'bindOrganisationAccount', 'claimCase'].includes(name)
      ? ['officer']
      : ['withdrawCase', 'recordAccusationFalse', 'assignCase'].includes(name)
        ? ['supervisor']
        : ['officer', 'supervisor'];
    if (!roles.some((r) => may.includes(r))) return 403;
    // Claiming needs no body: the first officer of the case's authority claims it.
    return name === 'claimCase' ? 200 : 400;
  }
  // A note without its text.
  if (spec.path === '/v1/cases/{id}/notes' && spec.method === 'post') return 400;
  // An authority opens cases only under the jurisdiction it is bound to (config/authorities.ts).
  if (spec.path === '/v1/cases' && spec.method === 'post') return ownAuthority ? 201 : 403;
  // Every caller has its own feed: made (201), then revoked (204), in the order the routes are declared.
  if (spec.path === '/v1/calendar/feed' && spec.method === 'post') return 201;
  if (spec.path === '/v1/calendar/feed' && spec.method === 'delete') return 204;
  return 200;
}

describe('authorization matrix', () => {
  it('covers every route the app serves', () => {
    const served = (stack.app as unknown as { router: { stack: { route?: { path: string; methods: Record<string, boolean> } }[] } }).router.stack
      .filter((l) => l.route)
      .flatMap((l) => Object.keys(l.route!.methods).map((m) => `${m} ${l.route!.path}`))
      .sort();
    expect(served).toEqual(routes.map((r) => `${r.method} ${expressPath(r.path)}`).sort());
  });

  const personas = [
    ...ROLES.map((role) => ({ label: `${role} of the case's authority`, roles: [role], authority: 'binhai-jw', own: true })),
    ...ROLES.map((role) => ({ label: `${role} of another authority`, roles: [role], authority: 'hz-jyj', own: false })),
    ...SYSTEM_ROLES.map((role) => ({ label: `${role} (of no authority in particular)`, roles: [role], authority: 'hz-jyj', own: false })),
    { label: 'a party of the case’s authority, bound to no case', roles: ['party'], authority: 'binhai-jw', own: true },
    { label: 'the organisation department of the case’s authority', roles: ['organisation'], authority: 'binhai-jw', own: true },
    { label: 'the organisation department of another authority', roles: ['organisation'], authority: 'hz-jyj', own: false },
    { label: 'a party of another authority', roles: ['party'], authority: 'hz-jyj', own: false },
  ];

  it.each(personas)('answers $label as its roles allow, on every route', async ({ roles, authority, own }) => {
    const token = await stack.token({ roles, authority, sub: `u-${roles[0]}-${authority}` });
    const answers: string[] = [];
    const wanted: string[] = [];
    for (const spec of routes) {
      const res = await call(spec, token);
      answers.push(`${spec.method} ${spec.path} ${res.status}`);
      wanted.push(`${spec.method} ${spec.path} ${expected(spec, roles, own)}`);
    }
    expect(answers).toEqual(wanted);
  });

  it.each([
    ['no token', async () => undefined],
    // Each otherwise as the API wants it (issuer, audience, iat), so only what the label says is wrong.
    ['an expired token', async () => new SignJWT({ name: 'x', roles: ['admin'], authority: 'binhai-jw' }).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer(EMBEDDED_TOKEN_ISSUER).setAudience(EMBEDDED_TOKEN_AUDIENCE).setIssuedAt(1_700_000_000).setExpirationTime(1_700_000_100).sign(stack.secret)],
    ['a token with a wrong signature', async () => signDevToken(new TextEncoder().encode('another-secret-another-secret-another-secret'), { sub: 'u', name: 'x', roles: ['admin'], authority: 'binhai-jw' })],
    ['an alg: none token', async () => new UnsecuredJWT({ name: 'x', roles: ['admin'], authority: 'binhai-jw' }).setSubject('u').setExpirationTime('1h').encode()],
  ])('answers %s with 401 on every route but the public ones', async (_label, token) => {
    const t = await token();
    for (const spec of routes) {
      const res = await call(spec, t);
      expect(`${spec.method} ${spec.path} ${res.status}`).toBe(`${spec.method} ${spec.path} ${isPublic(spec) ? publicAnswer(spec) : 401}`);
      if (!isPublic(spec)) expect(res.headers['content-type']).toContain('application/problem+json');
    }
  });

  it.each([
    ['the case’s subject', SUBJECT],
    ['a recused user', RECUSED],
  ])('lets %s read the case but take no step on it', async (_label, person) => {
    const token = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', ...person });
    const read = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${token}`);
    expect(read.status).toBe(200);
    expect(read.body.availableActions).toEqual([]);
    expect(read.body.stage).toBe('application');
    const act = await request(stack.app)
      .post(`/v1/cases/${caseId}/actions/fileApplication`)
      .set('Authorization', `Bearer ${token}`)
      .send({ filedBy: 'subject', receivedOn: beijingDate(Date.now()), summary: '申请' });
    expect([act.status, act.body.code]).toEqual([422, 'recused']);
  });
});
