/**
 * A party's inbox over HTTP: the subject of a case, whose account an officer
 * of the case's authority bound to the case, finds the conclusion there and
 * acknowledges service; that date is the service the case counts the appeal
 * window from. Nobody else sees or acknowledges it, and no notice can reach
 * an account of another authority.
 */
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

it('lets the subject read its notices and acknowledge the conclusion, which serves it and starts its appeal window', async () => {
  const today = beijingDate(Date.now());
  const staff = `Bearer ${await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'bh-officer', name: '李办案' })}`;
  const subject = `Bearer ${await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'cadre-7', name: '王某' })}`;
  const neighbour = `Bearer ${await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'cadre-8', name: '赵某' })}`;

  const newCase = {
    jurisdiction: 'binhai',
    subject: { name: '王某', organisation: '某街道党工委' },
    matter: '老旧小区改造中的程序瑕疵',
    accountability: { reference: '滨纪问〔2026〕21号' },
    eventDate: today,
  };
  const badAddress = await request(stack.app).post('/v1/cases').set('Authorization', staff).send({ ...newCase, contacts: { subject: { email: 'not-an-address' } } });
  expect(badAddress.status).toBe(400);
  expect(badAddress.body.errors).toEqual([expect.objectContaining({ field: 'body.contacts.subject.email' })]);

  const opened = await request(stack.app).post('/v1/cases').set('Authorization', staff).send(newCase).expect(201);
  const caseUrl = `/v1/cases/${opened.body.id}`;
  const act = async (action: string, body: object) => {
    await eventually(async () => {
      const res = await request(stack.app).get(caseUrl).set('Authorization', staff);
      expect(res.body.availableActions.map((a: { name: string }) => a.name)).toContain(action);
    });
    return request(stack.app).post(`${caseUrl}/actions/${action}`).set('Authorization', staff).send(body).expect(200);
  };
  // The account is bound by a step, not typed into the opening form.
  const typedIn = await request(stack.app).post('/v1/cases').set('Authorization', staff).send({ ...newCase, subject: { ...newCase.subject, userId: 'cadre-7' } });
  expect([typedIn.status, typedIn.body.errors?.[0]?.field]).toEqual([400, 'body.subject']);
  await act('bindSubjectAccount', { userId: 'cadre-7' });
  await act('fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' });
  await act('appointInvestigationGroup', { appointedOn: today, members: [{ name: '陈调查', declaresNoConflict: true }, { name: '刘调查', declaresNoConflict: true }] });
  await act('recordStatement', { receivedOn: today, summary: '本人陈述', form: 'interviewRecord' });
  await act('submitInvestigationReport', { submittedOn: today, findings: '盲目决策', recommendation: 'denied', circumstances: [], mitigating: [] });
  await act('recordDetermination', {
    decidedOn: today, decidedBy: 'authorityLeadership', outcome: 'denied', circumstances: [], mitigating: [], conditions: [], exclusions: ['binhai-8-5'], reasons: '不经论证盲目决策造成损失', complex: false,
  });
  await act('recordFiling', { filedOn: today });

  const inbox = await eventually(async () => {
    const res = await request(stack.app).get('/v1/inbox?unserved=true').set('Authorization', subject).expect(200);
    const conclusion = res.body.notices.find((n: { caseId: string; subject: string }) => n.caseId === opened.body.id && n.subject.startsWith('容错免责结论'));
    expect(conclusion).toBeDefined();
    return conclusion as { id: string; service: unknown; servedOn: string | null };
  });
  expect(inbox).toMatchObject({ service: { stage: 'notice', party: 'subject' }, servedOn: null });
  const others = await request(stack.app).get('/v1/inbox').set('Authorization', neighbour).expect(200);
  expect(others.body.notices.map((n: { id: string }) => n.id)).not.toContain(inbox.id);
  expect((await request(stack.app).post(`/v1/inbox/${inbox.id}/served`).set('Authorization', neighbour).send({})).status).toBe(404);
  // The same account id at another authority is another user, with another inbox.
  const namesake = `Bearer ${await stack.token({ roles: ['officer'], authority: 'hz-jyj', sub: 'cadre-7', name: '王某' })}`;
  const elsewhere = await request(stack.app).get('/v1/inbox').set('Authorization', namesake).expect(200);
  expect(elsewhere.body.notices.filter((n: { caseId: string }) => n.caseId === opened.body.id)).toEqual([]);
  expect((await request(stack.app).post(`/v1/inbox/${inbox.id}/served`).set('Authorization', namesake).send({})).status).toBe(404);

  const tomorrow = beijingDate(Date.now() + 86_400_000);
  const future = await request(stack.app).post(`/v1/inbox/${inbox.id}/served`).set('Authorization', subject).send({ servedOn: tomorrow });
  expect(future.status).toBe(400);
  expect(future.body.errors).toEqual([expect.objectContaining({ field: 'body.servedOn' })]);

  const served = await request(stack.app).post(`/v1/inbox/${inbox.id}/served`).set('Authorization', subject).send({}).expect(200);
  expect(served.body).toMatchObject({ id: inbox.id, servedOn: today, caseService: { taken: true } });
  const repeated = await request(stack.app).post(`/v1/inbox/${inbox.id}/served`).set('Authorization', subject).send({ servedOn: today }).expect(200);
  expect(repeated.body.servedOn).toBe(today);

  // The organisation is served in person; with that, the conclusion is served and the appeal window opens.
  await act('serveNotice', { servedOn: today, servedTo: ['subjectOrganisation'] });
  const state = await eventually(async () => {
    const res = await request(stack.app).get(caseUrl).set('Authorization', staff).expect(200);
    expect(res.body.deadlines.map((d: { key: string }) => d.key)).toContain('appealWindow');
    return res.body;
  });
  expect(state.notice).toMatchObject({ servedOn: today, servedTo: ['subject', 'subjectOrganisation'] });
  expect(state.noticeReceipts).toEqual([
    expect.objectContaining({ party: 'subject', via: 'inbox', by: expect.objectContaining({ sub: 'cadre-7' }) }),
    expect.objectContaining({ party: 'subjectOrganisation', via: 'officer' }),
  ]);
  expect(state.deadlines.find((d: { key: string }) => d.key === 'appealWindow')).toMatchObject({ from: today, basis: { article: '第十七条' } });
  await stack.env.client.workflow.getHandle(opened.body.id).terminate('test done');
});
