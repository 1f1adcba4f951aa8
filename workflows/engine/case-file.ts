/**
 * The case as the workflow keeps it: state, timeline, the search attributes
 * that mirror it for ops, and the case's view in the archive (the read model
 * the API answers from). Every change goes through here so neither the search
 * attributes nor the view ever fall behind the state.
 */
import { proxyLocalActivities, upsertSearchAttributes } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { searchAttributes as sa, type CaseInput, type CaseState, type StepResult, type TimelineEntry } from '../../domain/case/contract';
import { openingState } from '../../domain/case/opening';
import { openingEventOf } from '../../domain/rulebooks/schema';

/**
 * The view is written as a local activity: in the same workflow task as the change, so by the time a
 * step's update answers, the view the API reads has it; a local activity's input is not kept in the
 * history, so the history does not grow with the state. A view that cannot be written (the archive
 * down) is skipped: the next change writes the whole state again, and the API reads from the case.
 */
const { saveCaseView } = proxyLocalActivities<Pick<Activities, 'saveCaseView'>>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 3 },
});

export class CaseFile {
  readonly state: CaseState;
  private published = '';
  /** The version of the state: one more for each turn of the workflow in which it changed. */
  private version = 0;
  private viewScheduled = false;

  /** `keepsView`: the case writes its view (cases started before the view existed do not). */
  constructor(
    input: CaseInput,
    private readonly keepsView = false,
  ) {
    this.state = openingState(input);
    const opening = openingEventOf(input.rulebook, input.route);
    this.record('caseOpened', { actor: input.openedBy, detail: `事由：${input.matter}；${opening.label}：${input.eventDate}`, ...(opening.basis ? { basis: opening.basis } : {}) });
  }

  record(event: string, extra: Omit<TimelineEntry, 'at' | 'event'> = {}): void {
    this.state.timeline.push({ at: new Date(Date.now()).toISOString(), event, ...extra });
    this.changed();
  }

  /** What a step answers: the version the view will carry once this turn is done (the API reads at least that). */
  stepResult(): StepResult {
    return { caseId: this.state.caseId, version: this.version, stage: this.state.stage, closed: this.state.closed };
  }

  /**
   * The case changed: its view is written once this turn's synchronous work is done, one write for all
   * the changes of the turn (a microtask, so it is deterministic and inside the same workflow task).
   * Called for every timeline entry, every publish, and every change of the steps on offer.
   */
  changed(): void {
    if (!this.keepsView || this.viewScheduled) return;
    this.viewScheduled = true;
    this.version += 1;
    void Promise.resolve().then(() => {
      this.viewScheduled = false;
      saveCaseView({ state: this.state, version: this.version }).catch(() => undefined);
    });
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
    const pending = this.state.deadlines.filter((d) => d.status === 'pending');
    const next = pending.map((d) => d.endsAt).sort()[0];
    const values = {
      stage: this.state.stage,
      outcome: this.state.outcome ?? null,
      next: next ?? null,
      overdue: this.state.deadlines.some((d) => d.binds === 'authority' && d.status === 'lapsed' && !d.metAt),
      provisional: pending.some((d) => d.provisional),
      attention: (this.state.attention ?? []).some((i) => i.status === 'open'),
    };
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
}
