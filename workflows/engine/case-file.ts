/**
 * The case as the workflow keeps it: state, timeline and the search attributes
 * that mirror it for ops. Every change goes through here so the search
 * attributes never fall behind the state.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { searchAttributes as sa, type CaseInput, type CaseState, type TimelineEntry } from '../../domain/case/contract';
import { openingState } from '../../domain/case/opening';
import { openingEventOf } from '../../domain/rulebooks/schema';

export class CaseFile {
  readonly state: CaseState;
  private published = '';

  constructor(input: CaseInput) {
    this.state = openingState(input);
    const opening = openingEventOf(input.rulebook, input.route);
    this.record('caseOpened', { actor: input.openedBy, detail: `事由：${input.matter}；${opening.label}：${input.eventDate}`, ...(opening.basis ? { basis: opening.basis } : {}) });
  }

  record(event: string, extra: Omit<TimelineEntry, 'at' | 'event'> = {}): void {
    this.state.timeline.push({ at: new Date(Date.now()).toISOString(), event, ...extra });
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

  /** Mirrors the state into the search attributes ops filter on; writes only when something changed. */
  publish(): void {
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
