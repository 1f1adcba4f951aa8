/**
 * The case as the workflow keeps it: state, timeline and the search attributes
 * that mirror it for ops. Every change goes through here so the search
 * attributes never fall behind the state.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import {
  searchAttributes as sa,
  type Actor,
  type CaseInput,
  type CaseState,
  type TimelineEntry,
} from '../domain/case/contract';

export class CaseFile {
  readonly state: CaseState;

  constructor(input: CaseInput) {
    this.state = {
      caseId: input.caseId,
      jurisdiction: input.rulebook.id,
      rulebookVersion: input.rulebook.version,
      authority: input.authority,
      subject: input.subject,
      matter: input.matter,
      accountability: input.accountability,
      stage: 'opened',
      closed: false,
      deadlines: [],
      timeline: [],
    };
    this.record('caseOpened', { actor: input.openedBy, detail: `事由：${input.matter}` });
  }

  record(event: string, extra: Omit<TimelineEntry, 'at' | 'event'> = {}): void {
    this.state.timeline.push({ at: new Date(Date.now()).toISOString(), event, ...extra });
  }

  enterStage(stage: string, actor?: Actor): void {
    this.state.stage = stage;
    this.record('stageEntered', { detail: stage, ...(actor ? { actor } : {}) });
    this.publish();
  }

  close(outcome: string, detail: string): void {
    this.state.stage = 'closed';
    this.state.outcome = outcome;
    this.state.closed = true;
    this.record('caseClosed', { detail: `${outcome}：${detail}` });
    this.publish();
  }

  /** Mirrors the state into the search attributes ops filter on. */
  publish(): void {
    const pending = this.state.deadlines.filter((d) => d.status === 'pending');
    const next = pending.map((d) => d.endsAt).sort()[0];
    upsertSearchAttributes([
      { key: sa.caseId, value: this.state.caseId },
      { key: sa.jurisdiction, value: this.state.jurisdiction },
      { key: sa.authority, value: this.state.authority },
      { key: sa.stage, value: this.state.stage },
      { key: sa.outcome, value: this.state.outcome ?? null },
      { key: sa.nextDeadline, value: next ? new Date(next) : null },
      { key: sa.overdue, value: this.state.deadlines.some((d) => d.binds === 'authority' && d.status === 'lapsed') },
      { key: sa.provisionalDeadline, value: pending.some((d) => d.provisional) },
    ]);
  }
}
