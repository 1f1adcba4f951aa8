/**
 * A long case hands over to a new run of itself (continue-as-new) before its
 * history grows past what replays quickly or what the server allows (2,000
 * updates a run, 10 in flight; about 50,000 events): when the server suggests
 * it, or at the bounds below, whichever comes first. The case id, its number,
 * documents and notices, and the API do not change: the API always addresses
 * the case's current run.
 *
 * The new run takes the case's input and its journal (journal.ts) and applies
 * the journal again in its first workflow task, without a command: it arrives
 * at the same state, with the same steps on offer, the same deadlines waited
 * on (their timers set again to the same ends) and the view at the same
 * version, which it checks against what the run before handed over.
 *
 * The hand-over waits until the case is at rest with no effect under way, then
 * refuses new steps (type HandingOver; the API sends them again, to the new
 * run), lets the steps already accepted finish (`allHandlersFinished`), and
 * continues as new. A step the run before applied and that is sent again under
 * the same update id (a retry) is answered as it was, not applied twice.
 */
import { allHandlersFinished, condition, makeContinueAsNewFunc, workflowInfo } from '@temporalio/workflow';
import { RefusalType, type CaseInput, type CaseState } from '../../domain/case/contract';
import { refuse } from './actions';
import type { CaseContext } from './context';
import type { Entry } from './journal';

/** When a run hands over at the latest, whatever the server suggests. */
export interface HandOverBounds {
  /** Steps (updates) accepted in one run; the server allows 2,000 and suggests a hand-over at 1,800. */
  updates: number;
  /** Events in the run's history; the server's hard limit is 51,200, and replay time grows with them. */
  events: number;
}

export const HAND_OVER_BOUNDS: HandOverBounds = { updates: 150, events: 1_500 };

/** The workflow's second argument: absent when a case is opened, the hand-over when a run continues as new. */
export interface CaseRun {
  /** Tests set lower bounds to hand over sooner; carried to every later run. */
  bounds?: Partial<HandOverBounds>;
  handOver?: {
    /** When the case's first run started (ms): the procedure starts again at that time. */
    startedAt: number;
    journal: Entry[];
    /** The view's version and a digest of the state the run before handed over at: the new run must arrive at both. */
    version: number;
    digest: string;
    /** How many runs the case had before this one. */
    runs: number;
  };
}

/** A digest of the state (FNV-1a, 64 bits as two halves): the new run checks it arrived where the run before stood. */
export function digestOf(state: CaseState): string {
  const text = JSON.stringify(state);
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c ^ (i & 0xff), 0x01000193) >>> 0;
  }
  return `${a.toString(16).padStart(8, '0')}${b.toString(16).padStart(8, '0')}`;
}

/** The new run arrived where the run before stood, or this throws (failing the workflow task, for ops to see). */
export function checkArrived(ctx: CaseContext, handOver: NonNullable<CaseRun['handOver']>): void {
  const digest = digestOf(ctx.file.state);
  if (digest !== handOver.digest || ctx.file.currentVersion !== handOver.version) {
    throw new Error(
      `hand-over of ${ctx.input.caseId}: the new run arrived at state ${digest} version ${ctx.file.currentVersion}, the run before handed over at ${handOver.digest} version ${handOver.version}`,
    );
  }
}

/**
 * Resolves when the run should hand over and may: the server suggests it or a bound is reached, the
 * case is at rest, no effect is under way, no step is waiting, and every handler has finished. New
 * steps are refused from the moment the case is ready until it continues as new.
 */
export async function readyToHandOver(ctx: CaseContext, bounds: HandOverBounds): Promise<void> {
  const journal = ctx.file.journal;
  const due = () => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength >= bounds.events || journal.updatesThisRun >= bounds.updates;
  };
  const quiet = () => !ctx.file.state.closed && ctx.actions.atRest && journal.idle;
  for (;;) {
    await condition(() => due() && quiet());
    journal.refuseSteps = () => refuse(RefusalType.handingOver, '案件正在交接至新的运行（continue-as-new），请稍后重试 (the case is handing over to a new run: send the step again)');
    await condition(() => allHandlersFinished() && journal.idle);
    if (quiet()) return;
    // A step that finished set the case moving again: it hands over once it is at rest again.
    journal.refuseSteps = undefined;
  }
}

/**
 * Continues the case as new, handing over its journal, with the run's memo (the matter, encrypted) and
 * search attributes as they stand. Never returns.
 */
export function handOver(ctx: CaseContext, input: CaseInput, run: CaseRun, startedAt: number, bounds: HandOverBounds): Promise<never> {
  const info = workflowInfo();
  const continueCase = makeContinueAsNewFunc<(input: CaseInput, run?: CaseRun) => Promise<CaseState>>({
    ...(info.memo ? { memo: info.memo } : {}),
    typedSearchAttributes: info.typedSearchAttributes,
  });
  return continueCase(input, {
    bounds,
    handOver: {
      startedAt,
      journal: ctx.file.journal.entries,
      version: ctx.file.currentVersion,
      digest: digestOf(ctx.file.state),
      runs: (run.handOver?.runs ?? 0) + 1,
    },
  });
}
