/**
 * Statutory deadlines inside a case: computed by the calendar activity (so the
 * result is in history), waited on with durable timers, and recomputed when
 * the schedule of a provisional year is loaded. Outer limits (the most an
 * investigation may be extended, or a decision deferred) are counted the same
 * way and recounted with them.
 */
import { addDays, endOfDayBeijing, type DeadlineComputation, type IsoDate } from '../../domain/calendar';
import type { DeadlineRecord, LimitRecord } from '../../domain/case/contract';
import type { Basis, DeadlineRule } from '../../domain/rulebooks/schema';
import type { Actions } from './actions';
import type { CaseFile } from './case-file';
import { now } from './clock';
import type { Effects } from './effects';

export interface DeadlineSpec {
  key: string;
  label: string;
  binds: DeadlineRecord['binds'];
  rule: DeadlineRule;
  from: IsoDate;
}

function apply(record: DeadlineRecord, computed: DeadlineComputation): void {
  record.deadline = computed.deadline;
  record.endsAt = computed.endsAt;
  record.provisional = computed.provisional;
  record.provisionalYears = computed.provisionalYears;
  record.skipped = computed.skipped;
}

export class Deadlines {
  constructor(
    private readonly file: CaseFile,
    private readonly effects: Effects,
  ) {}

  /** Counts a statutory period from `from` and starts tracking it. */
  async open(spec: DeadlineSpec): Promise<DeadlineRecord> {
    const computed = await this.effects.computeDeadline({ from: spec.from, amount: spec.rule.amount, unit: spec.rule.unit });
    return this.track({
      key: spec.key,
      label: spec.label,
      binds: spec.binds,
      basis: spec.rule.basis,
      from: spec.from,
      amount: spec.rule.amount,
      unit: spec.rule.unit,
      deadline: computed.deadline,
      endsAt: computed.endsAt,
      provisional: computed.provisional,
      provisionalYears: computed.provisionalYears,
      skipped: computed.skipped,
      status: 'pending',
    });
  }

  /** A deadline set to a date by a decision (e.g. a deferral until a day), not counted from a period. */
  openUntil(spec: { key: string; label: string; binds: DeadlineRecord['binds']; basis: Basis; from: IsoDate; until: IsoDate }): DeadlineRecord {
    let days = 0;
    while (addDays(spec.from, days) < spec.until) days += 1;
    return this.track({
      key: spec.key,
      label: spec.label,
      binds: spec.binds,
      basis: spec.basis,
      from: spec.from,
      amount: days,
      unit: 'days',
      deadline: spec.until,
      endsAt: new Date(endOfDayBeijing(spec.until)).toISOString(),
      provisional: false,
      provisionalYears: [],
      skipped: [],
      status: 'pending',
    });
  }

  private track(record: DeadlineRecord): DeadlineRecord {
    this.file.state.deadlines.push(record);
    this.file.record('deadlineSet', {
      detail: `${record.label}：${record.deadline}${record.provisional ? '（暂定，该年度节假日安排未公布）' : ''}`,
      basis: record.basis,
    });
    this.file.publish();
    return record;
  }

  /**
   * Counts an outer limit from `from`. Validators read the returned record, which stays live: a
   * recount when a provisional year is loaded moves it.
   */
  async openLimit(spec: { key: string; label: string; rule: DeadlineRule; from: IsoDate }): Promise<LimitRecord> {
    const computed = await this.effects.computeDeadline({ from: spec.from, amount: spec.rule.amount, unit: spec.rule.unit });
    const limit: LimitRecord = {
      key: spec.key,
      label: spec.label,
      deadline: computed.deadline,
      provisional: computed.provisional,
      basis: spec.rule.basis,
      from: spec.from,
      amount: spec.rule.amount,
      unit: spec.rule.unit,
      provisionalYears: computed.provisionalYears,
    };
    this.file.state.limits.push(limit);
    this.file.record('limitSet', { detail: `${spec.label}：${limit.deadline}${limit.provisional ? '（暂定，该年度节假日安排未公布）' : ''}`, basis: limit.basis });
    return limit;
  }

  /** Recounts a limit that was provisional for a year now loaded. */
  private async recountLimit(limit: LimitRecord, reason: string): Promise<void> {
    if (!limit.provisional || !limit.from || !limit.amount || !limit.unit) return;
    const computed = await this.effects.computeDeadline({ from: limit.from, amount: limit.amount, unit: limit.unit });
    const before = limit.deadline;
    if (computed.deadline === before && (computed.provisional || !limit.provisional)) return;
    limit.deadline = computed.deadline;
    limit.provisional = computed.provisional;
    limit.provisionalYears = computed.provisionalYears;
    this.file.record('limitRecomputed', {
      detail: `${limit.label}：${before} → ${computed.deadline}${computed.provisional ? '（仍为暂定）' : '（已确定）'}；${reason}`,
      basis: limit.basis,
    });
  }

  /** Recounts a pending provisional deadline; records the change if the date moved or became firm. */
  async recount(record: DeadlineRecord, reason: string): Promise<void> {
    if (record.status !== 'pending' || !record.provisional) return;
    const computed = await this.effects.computeDeadline({ from: record.from, amount: record.amount, unit: record.unit });
    if (record.status !== 'pending') return; // met or lapsed while the activity ran
    const before = record.deadline;
    if (computed.deadline === before && computed.provisional) return;
    // Two signals for the same year (the propagation's two passes) recount at once: the second finds
    // the first's result already applied, and records nothing.
    if (computed.deadline === before && !record.provisional) return;
    apply(record, computed);
    this.file.record('deadlineRecomputed', {
      detail: `${record.label}：${before} → ${computed.deadline}${computed.provisional ? '（仍为暂定）' : '（已确定）'}；${reason}`,
      basis: record.basis,
    });
    this.file.publish();
  }

  /**
   * Recounts a party's window that lapsed while its last day was provisional (see PROVISIONAL_LAPSE).
   * Its recording period is counted again from the window's new last day; a window whose official
   * last day is still to come is reopened (pending again), so the filing is taken as in time.
   */
  async recountLapsed(record: DeadlineRecord, reason: string): Promise<void> {
    if (record.status !== 'lapsed' || !record.provisional || record.binds !== 'party') return;
    const computed = await this.effects.computeDeadline({ from: record.from, amount: record.amount, unit: record.unit });
    if (record.status !== 'lapsed' || !record.provisional) return; // recounted meanwhile
    const before = record.deadline;
    if (computed.deadline === before && computed.provisional) return; // the year is still unpublished
    apply(record, computed);
    const reopened = Date.parse(record.endsAt) > now();
    if (reopened) record.status = 'pending';
    this.file.record(reopened ? 'windowReopened' : 'deadlineRecomputed', {
      detail: `${record.label}：${before} → ${computed.deadline}${computed.provisional ? '（仍为暂定）' : '（已确定）'}；${reason}${reopened ? '；按正式安排期限尚未届满，重新开放' : ''}`,
      basis: record.basis,
    });
    const recording = this.find(`${record.key}Recording`);
    if (!reopened && recording?.status === 'pending' && recording.from !== record.deadline) await this.rebase(recording, record.deadline, reason);
    this.file.publish();
  }

  /** Counts a pending period again from a new first day (a recording period after its window moved). */
  private async rebase(record: DeadlineRecord, from: IsoDate, reason: string): Promise<void> {
    const computed = await this.effects.computeDeadline({ from, amount: record.amount, unit: record.unit });
    if (record.status !== 'pending') return;
    const before = record.deadline;
    record.from = from;
    apply(record, computed);
    this.file.record('deadlineRecomputed', { detail: `${record.label}：自 ${from} 起重新计算，${before} → ${computed.deadline}；${reason}`, basis: record.basis });
  }

  /** After a year's schedule is loaded: recount every pending deadline, and every limit, that was provisional for it. */
  async onYearLoaded(year: number, source: string): Promise<void> {
    const reason = `${year}年节假日安排已载入（${source}）`;
    // Windows that lapsed on a provisional last day first: their recording periods count from their new last day.
    const lapsed = this.file.state.deadlines.filter((d) => d.status === 'lapsed' && d.binds === 'party' && d.provisionalYears.includes(year));
    for (const record of lapsed) await this.recountLapsed(record, reason);
    for (const record of this.file.state.deadlines) {
      if (record.provisionalYears.includes(year)) await this.recount(record, reason);
    }
    for (const limit of this.file.state.limits) {
      if (limit.provisionalYears?.includes(year)) await this.recountLimit(limit, reason);
    }
    this.file.publish();
  }

  /**
   * Waits until `done()` holds or the deadline runs out (24:00 Beijing time of
   * its last day). A provisional deadline is recounted once more before it is
   * allowed to lapse, in case its year was loaded while no signal reached us.
   * A party's window is waited out at rest (`resting`): the case waits for
   * the party, and steps that arrived early are decided.
   */
  async waitFor(record: DeadlineRecord, done: () => boolean, resting?: Pick<Actions, 'rest'>): Promise<'done' | 'lapsed'> {
    const release = resting?.rest();
    try {
      for (;;) {
        if (done()) return 'done';
        const endsAt = record.endsAt;
        if (Date.parse(endsAt) > now()) {
          await this.file.journal.wait(() => done() || record.endsAt !== endsAt, Date.parse(endsAt), `deadline ${record.key} ${record.deadline}`);
          continue;
        }
        if (record.provisional) {
          await this.recount(record, '期限届满前复核节假日安排');
          if (record.endsAt !== endsAt) continue;
        }
        return done() ? 'done' : 'lapsed';
      }
    } finally {
      release?.();
    }
  }

  /**
   * An authority's deadline: when it lapses the case is not ended. The lapse is
   * recorded, the case marked overdue and the responsible supervisor told; the
   * case still waits for the action. Runs beside the step that meets it.
   */
  async watchAuthority(record: DeadlineRecord): Promise<void> {
    const result = await this.waitFor(record, () => record.status !== 'pending' || this.file.state.closed);
    if (result !== 'lapsed') return;
    this.settle(record, 'lapsed');
    this.file.record('deadlineLapsed', {
      detail: `${record.label}期限 ${record.deadline} 已届满，尚未完成；已标记逾期并通知负责的领导`,
      basis: record.basis,
    });
    await this.effects.notify({
      caseId: this.file.state.caseId,
      idempotencyKey: `${this.file.state.caseId}:${record.key}:${record.deadline}:lapsed:supervisor`,
      recipient: { kind: 'role', role: 'supervisor', authority: this.file.state.authority },
      subject: `【逾期】${this.file.state.caseId} ${record.label}`,
      body: `${this.file.state.caseId}：${record.label}应于 ${record.deadline} 前完成（${record.basis.article}），现已逾期，请督办。`,
    });
  }

  settle(record: DeadlineRecord, status: 'met' | 'lapsed' | 'superseded'): void {
    if (record.status === 'lapsed' && status === 'met') {
      record.metAt = new Date(now()).toISOString();
      this.file.record('deadlineMetLate', { detail: `${record.label}（期限 ${record.deadline}）逾期后完成`, basis: record.basis });
    } else {
      record.status = status;
    }
    this.file.publish();
  }

  find(key: string): DeadlineRecord | undefined {
    return this.file.state.deadlines.filter((d) => d.key === key).at(-1);
  }
}
