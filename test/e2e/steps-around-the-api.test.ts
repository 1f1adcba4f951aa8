/**
 * Only the API makes steps (issue 26). On the CLI's dev server, with the
 * worker and the API as the product runs them: a step sent in clear, with no
 * key, through the frontend's HTTP API or the `temporal` CLI, naming a
 * made-up officer or supervisor, is refused before any handler runs and the
 * case is unchanged; a sealed step copied from another case is refused the
 * same way; a forged signal is dropped, and the case goes on taking steps,
 * with no failed workflow task in its history.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { eventually } from '../support/eventually';
import { recordHistory } from '../support/histories';
import { freePort } from '../support/ports';
import { startStack, type Stack } from '../support/stack';
import { temporalCliPath } from '../support/tools';

const EventType = temporal.api.enums.v1.EventType;
const TODAY = beijingDate(Date.now());
const MADE_UP_OFFICER = { sub: 'made-up-officer', name: '假办案', roles: ['officer'] };
const MADE_UP_SUPERVISOR = { sub: 'made-up-supervisor', name: '假主任', roles: ['supervisor'] };

let stack: Stack;
let httpPort: number;
let officer: string;
let namespace: string;

beforeAll(async () => {
  httpPort = await freePort();
  stack = await startStack({ temporalHttpPort: httpPort });
  namespace = stack.env.namespace ?? 'default';
  officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'officer-1', name: '李办案' });
});
afterAll(() => stack?.stop());

async function openCase(): Promise<string> {
  const created = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', `Bearer ${officer}`)
    .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道党工委' }, matter: '改革试点中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕31号' }, eventDate: TODAY })
    .expect(201);
  const id = created.body.id as string;
  await eventually(async () => expect((await seen(id)).availableActions.map((a: { name: string }) => a.name)).toContain('fileApplication'));
  return id;
}

/** The case as the API shows it to its officer. */
const seen = async (id: string) => (await request(stack.app).get(`/v1/cases/${id}`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
/** What a step changes: everything but when it was read. */
const unchangedPart = ({ freshness: _f, pendingEffects: _p, ...rest }: Record<string, unknown>) => rest;

async function events(id: string) {
  return (await stack.env.client.workflow.getHandle(id).fetchHistory()).events ?? [];
}
const updateIdsIn = (all: temporal.api.history.v1.IHistoryEvent[]) =>
  all.flatMap((e) => [e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId, e.workflowExecutionUpdateAdmittedEventAttributes?.request?.meta?.updateId]).filter(Boolean);
const failedTasks = (all: temporal.api.history.v1.IHistoryEvent[]) => all.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);

function cli(...args: string[]) {
  return promisify(execFile)(temporalCliPath, [...args, '--address', stack.env.address, '--namespace', namespace], { timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, out: `${stdout}${stderr}` }),
    (err: { code?: number; stdout?: string; stderr?: string }) => ({ code: err.code ?? -1, out: `${err.stdout ?? ''}${err.stderr ?? ''}` }),
  );
}

const frontend = (path: string, body: unknown) =>
  fetch(`http://127.0.0.1:${httpPort}/api/v1/namespaces/${namespace}/workflows/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('a step sent around the API', () => {
  it('in clear through the frontend’s HTTP API, as a made-up officer, is refused and the case is unchanged', async () => {
    const id = await openCase();
    const before = await seen(id);
    const res = await frontend(`${id}/update/fileApplication`, {
      request: { meta: { updateId: 'forged-over-http' }, input: { args: [{ filedBy: 'subject', receivedOn: TODAY, summary: '伪造的申请', actor: MADE_UP_OFFICER }] } },
      waitPolicy: { lifecycleStage: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED' },
    });
    const answer = (await res.json()) as { outcome?: { failure?: { message?: string; applicationFailureInfo?: { type?: string } } } };
    // Rejected in validation, before the case accepted it; why is sealed, like every failure, so the sender reads nothing of the case.
    expect(res.status).toBe(200);
    expect(answer.outcome?.failure?.message).toBe('Encoded failure');
    expect(answer.outcome?.failure?.applicationFailureInfo?.type).toBe('UnsealedPayload');

    expect(unchangedPart(await seen(id))).toEqual(unchangedPart(before));
    const all = await events(id);
    expect(updateIdsIn(all)).not.toContain('forged-over-http');
    expect(failedTasks(all)).toEqual([]);
  });

  it('in clear through the temporal CLI, a made-up supervisor withdrawing the case, is refused and the case is unchanged', async () => {
    const id = await openCase();
    const before = await seen(id);
    const sent = await cli('workflow', 'update', 'execute', '--workflow-id', id, '--name', 'withdrawCase', '--update-id', 'forged-with-cli', '--input', JSON.stringify({ reason: '伪造的撤销', actor: MADE_UP_SUPERVISOR }));
    expect(sent.code).not.toBe(0);
    expect(sent.out).toMatch(/Encoded failure/);

    const after = await seen(id);
    expect(after.closed).toBe(false);
    expect(unchangedPart(after)).toEqual(unchangedPart(before));
    const all = await events(id);
    expect(updateIdsIn(all)).not.toContain('forged-with-cli');
    expect(failedTasks(all)).toEqual([]);
    // The real supervisor still can, through the API.
    const withdrawn = await request(stack.app).post(`/v1/cases/${id}/actions/withdrawCase`).set('Authorization', `Bearer ${officer}`).send({ reason: '问责程序已终止' }).expect(200);
    expect(withdrawn.body.closed).toBe(true);
  });

  it('sealed, but copied from another case, is refused: a payload opens only for the case it was sealed for', async () => {
    const [source, target] = [await openCase(), await openCase()];
    await request(stack.app)
      .post(`/v1/cases/${source}/actions/fileApplication`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ filedBy: 'subject', receivedOn: TODAY, summary: '本人申请' })
      .expect(200);
    const accepted = (await events(source)).find((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'fileApplication')!;
    const sealedStep = accepted.workflowExecutionUpdateAcceptedEventAttributes!.acceptedRequest!.input!.args!.payloads as Payload[];
    const before = await seen(target);
    const keyless = new Client({ connection: stack.env.connection, namespace });
    const outcome = await keyless.workflowService.updateWorkflowExecution({
      namespace,
      workflowExecution: { workflowId: target },
      request: { meta: { updateId: 'copied-from-another-case' }, input: { name: 'fileApplication', args: { payloads: sealedStep } } },
      waitPolicy: { lifecycleStage: temporal.api.enums.v1.UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED },
    });
    expect(outcome.outcome?.failure?.applicationFailureInfo?.type).toBe('UnsealedPayload');
    expect(unchangedPart(await seen(target))).toEqual(unchangedPart(before));
    expect(updateIdsIn(await events(target))).not.toContain('copied-from-another-case');
  });
});

describe('a signal sent around the API', () => {
  it('in clear, through the CLI and the HTTP API, is dropped; the case goes on taking steps, no workflow task failed', async () => {
    const id = await openCase();
    // One the handler would choke on (today that failed the case's workflow task for ever), one it would take.
    const signalled = await cli('workflow', 'signal', '--workflow-id', id, '--name', 'calendarUpdated', '--input', 'null');
    expect(signalled).toMatchObject({ code: 0 });
    expect((await frontend(`${id}/signal/calendarUpdated`, { input: [{ year: 2027, source: '伪造的日历' }] })).status).toBe(200);
    // Both are in the history: a signal is recorded before the case sees it.
    await eventually(async () => expect((await events(id)).filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)).toHaveLength(2));

    const filed = await request(stack.app)
      .post(`/v1/cases/${id}/actions/fileApplication`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ filedBy: 'subject', receivedOn: TODAY, summary: '本人申请' })
      .expect(200);
    expect(filed.body.application.summary).toBe('本人申请');
    const all = await events(id);
    expect(failedTasks(all)).toEqual([]);
    const lastSignal = all.map((e) => e.eventType).lastIndexOf(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
    expect(all.slice(lastSignal).some((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).toBe(true);
    const { raw } = await stack.env.client.workflow.getHandle(id).describe();
    expect(raw.pendingWorkflowTask?.attempt ?? 1).toBe(1);
    // Replayed on every run with the live converter: the dropped signals are dropped again, deterministically.
    await recordHistory('binhai-forged-signals-dropped', stack.env.client.workflow.getHandle(id));
  });
});
