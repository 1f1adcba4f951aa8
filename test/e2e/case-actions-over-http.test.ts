/**
 * Human steps over HTTP on the real stack: the body is validated by the
 * step's schema, the role comes from the case's rulebook, and the workflow's
 * refusals answer with their reason and article.
 */
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let officer: string;
let supervisor: string;
let caseUrl: string;

beforeAll(async () => {
  stack = await startStack();
  officer = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'officer-1', name: '李办案' });
  supervisor = await stack.token({ roles: ['supervisor'], authority: 'binhai-jw', sub: 'sup-1', name: '张主任' });
  const created = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', `Bearer ${officer}`)
    .send({
      jurisdiction: 'binhai',
      subject: { name: '王某', organisation: '某街道党工委' },
      matter: '老旧小区改造中的程序瑕疵',
      accountability: { reference: '滨纪问〔2026〕12号' },
      eventDate: beijingDate(Date.now()),
    });
  caseUrl = `/v1/cases/${created.body.id}`;
  await eventually(async () => {
    const res = await request(stack.app).get(caseUrl).set('Authorization', `Bearer ${officer}`);
    expect(res.body.availableActions.map((a: { name: string }) => a.name)).toContain('fileApplication');
  });
});
afterAll(() => stack?.stop());

const act = (token: string, action: string, body: object) =>
  request(stack.app).post(`${caseUrl}/actions/${action}`).set('Authorization', `Bearer ${token}`).send(body);

describe('taking the Binhai steps over HTTP', () => {
  const today = beijingDate(Date.now());

  it('records the application and shows each caller only the steps its roles may take', async () => {
    const missing = await act(officer, 'fileApplication', { filedBy: 'neighbour', summary: 1 });
    expect(missing.status).toBe(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.filedBy', 'body.receivedOn', 'body.summary']);

    const filed = await act(officer, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
    expect(filed.status).toBe(200);
    expect(filed.body.application.recordedBy).toEqual({ sub: 'officer-1', name: '李办案', roles: ['officer'] });

    await act(officer, 'appointInvestigationGroup', {
      appointedOn: today,
      members: [
        { name: '陈调查', declaresNoConflict: true },
        { name: '刘调查', declaresNoConflict: true },
      ],
    }).expect(200);
    await act(officer, 'recordStatement', { receivedOn: today, summary: '本人陈述：系先行先试', form: 'interviewRecord' }).expect(200);
    await act(officer, 'submitInvestigationReport', { submittedOn: today, findings: '先行先试', recommendation: 'exempt', circumstances: ['binhai-6-3'], mitigating: [] }).expect(200);

    const asOfficer = await request(stack.app).get(caseUrl).set('Authorization', `Bearer ${officer}`);
    const asSupervisor = await request(stack.app).get(caseUrl).set('Authorization', `Bearer ${supervisor}`);
    expect(asOfficer.body.availableActions.map((a: { name: string }) => a.name)).not.toContain('recordDetermination');
    expect(asSupervisor.body.availableActions.map((a: { name: string }) => a.name)).toContain('recordDetermination');
  });

  it('answers 403 naming the role when an officer tries the supervisors’ decision', async () => {
    const res = await act(officer, 'recordDetermination', {
      decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合', complex: false,
    });
    expect(res.status).toBe(403);
    expect(res.body.requiredRoles).toEqual(['supervisor']);
  });

  it('answers 422 with the reason and article when the workflow refuses the outcome', async () => {
    const res = await act(supervisor, 'recordDetermination', {
      decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: ['binhai-8-5'], reasons: '—', complex: false,
    });
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('outcome_not_allowed');
    expect(res.body.basis.article).toBe('第六条、第八条');
  });

  it('answers 409 for a step of another stage, and 404 for an unknown step', async () => {
    const early = await act(officer, 'serveNotice', { servedOn: today, servedTo: ['subject', 'subjectOrganisation'] });
    expect([early.status, early.body.code]).toEqual([409, 'wrong_stage']);
    expect((await act(officer, 'doSomething', {})).status).toBe(404);
  });

  it('takes the supervisors’ decision and moves the case to filing', async () => {
    const res = await act(supervisor, 'recordDetermination', {
      decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['binhai-6-3'], mitigating: [], conditions: [], exclusions: [], reasons: '符合第六条(三)', complex: false,
    });
    expect(res.status).toBe(200);
    expect(res.body.determination.recordedBy.sub).toBe('sup-1');
  });
});
