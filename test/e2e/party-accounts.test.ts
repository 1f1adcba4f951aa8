/**
 * The cadre as a party, over HTTP against the real stack: a `party` account
 * bound to its case reaches only that case, and of it only what a party may
 * see (its list, the case, the documents served on it, its inbox; no calendar
 * of the authority, no staff route); it files its appeal itself, gets a
 * numbered receipt at once and in its inbox; a filing out of time is refused
 * with its article, exactly as an officer's recording is; a case it is not
 * bound to answers 404; a staff account is never bound as a party.
 */
import request from 'supertest';
import { beijingDate, compareDates } from '../../domain/calendar';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let staff: string;
let supervisor: string;
let subject: string;
let otherParty: string;
const today = beijingDate(Date.now());
const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

beforeAll(async () => {
  stack = await startStack();
  staff = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'pa-officer', name: '李办案' });
  supervisor = await stack.token({ roles: ['supervisor'], authority: 'binhai-jw', sub: 'pa-leader', name: '赵主任' });
  subject = await stack.token({ roles: ['party'], authority: 'binhai-jw', sub: 'cadre-21', name: '王某' });
  otherParty = await stack.token({ roles: ['party'], authority: 'binhai-jw', sub: 'cadre-22', name: '钱某' });
});
afterAll(() => stack?.stop());

async function open(body: Record<string, unknown> = {}): Promise<string> {
  const res = await request(stack.app)
    .post('/v1/cases')
    .set(auth(staff))
    .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道党工委' }, matter: '老旧小区改造中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕41号' }, eventDate: today, ...body });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

async function act(token: string, caseId: string, action: string, body: object) {
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(token));
    expect(res.body.availableActions?.map((a: { name: string }) => a.name)).toContain(action);
  }, 30_000);
  return request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set(auth(token)).send(body);
}

/** A Binhai case up to its conclusion, with the subject's account bound; answers its id. */
async function concluded(account: string): Promise<string> {
  const caseId = await open();
  expect((await act(staff, caseId, 'bindSubjectAccount', { userId: account })).status).toBe(200);
  expect((await act(staff, caseId, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' })).status).toBe(200);
  await act(staff, caseId, 'appointInvestigationGroup', { appointedOn: today, members: [{ name: '陈调查', declaresNoConflict: true }, { name: '刘调查', declaresNoConflict: true }] });
  await act(staff, caseId, 'recordRecusal', { person: { name: '孙某' }, reason: '与被调查对象有亲属关系' });
  await act(staff, caseId, 'recordStatement', { receivedOn: today, summary: '本人陈述（谈话记录）', form: 'interviewRecord' });
  await act(staff, caseId, 'submitInvestigationReport', { submittedOn: today, findings: '盲目决策，调查组内部意见', recommendation: 'denied', circumstances: [], mitigating: [] });
  const decided = await act(supervisor, caseId, 'recordDetermination', {
    decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'denied', circumstances: [], mitigating: [], conditions: [], exclusions: ['binhai-8-5'], reasons: '集体研究的内部理由', complex: false,
  });
  expect(decided.status).toBe(200);
  expect((await act(supervisor, caseId, 'recordFiling', { filedOn: today })).status).toBe(200);
  return caseId;
}

describe('a party account', () => {
  let caseId: string;
  let otherCase: string;

  beforeAll(async () => {
    caseId = await concluded('cadre-21');
    otherCase = await concluded('cadre-22');
    await request(stack.app).post(`/v1/cases/${caseId}/notes`).set(auth(staff)).send({ text: '内部备注：当事人情绪激动' }).expect(201);
  }, 240_000);

  it('lists only its own case, and reads of it only what a party may see', async () => {
    const mine = await request(stack.app).get('/v1/my/cases').set(auth(subject)).expect(200);
    expect(mine.body.cases.map((c: { id: string }) => c.id)).toEqual([caseId]);
    expect(mine.body.cases[0]).toMatchObject({ party: 'subject', jurisdiction: 'binhai' });

    const view = await request(stack.app).get(`/v1/my/cases/${caseId}`).set(auth(subject)).expect(200);
    expect(view.body).toMatchObject({ caseId, party: 'subject', outcome: 'denied' });
    const text = JSON.stringify(view.body);
    // Never the notes, the recusals, the investigation, the deliberation's reasons or the officers.
    for (const hidden of ['内部备注', '孙某', '陈调查', '调查组内部意见', '集体研究的内部理由', 'pa-officer', '李办案', 'recusals', 'investigationGroup', 'timeline', 'availableActions']) expect([hidden, text.includes(hidden)]).toEqual([hidden, false]);
    // Its own deadlines and the authority's, each with its article.
    expect(view.body.deadlines.length).toBeGreaterThan(0);
    for (const d of view.body.deadlines) expect(['party', 'authority']).toContain(d.binds);
    expect(view.body.deadlines.every((d: { basis: { article: string } }) => d.basis.article.length > 0)).toBe(true);

    // Documents served on it, downloadable with their digest; none other.
    const served = await eventually(async () => {
      const res = await request(stack.app).get(`/v1/my/cases/${caseId}`).set(auth(subject)).expect(200);
      expect(res.body.documents.length).toBeGreaterThan(0);
      return res.body.documents as { documentId: string; href: string; title: string }[];
    }, 30_000);
    const file = await request(stack.app).get(served[0]!.href).set(auth(subject)).buffer(true).expect(200);
    expect(file.headers['x-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
    const all = await request(stack.app).get(`/v1/cases/${caseId}/documents`).set(auth(staff)).expect(200);
    const notServed = all.body.documents.map((d: { documentId: string }) => d.documentId).filter((id: string) => !served.some((s) => s.documentId === id));
    for (const id of notServed) expect((await request(stack.app).get(`/v1/my/cases/${caseId}/documents/${id}`).set(auth(subject))).status).toBe(404);
    // The other party's document, through its own case or this one: not found.
    const theirs = (await request(stack.app).get(`/v1/cases/${otherCase}/documents`).set(auth(staff)).expect(200)).body.documents[0].documentId as string;
    expect((await request(stack.app).get(`/v1/my/cases/${caseId}/documents/${theirs}`).set(auth(subject))).status).toBe(404);
    expect((await request(stack.app).get(`/v1/my/cases/${otherCase}/documents/${theirs}`).set(auth(subject))).status).toBe(404);

    // A served file altered at rest is refused to the party as to the staff (the one download path), then served again once mended.
    const [kept] = await stack.db.query<{ file: Uint8Array }>('select file from documents where id = $1', [served[0]!.documentId]);
    await stack.db.query(`update documents set file = overlay(file placing '\\x00'::bytea from 40 for 1) where id = $1`, [served[0]!.documentId]);
    const altered = await request(stack.app).get(served[0]!.href).set(auth(subject));
    expect([altered.status, altered.body.code]).toEqual([500, 'document_integrity']);
    await stack.db.query('update documents set file = $2 where id = $1', [served[0]!.documentId, kept!.file]);
    await request(stack.app).get(served[0]!.href).set(auth(subject)).expect(200);
  });

  it('cannot open another case, nor any staff door: 404 for the case, 403 for the routes', async () => {
    expect((await request(stack.app).get(`/v1/my/cases/${otherCase}`).set(auth(subject))).status).toBe(404);
    expect((await request(stack.app).get('/v1/my/cases/case-binhai-2026-9999').set(auth(subject))).status).toBe(404);
    // The same answer whether the case exists or not, and whatever it is.
    const filedElsewhere = await request(stack.app).post(`/v1/my/cases/${otherCase}/appeal`).set(auth(subject)).send({ summary: '对他人案件申诉' });
    const filedNowhere = await request(stack.app).post('/v1/my/cases/case-binhai-2026-9999/appeal').set(auth(subject)).send({ summary: '对他人案件申诉' });
    expect([filedElsewhere.status, filedElsewhere.body.code]).toEqual([404, 'not_found']);
    expect([filedNowhere.status, filedNowhere.body.code]).toEqual([404, 'not_found']);
    for (const path of ['/v1/cases', `/v1/cases/${caseId}`, `/v1/cases/${caseId}/documents`, `/v1/cases/${caseId}/notes`, `/v1/cases/${caseId}/access-log`, '/v1/calendar/deadlines?from=2026-01-01&to=2026-01-31', '/v1/calendar/feed']) {
      expect([path, (await request(stack.app).get(path).set(auth(subject))).status]).toEqual([path, 403]);
    }
    expect((await request(stack.app).post('/v1/calendar/feed').set(auth(subject))).status).toBe(403);
    for (const id of [caseId, otherCase, 'case-binhai-2026-9999']) {
      const step = await request(stack.app).post(`/v1/cases/${id}/actions/fileAppeal`).set(auth(subject)).send({ receivedOn: today, summary: '申诉' });
      expect([id, step.status]).toEqual([id, 403]);
    }
    // A party is never also staff: a token holding both is no credential.
    const both = await stack.token({ roles: ['party', 'officer'], authority: 'binhai-jw', sub: 'cadre-21', name: '王某' });
    const refused = await request(stack.app).get('/v1/my/cases').set(auth(both));
    expect([refused.status, refused.body.errors?.[0]?.field]).toEqual([401, 'token.roles']);
  });

  it('acknowledges service in its inbox, files its appeal itself, and gets a numbered receipt at once and in its inbox', async () => {
    const conclusion = await eventually(async () => {
      const res = await request(stack.app).get('/v1/inbox').set(auth(subject)).expect(200);
      const n = res.body.notices.find((x: { caseId: string; subject: string }) => x.caseId === caseId && x.subject.startsWith('容错免责结论'));
      expect(n).toBeDefined();
      return n as { id: string };
    }, 30_000);
    // Nobody else's notice is in its inbox.
    const inbox = (await request(stack.app).get('/v1/inbox').set(auth(subject)).expect(200)).body.notices as { caseId: string }[];
    expect(new Set(inbox.map((n) => n.caseId))).toEqual(new Set([caseId]));
    expect((await request(stack.app).post(`/v1/inbox/${conclusion.id}/served`).set(auth(subject)).send({})).body.caseService).toEqual({ taken: true });

    const offered = await eventually(async () => {
      const res = await request(stack.app).get(`/v1/my/cases/${caseId}`).set(auth(subject)).expect(200);
      const appeal = res.body.openFilings.find((f: { action: string }) => f.action === 'fileAppeal');
      // Offered once served, due by the subject's own window (15 days from its service).
      expect(appeal?.deadline).toBeDefined();
      return appeal as { deadline: string; article: string };
    }, 30_000);
    expect(offered.article).toBe('第十七条');

    const filed = await request(stack.app).post(`/v1/my/cases/${caseId}/appeal`).set(auth(subject)).set('Idempotency-Key', 'appeal-1').send({ summary: '对不予免责结论不服，提出申诉' });
    expect(filed.status).toBe(201);
    expect(filed.body.receipt).toMatchObject({ status: 'issued', kind: 'appeal', party: 'subject', receivedOn: today });
    expect(filed.body.receipt.number).toMatch(/回执〔\d{4}〕\d+号$/);
    expect(filed.body.case.filings.appeal).toMatchObject({ receivedOn: today, online: true, summary: '对不予免责结论不服，提出申诉' });
    // The case has it as the party's own filing, received today; the officer sees it recorded by the party.
    const staffView = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(staff)).expect(200);
    expect(staffView.body.appeal).toMatchObject({ receivedOn: today, filedBy: 'subject', recordedBy: { sub: 'cadre-21' } });
    // A retry under the same key is the same filing, with the same receipt.
    const again = await request(stack.app).post(`/v1/my/cases/${caseId}/appeal`).set(auth(subject)).set('Idempotency-Key', 'appeal-1').send({ summary: '对不予免责结论不服，提出申诉' });
    expect([again.status, again.body.receipt?.number]).toEqual([201, filed.body.receipt.number]);
    const receiptNotice = (await request(stack.app).get('/v1/inbox').set(auth(subject)).expect(200)).body.notices.find((n: { subject: string }) => n.subject.includes(filed.body.receipt.number));
    expect(receiptNotice?.body).toContain(`收到日期为 ${today}`);
    // Filed once: a second appeal is not on offer.
    const second = await request(stack.app).post(`/v1/my/cases/${caseId}/appeal`).set(auth(subject)).send({ summary: '再次申诉' });
    expect(second.status).toBe(409);
  });
});

describe('a filing out of time', () => {
  it('is refused with its article, exactly as an officer’s recording of it is', async () => {
    // An event day whose 7 working days (第十二条(二)) are over, while the recording period after them still runs.
    let eventDate = today;
    for (let back = 9; back < 40; back += 1) {
      const candidate = beijingDate(Date.now() - back * 86_400_000);
      const window = (await request(stack.app).get('/v1/calendar/deadline').query({ from: candidate, amount: 7, unit: 'workingDays' }).set(auth(staff)).expect(200)).body.deadline as string;
      const recording = (await request(stack.app).get('/v1/calendar/deadline').query({ from: window, amount: 5, unit: 'workingDays' }).set(auth(staff)).expect(200)).body.deadline as string;
      if (compareDates(window, today) < 0 && compareDates(recording, today) >= 0) {
        eventDate = candidate;
        break;
      }
    }
    expect(eventDate).not.toBe(today);
    const caseId = await open({ eventDate, confirmLapsedWindow: true });
    expect((await act(staff, caseId, 'bindSubjectAccount', { userId: 'cadre-23' })).status).toBe(200);
    const late = await stack.token({ roles: ['party'], authority: 'binhai-jw', sub: 'cadre-23', name: '孙某某' });
    await eventually(async () => {
      const res = await request(stack.app).get(`/v1/my/cases/${caseId}`).set(auth(late)).expect(200);
      expect(res.body.openFilings.map((f: { action: string }) => f.action)).toContain('fileApplication');
    }, 30_000);
    const byParty = await request(stack.app).post(`/v1/my/cases/${caseId}/application`).set(auth(late)).send({ summary: '申请容错免责' });
    const byOfficer = await request(stack.app).post(`/v1/cases/${caseId}/actions/fileApplication`).set(auth(staff)).send({ filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
    expect([byParty.status, byParty.body.code, byParty.body.basis?.article]).toEqual([422, 'window_closed', '第十二条(二)']);
    expect([byOfficer.status, byOfficer.body.code, byOfficer.body.basis?.article]).toEqual([422, 'window_closed', '第十二条(二)']);
    expect(byParty.body.detail).toBe(byOfficer.body.detail);
    // No receipt for what the case refused.
    const view = await request(stack.app).get(`/v1/my/cases/${caseId}`).set(auth(late)).expect(200);
    expect(view.body.receipts).toEqual([expect.objectContaining({ status: 'refused', number: null, receivedOn: today, refusal: expect.objectContaining({ code: 'window_closed', article: '第十二条(二)' }) })]);
  }, 120_000);
});

describe('binding a party’s account', () => {
  it('refuses a staff account of the authority with 409 naming why, for the subject and the organisation alike', async () => {
    const caseId = await open();
    // pa-leader has signed in as a supervisor of binhai-jw.
    for (const action of ['bindSubjectAccount', 'bindOrganisationAccount']) {
      const res = await act(staff, caseId, action, { userId: 'pa-leader' });
      expect([action, res.status, res.body.code, res.body.errors?.[0]?.field]).toEqual([action, 409, 'subject_account_is_staff', 'body.userId']);
      expect(res.body.detail).toContain('审核领导');
    }
    const org = await act(staff, caseId, 'bindOrganisationAccount', { userId: 'unit-31' });
    expect([org.status, org.body.partyAccounts]).toEqual([200, { subjectOrganisation: 'unit-31' }]);
    // The organisation is a party: it reaches this case, never as staff.
    const unit = await stack.token({ roles: ['party'], authority: 'binhai-jw', sub: 'unit-31', name: '某街道党工委' });
    const mine = await request(stack.app).get('/v1/my/cases').set(auth(unit)).expect(200);
    expect(mine.body.cases).toEqual([expect.objectContaining({ id: caseId, party: 'subjectOrganisation' })]);
    // Binhai lets the organisation apply (第十二条(二)): it files the application itself.
    const filed = await request(stack.app).post(`/v1/my/cases/${caseId}/application`).set(auth(unit)).send({ summary: '单位代为申请容错免责' });
    expect([filed.status, filed.body.receipt?.party]).toEqual([201, 'subjectOrganisation']);
    const state = await request(stack.app).get(`/v1/cases/${caseId}`).set(auth(staff)).expect(200);
    expect(state.body.application).toMatchObject({ filedBy: 'subjectOrganisation', filedAt: today, recordedBy: { sub: 'unit-31' } });
  }, 120_000);
});
