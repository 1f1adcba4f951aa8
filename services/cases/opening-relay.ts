/**
 * Starting a case's workflow from its opening (store/case-openings.ts), and
 * the relay that starts the openings whose own request did not: its process
 * died between the number and the start, or Temporal did not answer then.
 *
 * Starting twice is harmless, so the request and the relay (of any number of
 * API processes) may race: USE_EXISTING hands back the run that is there, and
 * REJECT_DUPLICATE never starts a new run under a case id whose case closed.
 * What keeps a case from a second run for good is the opening itself: it is
 * marked started once Temporal has the workflow, and a started opening is
 * never started again, even after Temporal's retention has forgotten the case.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy, type Payload, type WorkflowSerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CASE_MEMO, searchAttributes as sa, WORKFLOW_TYPE, type CaseInput } from '../../domain/case/contract';
import { findCaseOpening, markCaseStarted, markStartFailed, pendingCaseOpenings } from '../../store/case-openings';
import type { Queryable } from '../../store/db';
import { currentPayloadKeyId } from '../codec/codec';
import { REFUSAL_WORDS, refusalOf } from '../codec/refusal';

export interface OpeningLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface OpeningDeps {
  db: Queryable;
  client: Client;
  taskQueue: string;
  logger?: OpeningLogger;
}

/** The same context the client gives the workflow's input when it starts it: the payload is sealed for the case. */
function contextOf(client: Client, caseId: string): WorkflowSerializationContext {
  return { type: 'workflow', namespace: client.options.namespace, workflowId: caseId };
}

/** The case's input as its workflow's start would carry it (encrypted, bound to the case), as base64 for the outbox. */
export async function sealCaseInput(client: Client, caseId: string, input: CaseInput): Promise<string> {
  const converter = client.options.loadedDataConverter;
  let payloads: Payload[] = [converter.payloadConverter.toPayload(input)];
  for (const codec of converter.payloadCodecs) payloads = await codec.encode(payloads, contextOf(client, caseId));
  return Buffer.from(temporal.api.common.v1.Payload.encode(payloads[0]!).finish()).toString('base64');
}

export async function unsealCaseInput(client: Client, caseId: string, sealed: string): Promise<CaseInput> {
  const converter = client.options.loadedDataConverter;
  let payloads: Payload[] = [temporal.api.common.v1.Payload.decode(Buffer.from(sealed, 'base64'))];
  for (const codec of [...converter.payloadCodecs].reverse()) payloads = await codec.decode(payloads, contextOf(client, caseId));
  const input = converter.payloadConverter.fromPayload<CaseInput>(payloads[0]!);
  const refused = refusalOf(input);
  if (refused) throw new Error(`the opening of ${caseId} does not open: ${REFUSAL_WORDS[refused]}`);
  if (input.caseId !== caseId) throw new Error(`the opening of ${caseId} holds the input of ${input.caseId}`);
  return input;
}

/**
 * Starts the case of an opening unless it was started; true once Temporal has it. A start that fails
 * is counted on the opening and left to the relay, so the caller answers without a started case.
 * `fresh`: the opening its caller has just committed, so neither read nor opened again.
 */
export async function startCaseOpening(deps: OpeningDeps, caseId: string, fresh?: { input: CaseInput; matterTerms: string[] }): Promise<boolean> {
  let attempts = 0;
  try {
    let start = fresh;
    if (!start) {
      const opening = await findCaseOpening(deps.db, caseId);
      if (!opening) throw new Error(`${caseId} has no opening`);
      if (opening.startedAt) return true;
      attempts = opening.attempts;
      start = { input: await unsealCaseInput(deps.client, caseId, opening.sealedInput!), matterTerms: opening.matterTerms };
    }
    await startCaseWorkflow(deps, start.input, start.matterTerms);
  } catch (err) {
    // Temporal has this case id already: the request and the relay raced, or an earlier start's answer was lost.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      await markStartFailed(deps.db, caseId, (err as Error).message).catch(() => undefined);
      deps.logger?.warn({ caseId, attempts: attempts + 1, err: (err as Error).message }, 'case numbered, its workflow not started yet: the relay starts it');
      return false;
    }
  }
  // Off the answer's path: should it be lost, the relay's next start of the opening finds the run (USE_EXISTING) and marks it.
  markCaseStarted(deps.db, caseId).catch((err: Error) => deps.logger?.warn({ caseId, err: err.message }, 'case started, not yet marked so in its opening: the relay marks it'));
  return true;
}

function startCaseWorkflow(deps: OpeningDeps, input: CaseInput, matterTerms: string[]) {
  const payloadKey = currentPayloadKeyId(deps.client.options.loadedDataConverter);
  return deps.client.workflow.start(WORKFLOW_TYPE, {
    workflowId: input.caseId,
    taskQueue: deps.taskQueue,
    args: [input],
    // USE_EXISTING: a second start (the relay beside the request) finds the first run, not an error.
    // REJECT_DUPLICATE: a case id names one case for ever, never a second run after it closed.
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    // Search attributes are stored in clear: hashes of the matter's terms, never its words.
    typedSearchAttributes: [
      { key: sa.caseId, value: input.caseId },
      { key: sa.jurisdiction, value: input.rulebook.id },
      { key: sa.authority, value: input.authority },
      { key: sa.stage, value: 'opened' },
      { key: sa.matterTerms, value: matterTerms },
      ...(payloadKey ? [{ key: sa.payloadKey, value: payloadKey }] : []),
    ],
    // The memo is a payload, so it is encrypted: the case list shows the matter from it.
    memo: { [CASE_MEMO.matter]: input.matter },
    staticSummary: `${input.rulebook.name} ${input.caseId}`,
  });
}

/**
 * Starts every opening older than `olderThanMs` that is still not started; how many it started. Younger
 * ones are left to their own request, which is starting them.
 */
export async function startPendingOpenings(deps: OpeningDeps, olderThanMs: number): Promise<number> {
  let started = 0;
  for (const caseId of await pendingCaseOpenings(deps.db, olderThanMs)) {
    if (await startCaseOpening(deps, caseId)) {
      started += 1;
      deps.logger?.info({ caseId }, 'relay: started a case whose opening request did not');
    }
  }
  return started;
}

/** The API's relay: at start-up, then every `everyMs`, the openings left for `olderThanMs` are started. */
export function runOpeningRelay(deps: OpeningDeps & { logger: OpeningLogger }, everyMs = 15_000, olderThanMs = 10_000): { stop(): void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await startPendingOpenings(deps, olderThanMs);
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'relay: cannot read the openings now; asking again');
    } finally {
      running = false;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
