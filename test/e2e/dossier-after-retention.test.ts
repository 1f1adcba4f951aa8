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
import { MockActivityEnvironment } from '@temporalio/testing';
import { dossierActivities } from '../../activities/dossiers';
import { loadAuthorities } from '../../config/authorities';
import { libreOfficeRenderer } from '../../services/documents/render-pdf';
import { dossierBoundFile, dossierDocuments, readWatermark } from '../../store/dossiers';
import { testPayloadKeys } from '../support/keys';
import { readZip } from '../../services/casefile/zip';
import { pdfOf } from '../support/material-files';
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
  const scan = await pdfOf(2, 'Application');
  const material = await request(stack.app).post(`/v1/cases/${id}/materials`).set(auth).field('kind', 'application').field('title', '书面申诉').field('originalDate', today).attach('file', scan, 'a.pdf').expect(201);
  await request(stack.app).post(`/v1/cases/${id}/actions/decideAcceptance`).set(auth).send({ accepted: false, decidedOn: today, reason: '不属于容错调查范围' }).expect(200);
  await stack.env.client.workflow.getHandle(id).result();

  const live = (await request(stack.app).get(`/v1/cases/${id}`).set(auth)).body;
  expect(live).toMatchObject({ closed: true, outcome: 'notAccepted' });
  // A closed case's file takes no more materials, and withdraws none.
  const late = await request(stack.app).post(`/v1/cases/${id}/materials`).set(auth).field('kind', 'other').field('title', '迟到的材料').attach('file', scan, 'b.pdf');
  expect([late.status, late.body.code]).toEqual([409, 'case_closed']);
  expect((await request(stack.app).post(`/v1/materials/${material.body.materialId}/withdrawal`).set(auth).send({ reason: '结案后撤回' })).status).toBe(409);

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
  const download = (href: string, accept?: string) => {
    const req = request(stack.app).get(href).set(auth);
    return (accept ? req.set('Accept', accept) : req).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
  };
  const file = await download(documents.body.documents[0].href);
  expect(file.status).toBe(200);
  expect(file.headers['x-content-sha256']).toBe(documents.body.documents[0].sha256);
  // 国密: the SM3 recorded beside it, listed and sent the same way.
  expect(file.headers['x-content-sm3']).toBe(createHash('sm3').update(file.body as Buffer).digest('hex'));
  expect(documents.body.documents[0].sm3).toBe(file.headers['x-content-sm3']);
  expect((file.body as Buffer).subarray(0, 2).toString()).toBe('PK');

  // The archival PDF/A copy, rendered when the case closed, served with its own hash and listed in the dossier.
  const pdf = await download(documents.body.documents[0].href, 'application/pdf');
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

  // Still listed: past Temporal's cases, the archive's.
  const listed: { id: string; archived?: boolean }[] = [];
  for (let token: string | null = null, pages = 0; pages < 20; pages += 1) {
    const page: { body: { cases: { id: string; archived?: boolean }[]; nextPageToken: string | null } } = await request(stack.app).get('/v1/cases').query({ pageSize: 5, ...(token ? { pageToken: token } : {}) }).set(auth).expect(200);
    listed.push(...page.body.cases);
    token = page.body.nextPageToken;
    if (!token) break;
  }
  expect(listed.filter((c) => c.id === id)).toEqual([expect.objectContaining({ id, archived: true, stage: 'closed', outcome: 'notAccepted', matter: '征地补偿中的程序问题' })]);
  expect((await request(stack.app).get('/v1/cases').query({ q: '征地补偿' }).set(auth).expect(200)).body.cases.map((c: { id: string }) => c.id)).toContain(id);
  expect((await request(stack.app).get('/v1/cases').query({ stage: 'investigation' }).set(auth).expect(200)).body.cases.map((c: { id: string }) => c.id)).not.toContain(id);

  // The bound file, from the archive alone: its digests those the dossier recorded, its 目录 the case's document and material.
  const bound = await download(`/v1/cases/${id}/bound-file`);
  expect(bound.status).toBe(200);
  const boundHash = createHash('sha256').update(bound.body as Buffer).digest('hex');
  expect(bound.headers['x-content-sha256']).toBe(boundHash);
  expect(await dossierBoundFile(stack.db, id)).toMatchObject({ sha256: boundHash, sm3: bound.headers['x-content-sm3'], validation: { compliant: true } });
  const contents = (await request(stack.app).get(`/v1/cases/${id}/bound-file`).set(auth).set('Accept', 'application/json').expect(200)).body;
  expect(contents.contents.items.map((i: { title: string; firstPage: number }) => [i.title, i.firstPage])).toEqual([['书面申诉', 1], ['《容错申请受理决定告知书》', 3]]);
  expect(archived.body.timeline.map((t: { event: string }) => t.event)).toContain('caseFileBound');
  // And its export: the bound PDF, the originals and the manifest of their digests.
  const exported = await download(`/v1/cases/${id}/export`);
  expect(exported.status).toBe(200);
  const entries = new Map(readZip(exported.body as Buffer).map((e) => [e.name, e.bytes]));
  const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8'));
  expect(manifest.boundFile.sha256).toBe(boundHash);
  expect(manifest.materials).toEqual([expect.objectContaining({ materialId: material.body.materialId, sha256: createHash('sha256').update(scan).digest('hex'), sequence: 1, pages: [1, 2] })]);
  expect(Buffer.compare(entries.get(manifest.materials[0].path)!, scan)).toBe(0);
  for (const doc of manifest.documents) for (const f of doc.files) expect(createHash('sha256').update(entries.get(f.path)!).digest('hex')).toBe(f.sha256);

  const stranger = await stack.token({ roles: ['auditor'], authority: 'binhai-jw' });
  expect((await request(stack.app).get(`/v1/cases/${id}`).set('Authorization', `Bearer ${stranger}`)).status).toBe(404);
  expect((await request(stack.app).get(`/v1/cases/${id}/bound-file`).set('Authorization', `Bearer ${stranger}`)).status).toBe(404);
}, 180_000);

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
  await request(stack.app).post(`/v1/cases/${id}/actions/recordRecusal`).set(auth).send({ person: { name: '郑某' }, reason: '系被调查对象近亲属' }).expect(200);
  const handle = stack.env.client.workflow.getHandle(id);
  await handle.terminate('opened in error');

  // Visibility shows the run closed before the sweep can find it.
  await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of stack.env.client.workflow.list({ query: `CaseId = "${id}" AND ExecutionStatus = "Terminated"` })) ids.push(wf.workflowId);
    expect(ids).toEqual([id]);
  });

  // A watermark three days old, as after a sweep that did not run for three days: this sweep starts there, no fixed window.
  await stack.db.query(`insert into sweep_watermarks (name, closed_at) values ('dossier-sweep', now() - interval '3 days') on conflict (name) do update set closed_at = excluded.closed_at`);
  // With no worker to answer the closed run's query, the sweep takes the case's last state from the read model.
  await stack.stopWorker();
  const sweep = dossierActivities(stack.env.client, stack.db, { keyring: testPayloadKeys, renderer: libreOfficeRenderer(), authorities: loadAuthorities(), queryWaitMs: 1_000 });
  const swept = (await new MockActivityEnvironment().run(sweep.sweepDossiers, {})) as { written: string[]; bound: string[] };
  await stack.startWorker();
  expect(swept.written).toContain(id);
  expect(swept.bound).toContain(id);
  // The watermark moved to the newest close time the sweep recorded: at least this case's.
  const closeTime = (await handle.describe()).closeTime!;
  expect(Date.parse((await readWatermark(stack.db, 'dossier-sweep'))!)).toBeGreaterThanOrEqual(closeTime.getTime() - 1000);
  // A second sweep finds nothing more to write for it.
  const again = await stack.env.client.workflow.execute(DOSSIER_SWEEP_WORKFLOW_TYPE, { taskQueue: stack.taskQueue, workflowId: `sweep-again-${id}`, args: [{}] });
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
  // The timeline as the read model had it: the recusal recorded before the case was terminated is there.
  expect(archived.body.timeline.map((t: { event: string }) => t.event)).toEqual(expect.arrayContaining(['caseOpened', 'recusalRecorded', 'caseClosed']));
  // And its file, bound by the sweep.
  const bound = await request(stack.app).get(`/v1/cases/${id}/bound-file`).set(auth).set('Accept', 'application/json').expect(200);
  expect(bound.body.validation.compliant).toBe(true);
  expect((await dossierBoundFile(stack.db, id))?.sha256).toBe(bound.body.sha256);
}, 180_000);
