/**
 * A closed case outlives its workflow history: Temporal removes histories
 * after the namespace's retention, so closing writes the dossier to the
 * archive, and the API answers from it, documents included, once the
 * workflow is gone (deleted here, as retention would).
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { DOSSIER_SWEEP_WORKFLOW_TYPE } from '../../domain/case/contract';
import { dossierDocuments } from '../../store/dossiers';
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
  const download = (accept?: string) => {
    const req = request(stack.app).get(documents.body.documents[0].href).set(auth);
    return (accept ? req.set('Accept', accept) : req).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  };
  const file = await download();
  expect(file.status).toBe(200);
  expect(file.headers['x-content-sha256']).toBe(documents.body.documents[0].sha256);
  // 国密: the SM3 recorded beside it, listed and sent the same way.
  expect(file.headers['x-content-sm3']).toBe(createHash('sm3').update(file.body as Buffer).digest('hex'));
  expect(documents.body.documents[0].sm3).toBe(file.headers['x-content-sm3']);
  expect((file.body as Buffer).subarray(0, 2).toString()).toBe('PK');

  // The archival PDF/A copy, rendered when the case closed, served with its own hash and listed in the dossier.
  const pdf = await download('application/pdf');
  expect(pdf.status).toBe(200);
  expect(pdf.headers['content-type']).toMatch(/^application\/pdf/);
  expect((pdf.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
  const pdfHash = createHash('sha256').update(pdf.body as Buffer).digest('hex');
  expect(pdf.headers['x-content-sha256']).toBe(pdfHash);
  expect(documents.body.documents[0].archivalSha256).toBe(pdfHash);
  const pdfSm3 = createHash('sm3').update(pdf.body as Buffer).digest('hex');
  expect([pdf.headers['x-content-sm3'], documents.body.documents[0].archivalSm3]).toEqual([pdfSm3, pdfSm3]);
  expect(await dossierDocuments(stack.db, id)).toEqual([
    expect.objectContaining({
      documentId: documents.body.documents[0].documentId,
      sha256: documents.body.documents[0].sha256,
      archivalSha256: pdfHash,
      sm3: documents.body.documents[0].sm3,
      archivalSm3: pdfSm3,
    }),
  ]);

  const stranger = await stack.token({ roles: ['auditor'], authority: 'binhai-jw' });
  expect((await request(stack.app).get(`/v1/cases/${id}`).set('Authorization', `Bearer ${stranger}`)).status).toBe(404);
});

it('writes the dossier of a terminated case in the sweep, so the API still answers for it once Temporal has deleted the workflow', async () => {
  const officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'bh-1', name: '周办案' });
  const auth = { Authorization: `Bearer ${officer}` };
  const today = beijingDate(Date.now());
  const created = await request(stack.app)
    .post('/v1/cases')
    .set(auth)
    .send({ jurisdiction: 'binhai', subject: { name: '吴某', organisation: '某街道' }, matter: '拆违中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕9号' }, eventDate: today })
    .expect(201);
  const id: string = created.body.id;
  await eventually(async () => {
    expect((await request(stack.app).get(`/v1/cases/${id}`).set(auth)).body.stage).toBe('application');
  });
  const handle = stack.env.client.workflow.getHandle(id);
  await handle.terminate('opened in error');
  // Visibility shows the run closed before the sweep can find it.
  await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of stack.env.client.workflow.list({ query: `CaseId = "${id}" AND ExecutionStatus = "Terminated"` })) ids.push(wf.workflowId);
    expect(ids).toEqual([id]);
  });

  const swept = await stack.env.client.workflow.execute(DOSSIER_SWEEP_WORKFLOW_TYPE, { taskQueue: stack.taskQueue, workflowId: `sweep-${id}`, args: [{ lookbackHours: 1 }] });
  expect(swept.written).toContain(id);
  // A second sweep finds nothing more to write for it.
  const again = await stack.env.client.workflow.execute(DOSSIER_SWEEP_WORKFLOW_TYPE, { taskQueue: stack.taskQueue, workflowId: `sweep-again-${id}`, args: [{ lookbackHours: 1 }] });
  expect(again.written).not.toContain(id);

  await stack.env.client.workflowService.deleteWorkflowExecution({ namespace: stack.env.namespace ?? 'default', workflowExecution: { workflowId: id } });
  await eventually(async () => {
    const error = await handle.fetchHistory().then(() => undefined, (e: unknown) => e);
    expect(error).toBeDefined();
  }, 30_000);
  const archived = await request(stack.app).get(`/v1/cases/${id}`).set(auth);
  expect(archived.status).toBe(200);
  expect(archived.body).toMatchObject({ caseId: id, closed: true, outcome: 'terminated', stage: 'closed' });
  expect(archived.body.timeline.at(-1).detail).toContain('工作流被强制终止');
  expect(archived.body.deadlines.map((d: { key: string }) => d.key)).toContain('application');
});
