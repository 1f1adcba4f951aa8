/**
 * A closed case outlives its workflow history: Temporal removes histories
 * after the namespace's retention, so closing writes the dossier to the
 * archive, and the API answers from it, documents included, once the
 * workflow is gone (deleted here, as retention would).
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

it('serves a closed case and its documents from the archive after Temporal has deleted the workflow', async () => {
  const officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'yangjiang-jw', sub: 'yj-1', name: '林办案' });
  const auth = { Authorization: `Bearer ${officer}` };
  const today = beijingDate(Date.now());
  const created = await request(stack.app)
    .post('/v1/cases')
    .set(auth)
    .send({ jurisdiction: 'yangjiang', route: 'application', level: 'city', subject: { name: '陈某', organisation: '某镇政府' }, matter: '征地补偿中的程序问题', accountability: { reference: '阳纪问〔2026〕3号' }, eventDate: today })
    .expect(201);
  const id: string = created.body.id;
  await eventually(async () => {
    expect((await request(stack.app).get(`/v1/cases/${id}`).set(auth)).body.stage).toBe('intake');
  });
  await request(stack.app).post(`/v1/cases/${id}/actions/fileApplication`).set(auth).send({ filedBy: 'subject', receivedOn: today, summary: '书面申诉' }).expect(200);
  await eventually(async () => {
    expect((await request(stack.app).get(`/v1/cases/${id}`).set(auth)).body.stage).toBe('acceptance');
  });
  await request(stack.app).post(`/v1/cases/${id}/actions/decideAcceptance`).set(auth).send({ accepted: false, decidedOn: today, reason: '不属于容错调查范围' }).expect(200);
  await stack.env.client.workflow.getHandle(id).result();

  const live = (await request(stack.app).get(`/v1/cases/${id}`).set(auth)).body;
  expect(live).toMatchObject({ closed: true, outcome: 'notAccepted' });

  await stack.env.client.workflowService.deleteWorkflowExecution({ namespace: stack.env.namespace ?? 'default', workflowExecution: { workflowId: id } });
  await eventually(async () => {
    const error = await stack.env.client.workflow.getHandle(id).fetchHistory().then(() => undefined, (e: unknown) => e);
    expect(error).toBeDefined();
  }, 30_000);

  const archived = await request(stack.app).get(`/v1/cases/${id}`).set(auth);
  expect(archived.status).toBe(200);
  expect(archived.body).toMatchObject({ caseId: id, closed: true, outcome: 'notAccepted', timeline: live.timeline });
  const documents = await request(stack.app).get(`/v1/cases/${id}/documents`).set(auth).expect(200);
  expect(documents.body.documents.map((d: { title: string }) => d.title)).toEqual(['容错申请受理决定告知书']);
  const file = await request(stack.app).get(documents.body.documents[0].href).set(auth).buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
  expect(file.status).toBe(200);
  expect(file.headers['x-content-sha256']).toBe(documents.body.documents[0].sha256);
  expect((file.body as Buffer).subarray(0, 2).toString()).toBe('PK');

  const stranger = await stack.token({ roles: ['auditor'], authority: 'binhai-jw' });
  expect((await request(stack.app).get(`/v1/cases/${id}`).set('Authorization', `Bearer ${stranger}`)).status).toBe(404);
});
