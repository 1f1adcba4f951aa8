/**
 * The case as the workflow keeps it: state, timeline, the search attributes
 * that mirror it for ops, and the case's view in the archive (the read model
 * the API answers from). Every change goes through here so neither the search
 * attributes nor the view ever fall behind the state.
 */
import { proxySinks, upsertSearchAttributes, workflowInfo, type Sinks } from '@temporalio/workflow';
import { searchAttributes as sa, type CaseInput, type CaseState, type StepResult, type TimelineEntry } from '../../domain/case/contract';
import { openingState } from '../../domain/case/opening';
import { openingEventOf } from '../../domain/rulebooks/schema';
import { now } from './clock';
import type { Journal } from './journal';

/**
 * The view is written by the worker itself, from outside the workflow's history: a sink the worker
 * calls once the workflow task's work is done and before its completion goes to the server, so by
 * the time a step's update answers, the view the API reads has it (worker/case-views.ts). Nothing of
 * it is in the history, and a replay (a case evicted from the cache, a worker restarted) writes
 * nothing: replaying a case costs what its inputs cost, not its state once per change. A view that
 * cannot be written (the archive down) is written whole by the next change; the API reads the case
 * itself meanwhile.
 */
export interface CaseViewSinks extends Sinks {
  caseView: { save(view: { state: CaseState; version: number }): void };
}
const { caseView } = proxySinks<CaseViewSinks>();

export class CaseFile {
  readonly state: CaseState;
  private published = '';
  /**
   * The version of the state, higher for each turn of the workflow in which it changed: the case's
   * clock in milliseconds, or one more than the last where two turns share a millisecond. So a version
   * never goes back, in this run, in the next (continue-as-new), or after a Reset, whose new turns
   * come later than any of the run reset; the view in the archive takes only a newer one.
   */
  private version = 0;
  /** The input whose turn moved the version last. */
  private versionTurn = -1;
  /** Changed since the view was last written. */
  private dirty = false;

  constructor(
    input: CaseInput,
    readonly journal: Journal,
  ) {
    this.state = openingState(input);
    journal.onSettled = () => this.writeView();
    const opening = openingEventOf(input.rulebook, input.route);
    this.record('caseOpened', { actor: input.openedBy, detail: `事由：${input.matter}；${opening.label}：${input.eventDate}`, ...(opening.basis ? { basis: opening.basis } : {}) });
  }

  record(event: string, extra: Omit<TimelineEntry, 'at' | 'event'> = {}): void {
    this.state.timeline.push({ at: new Date(now()).toISOString(), event, ...extra });
    this.changed();
  }

  /** What a step answers: the version the view will carry once this turn is done (the API reads at least that). */
  stepResult(): StepResult {
    return { caseId: this.state.caseId, version: this.version, stage: this.state.stage, closed: this.state.closed };
  }

  /**
   * The case changed: the version moves on once for each input that changes the state (journal.ts),
   * and the view is written once the case waits again, one write for all the changes the input set
   * going. Called for every timeline entry, every publish, and every change of the steps on offer.
   */
  changed(): void {
    this.dirty = true;
    if (this.versionTurn === this.journal.turn && this.version > 0) return;
    this.versionTurn = this.journal.turn;
    this.version = Math.max(this.version + 1, now());
  }

  /**
   * Writes the view if the last input changed the case: by the turns that take new inputs only (the
   * journal calls this once the case waits again), so a replay, or a new run catching up with the
   * journal of the run before, writes nothing: it arrives at a state whose view is written already.
   */
  writeView(): void {
    if (!this.dirty) return;
    this.dirty = false;
    if (!workflowInfo().unsafe.isReplaying) caseView.save({ state: this.state, version: this.version });
  }

  /** The version of the view the state is at now. */
  get currentVersion(): number {
    return this.version;
  }

  enterStage(stage: string): void {
    this.state.stage = stage;
    this.record('stageEntered', { detail: stage });
    this.publish();
  }

  /** A step that runs beside the main line starts; the main stage (and its search attribute) stays. */
  enterAlongside(stage: string): void {
    (this.state.alongside ??= []).push(stage);
    this.record('alongsideEntered', { detail: stage });
  }

  leaveAlongside(stage: string): void {
    this.state.alongside = (this.state.alongside ?? []).filter((s) => s !== stage);
    this.record('alongsideLeft', { detail: stage });
  }

  close(outcome: string, detail: string): void {
    this.state.stage = 'closed';
    this.state.outcome = outcome;
    this.state.closed = true;
    this.state.availableActions = [];
    this.record('caseClosed', { detail: `${outcome}：${detail}` });
    this.publish();
  }

  /** Mirrors the state into the search attributes ops filter on (writes only when something changed), and into the view. */
  publish(): void {
    this.changed();
    // A new run catching up keeps the search attributes of the run before (hand-over.ts), which are
    // what the state it arrives at publishes; it looks at them once it has arrived (`caughtUp`).
    if (this.journal.catchingUp) return;
    const values = this.searchValues();
    const fingerprint = JSON.stringify(values);
    if (fingerprint === this.published) return;
    this.published = fingerprint;
    upsertSearchAttributes([
      { key: sa.caseId, value: this.state.caseId },
      { key: sa.jurisdiction, value: this.state.jurisdiction },
      { key: sa.authority, value: this.state.authority },
      { key: sa.stage, value: values.stage },
      { key: sa.outcome, value: values.outcome },
      { key: sa.nextDeadline, value: values.next ? new Date(values.next) : null },
      { key: sa.overdue, value: values.overdue },
      { key: sa.provisionalDeadline, value: values.provisional },
      { key: sa.needsAttention, value: values.attention },
    ]);
  }

  /** A new run arrived where the run before stood: the search attributes it carried over are this state's. */
  caughtUp(): void {
    this.published = JSON.stringify(this.searchValues());
  }

  private searchValues() {
    const pending = this.state.deadlines.filter((d) => d.status === 'pending');
    const next = pending.map((d) => d.endsAt).sort()[0];
    return {
      stage: this.state.stage,
      outcome: this.state.outcome ?? null,
      next: next ?? null,
      overdue: this.state.deadlines.some((d) => d.binds === 'authority' && d.status === 'lapsed' && !d.metAt),
      provisional: pending.some((d) => d.provisional),
      attention: (this.state.attention ?? []).some((i) => i.status === 'open'),
    };
  }
}
