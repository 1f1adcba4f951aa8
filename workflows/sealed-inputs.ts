/**
 * Only what a holder of the payload keys sealed reaches a case. The worker's
 * payload codec hands on a refusal (services/codec/refusal.ts) in place of a
 * payload that is not sealed with a key it holds, was altered, or was sealed
 * for another case: a step sent with the Temporal CLI or the frontend's HTTP
 * API, with no key and naming any actor it likes. Before any handler runs:
 *
 * - an update carrying one is rejected in its validation (every step has a
 *   validator), so it is neither accepted nor written to the history, and
 *   the caller is told; should one come without validation it fails without
 *   running;
 * - a signal carrying one is dropped and logged: a signal is in the history
 *   before the workflow sees it, so anything but dropping it (failing the
 *   task) would stop the case for good;
 * - a workflow input that is one fails that workflow (started around the
 *   API), unless it was sealed with a key this worker lacks: then the task
 *   fails, and is retried until the key is restored (the worker refuses to
 *   start without a key a running case was opened with);
 * - a query carrying one fails.
 *
 * Deterministic: whether a payload is refused depends only on the history and
 * the keys, and a refused update leaves no trace in the history.
 */
import { ApplicationFailure, log, type WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { REFUSAL_WORDS, refusalOf, type RefusalReason } from '../services/codec/refusal';

/** The ApplicationFailure type of every refusal, for callers and tests. */
export const UNSEALED_PAYLOAD = 'UnsealedPayload';

const refusalIn = (args: readonly unknown[]): RefusalReason | undefined => args.map(refusalOf).find((r) => r !== undefined);
const refused = (what: string, reason: RefusalReason) =>
  ApplicationFailure.create({ type: UNSEALED_PAYLOAD, message: `${what} refused: ${REFUSAL_WORDS[reason]}`, nonRetryable: true });

/*
 * None of these is async, and each hands on `next`'s own promise: a wrapper that awaited would add
 * microtask turns to every update and signal, which reorders the commands of running cases against
 * their histories (replay caught it). For the same reason activity results are not checked here.
 */
export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      execute(input, next) {
        const reason = refusalIn(input.args);
        if (reason === 'unknown-key') return Promise.reject(new Error(`workflow input ${REFUSAL_WORDS[reason]}: restore the key to PAYLOAD_KEYS`));
        if (reason) return Promise.reject(refused('workflow input', reason));
        return next(input);
      },
      validateUpdate(input, next) {
        const reason = refusalIn(input.args);
        if (reason) throw refused(`update ${input.name}`, reason);
        next(input);
      },
      handleUpdate(input, next) {
        const reason = refusalIn(input.args);
        if (reason) return Promise.reject(refused(`update ${input.name}`, reason));
        return next(input);
      },
      handleSignal(input, next) {
        const reason = refusalIn(input.args);
        if (!reason) return next(input);
        log.warn('signal dropped: its payload is refused', { signal: input.signalName, reason });
        return Promise.resolve();
      },
      handleQuery(input, next) {
        const reason = refusalIn(input.args);
        if (reason) return Promise.reject(refused(`query ${input.queryName}`, reason));
        return next(input);
      },
    },
  ],
});
