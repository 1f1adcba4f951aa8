/**
 * A case is read, and a step on it authorised, from the case's own view in
 * the archive, which the case writes in the workflow task of each change: so
 * GET answers, fresh, with no worker running, and a step costs one Workflow
 * Update, whose answer (kept in the history) stays small however long the case.
 */
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { findCaseView } from '../../store/case-views';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let auth: { Authorization: string };
const today = beijingDate(Date.now());

beforeAll(async () => {
  stack = await startStack({ stepWaitMs: 1_500 });
  auth = { Authorization: `Bearer ${await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'bh-9', name: '周办案' })}` };
});
afterAll(() => stack?.stop());

async function openBinhai(): Promise<string> {
  const created = await request(stack.app)
    .post('/v1/cases')
    .set(auth)
    .send({ jurisdiction: 'binhai', subject: { name: '吴某', organisation: '某街道' }, matter: '拆违中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕19号' }, eventDate: today })
    .expect(201);
  return created.body.id as string;
}

const step = (id: string, action: string, body: object, key: string) => request(stack.app).post(`/v1/cases/${id}/actions/${action}`).set(auth).set('Idempotency-Key', key).send(body);

describe('reading a case', () => {
  it('answers the state a step left, from the case’s view, at the version the step answered with', async () => {
    const id = await openBinhai();
    await eventually(async () => expect((await request(stack.app).get(`/v1/cases/${id}`).set(auth)).body.availableActions.map((a: { name: string }) => a.name)).toContain('fileApplication'));
    const res = await step(id, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' }, 'apply-1').expect(200);
    // The answer is the case after the step, read from its view: no query to the worker.
    expect(res.body.application).toMatchObject({ filedBy: 'subject', filedAt: today });
    expect(res.body.freshness).toMatchObject({ source: 'caseView', version: expect.any(Number) });
    const view = await findCaseView(stack.db, id);
    expect(view!.version).toBe(res.body.freshness.version);
    expect(view!.state.stage).toBe(res.body.stage);
    await recordHistory('binhai-application-with-case-view', stack.env.client.workflow.getHandle(id));
  });

  it('still answers, and authorises a step, with no worker running; the step waits for one', async () => {
    const id = await openBinhai();
    await eventually(async () => expect((await request(stack.app).get(`/v1/cases/${id}`).set(auth)).body.availableActions.map((a: { name: string }) => a.name)).toContain('fileApplication'));
    await stack.stopWorker();
    try {
      const read = await request(stack.app).get(`/v1/cases/${id}`).set(auth);
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ caseId: id, stage: 'application', freshness: { source: 'caseView' } });
      // Authorised from the view (a subject's own account would be refused here); the case cannot take it yet.
      const pending = await step(id, 'fileApplication', { filedBy: 'subject', receivedOn: today, summary: '申请容错免责' }, 'apply-2');
      expect(pending.status).toBe(202);
      expect(pending.headers.location).toContain(`/v1/cases/${id}/steps/`);
      await stack.startWorker();
      const taken = await eventually(async () => {
        const res = await request(stack.app).get(pending.body.href).set(auth);
        expect(res.status).toBe(200);
        return res.body;
      }, 60_000);
      expect(taken.application).toMatchObject({ filedBy: 'subject' });
    } finally {
      await stack.startWorker();
    }
  });
});

describe('what a step leaves in the history', () => {
  it('is an answer of a few hundred bytes, however long the case has grown', async () => {
    const id = await openBinhai();
    await eventually(async () => expect((await request(stack.app).get(`/v1/cases/${id}`).set(auth)).body.availableActions.map((a: { name: string }) => a.name)).toContain('recordRecusal'));
    for (let i = 0; i < 12; i += 1) {
      await step(id, 'recordRecusal', { person: { name: `回避人${i}` }, reason: '与被调查对象有利害关系，说明较长的理由以使案卷增大'.repeat(4) }, `recusal-${i}`).expect(200);
    }
    const history = await stack.env.client.workflow.getHandle(id).fetchHistory();
    const completed = (history.events ?? []).filter((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED);
    const sizes = completed.map((e) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length);
    expect(sizes).toHaveLength(12);
    // The state grows with every recusal; the answers do not.
    expect(Math.max(...sizes)).toBeLessThan(1_024);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(64);
    await stack.env.client.workflow.getHandle(id).terminate('test done');
  });
});
