/**
 * Every effect a case has on the world goes through here: counting a
 * deadline, issuing a document, serving a notice, archiving the dossier.
 *
 * Transient faults (the archive database or SMTP down) are retried by
 * Temporal with backoff, for as long as they last; the attempt count shows on
 * the case (GET /v1/cases/{id}, pendingEffects). A failure that retrying
 * cannot fix (the activity says so with a non-retryable ApplicationFailure of
 * a stable type) never fails the case: it is recorded in the timeline, the
 * case is flagged NeedsAttention, the supervisors are told, and the effect
 * waits for a person: `retryEffect` (after the cause is fixed) or, where the
 * case can go on without it, `skipEffect` with the reason.
 */
import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities } from '@temporalio/workflow';
import type { Activities, DeadlineRequest } from '../../activities';
import type { DeadlineComputation } from '../../domain/calendar';
import { RefusalType, type AttentionItem, type CaseState, type IssueDocumentRequest, type IssuedDocument, type NotifyRequest, type RenderArchivalCopiesRequest } from '../../domain/case/contract';
import { refuse, type Actions } from './actions';
import type { CaseFile } from './case-file';
import { now } from './clock';
import type { Journal } from './journal';

/** The business rule effects rest on: a case is never lost because one of its effects failed. */
const ATTENTION_BASIS = { article: '本系统规则（非法规条文）', quote: '一项操作失败不得使案件失败或停滞：记录在案、标记需要处理、通知负责人，由人决定重试或跳过' };

/*
 * Activity policies. Every activity is idempotent (keyed in the archive), so another attempt is always
 * safe; what each timeout means:
 * - start-to-close: how long one attempt may take before another starts (a worker that died).
 * - heartbeat: only on the activities that heartbeat while they work (a notice being sent, LibreOffice
 *   rendering), so a dead worker's attempt is taken over within seconds while a slow live one is not.
 *   The others take well under a second; a heartbeat timeout on them would time out a busy but live
 *   attempt and run a second beside it.
 * - schedule-to-close: how long the case keeps trying, through faults that pass (the archive
 *   restarting, SMTP down) and code defects the worker retries (worker/failures.ts). When it runs out
 *   the effect has failed for good: it is handed to a person like a failure no retry can fix
 *   (recorded, NeedsAttention, the supervisors told), who retries it once the cause is fixed or, where
 *   the case can go on without it, skips it with the reason.
 */

/** Counting a deadline: tried for a day, then handed to a person (retry only: a case cannot go on without its deadline). */
const { computeDeadline } = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** A document, the dossier: tried for a day, then handed to a person. */
const { issueDocument, archiveDossier } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

/**
 * Serving a notice heartbeats while it sends, so a worker that dies in the
 * middle is noticed within seconds and another attempt takes over, while a
 * slow but live send (SMTP may take a minute) is never mistaken for a dead
 * one; the activity's own records keep the next attempt from sending twice.
 * Tried for a day (the activity itself hands a delivery that keeps failing to
 * the responsible officer after NOTIFY_MAX_ATTEMPTS), then handed to a person.
 */
const { notify } = proxyActivities<Pick<Activities, 'notify'>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Rendering the archival PDF copies: a renderer that is missing is a fault that passes (it is
 * installed), retried with backoff up to an hour between tries, for a week; the case waits for it
 * before it writes its dossier, and after the week a person decides (retry, or close the case without
 * the copies, which the sweep renders later). A run takes seconds and heartbeats while it works, so a
 * worker that dies rendering costs the case seconds, not the five minutes of the whole attempt.
 */
const { renderArchivalCopies } = proxyActivities<Pick<Activities, 'renderArchivalCopies'>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '15 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/**
 * Binding the case file: LibreOffice, page images of the scans and the PDF/A check, seconds to a
 * minute for a large file; heartbeats while it works. A tool that is missing is retried with backoff
 * until it is installed, for a week; a file that cannot be bound as PDF/A (or still not bound after
 * the week) is recorded, the dossier is written without it and the dossier sweep binds it later.
 */
const { bindCaseFile } = proxyActivities<Pick<Activities, 'bindCaseFile'>>({
  startToCloseTimeout: '20 minutes',
  heartbeatTimeout: '30 seconds',
  scheduleToCloseTimeout: '7 days',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

/** Telling the supervisors that an effect needs them: tried a few times within the hour, never waited on by a person. */
const { notify: notifyOfAttention } = proxyActivities<Pick<Activities, 'notify'>>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
  scheduleToCloseTimeout: '1 hour',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '1 minute', maximumAttempts: 5 },
});

interface Effect<T> {
  /** Unique within the case, e.g. the notice's idempotency key. */
  key: string;
  /** What the case was doing, in the words the timeline and the supervisor read. */
  label: string;
  skippable: boolean;
  run(): Promise<T>;
}

export class Effects {
  private running = 0;
  private failures = 0;

  constructor(
    private readonly file: CaseFile,
    private readonly actions: Actions,
    private readonly journal: Journal,
  ) {}

  /** Effects under way now (started and not yet finished or handed to a person). */
  get inFlight(): number {
    return this.running;
  }

  computeDeadline(request: DeadlineRequest): Promise<DeadlineComputation> {
    return this.required({
      key: `deadline:${request.from}:${request.amount}${request.unit}`,
      label: `计算期限（自 ${request.from} 起 ${request.amount} ${request.unit}）`,
      skippable: false,
      run: () => this.journal.effect(() => computeDeadline({ ...request, caseId: this.file.state.caseId })),
    });
  }

  /** The document, or undefined when a supervisor decided the case goes on without it. */
  issueDocument(request: IssueDocumentRequest): Promise<IssuedDocument | undefined> {
    return this.perform({ key: request.idempotencyKey, label: `制发《${request.spec.title}》`, skippable: true, run: () => this.journal.effect(() => issueDocument(request)) });
  }

  notify(request: NotifyRequest): Promise<{ id: string; created: boolean } | undefined> {
    return this.perform({ key: request.idempotencyKey, label: `发出通知“${request.subject}”`, skippable: true, run: () => this.journal.effect(() => notify(request)) });
  }

  /**
   * A notice nobody waits on (someone's work is waiting, a case was assigned to them): tried a few
   * times like the supervisors' attention notice, never handed to a person, never failing the case.
   * Answers whether it was delivered.
   */
  async tell(request: NotifyRequest): Promise<boolean> {
    try {
      await this.journal.effect(() => notifyOfAttention(request));
      return true;
    } catch (err) {
      if (isCancellation(err)) return false;
      this.file.record('noticeFailed', { detail: `未能发出通知“${request.subject}”` });
      return false;
    }
  }

  /**
   * The archival copies, as the case closes. One that fails for good is handed to a person, who may
   * close the case without them (the worker's sweep renders copies still missing later).
   */
  async renderArchivalCopies(request: RenderArchivalCopiesRequest): Promise<{ documentId: string; sha256: string }[]> {
    return (await this.perform({ key: `archival-copies:${request.caseId}`, label: '生成存档版式文件（PDF）', skippable: true, run: () => this.journal.effect(() => renderArchivalCopies(request)) })) ?? [];
  }

  /**
   * The bound file's digests; undefined where it could not be bound (a failure retrying cannot fix).
   * The case is closed by then, so no person could retry or skip a step: the failure is recorded in
   * the timeline, the dossier is written without the bound file, and the file is bound again by the
   * dossier sweep once the cause is fixed. Faults that pass are retried by Temporal meanwhile.
   */
  async bindCaseFile(state: CaseState): Promise<{ sha256: string; sm3: string; pages: number } | undefined> {
    try {
      const bound = await this.journal.effect(() => bindCaseFile({ caseId: state.caseId, state }));
      if (!bound) return undefined;
      this.file.record('caseFileBound', { detail: `案卷装订完成：共 ${bound.pages} 页，SHA-256 ${bound.sha256}，SM3 ${bound.sm3}` });
      return bound;
    } catch (err) {
      if (isCancellation(err)) throw err;
      const failure = businessFailure(err);
      if (!failure) throw err;
      this.file.record('caseFileNotBound', { detail: `案卷装订失败（${failure.type ?? 'EffectFailed'}：${failure.message}），卷宗先行存档，由存档核对重新装订`, basis: ATTENTION_BASIS });
      return undefined;
    }
  }

  /**
   * The dossier, the last thing a case does. One that cannot be written is handed to a person, who may
   * close the case without it: the dossier sweep writes it from the closed case (activities/dossiers.ts).
   */
  async archiveDossier(state: CaseState): Promise<void> {
    await this.perform({ key: `dossier:${state.caseId}`, label: '案卷存档', skippable: true, run: () => this.journal.effect(() => archiveDossier(state)) });
  }

  /** An effect the case cannot go on without: never skipped, so its answer is always there. */
  private required<T>(effect: Effect<T>): Promise<T> {
    return this.perform(effect) as Promise<T>;
  }

  /** Runs the effect until it succeeds, or a person skips it (answered as undefined). */
  private async perform<T>(effect: Effect<T>): Promise<T | undefined> {
    for (;;) {
      let failure: ApplicationFailure | undefined;
      this.running += 1;
      try {
        return await effect.run();
      } catch (err) {
        if (isCancellation(err)) throw err;
        failure = businessFailure(err);
        if (!failure) throw err;
      } finally {
        this.running -= 1;
      }
      const item = await this.handToPerson(effect, failure);
      if (item.status === 'skipped') return undefined;
    }
  }

  /** Records the failure, flags the case, tells the supervisors, and waits for one to retry or skip it. */
  private async handToPerson(effect: Effect<unknown>, failure: ApplicationFailure): Promise<AttentionItem> {
    const { state } = this.file;
    this.failures += 1;
    const item: AttentionItem = {
      id: `${effect.key}#${this.failures}`,
      effect: effect.label,
      type: failure.type ?? 'EffectFailed',
      error: failure.message,
      failedAt: new Date(now()).toISOString(),
      skippable: effect.skippable,
      status: 'open',
    };
    (state.attention ??= []).push(item);
    this.file.record('effectFailed', { detail: `${effect.label}失败（${item.type}：${item.error}），已标记需要处理并通知负责的领导`, basis: ATTENTION_BASIS });
    this.offerResolution();
    this.file.publish();
    try {
      await this.journal.effect(() => notifyOfAttention({
        caseId: state.caseId,
        idempotencyKey: `${state.caseId}:attention:${item.id}`,
        recipient: { kind: 'role', role: 'supervisor', authority: state.authority },
        subject: `【需要处理】${state.caseId} ${effect.label}失败`,
        body: `${state.caseId}：${effect.label}失败（${item.type}），案件等待处理：排除原因后重试，${effect.skippable ? '或说明理由后跳过' : '此项不能跳过'}。`,
      }));
    } catch (err) {
      if (isCancellation(err)) throw err;
      // The search attribute and the timeline still say so; ops filter NeedsAttention = true.
      this.file.record('attentionNoticeFailed', { detail: '未能通知负责的领导，请运维人员按 NeedsAttention 筛选处理' });
    }
    await this.actions.until(() => item.status !== 'open');
    return item;
  }

  /** retryEffect and skipEffect are on offer while any effect waits for a person. */
  private offerResolution(): void {
    const open = () => (this.file.state.attention ?? []).filter((i) => i.status === 'open');
    const find = (effectId: string): AttentionItem => {
      const item = open().find((i) => i.id === effectId);
      if (!item) refuse(RefusalType.invalidInput, `effectId：没有等待处理的 ${effectId}；等待处理的有：${open().map((i) => i.id).join('、') || '无'}`);
      return item;
    };
    const resolve = (item: AttentionItem, status: AttentionItem['status'], by: AttentionItem['resolvedBy'], reason?: string) => {
      item.status = status;
      item.resolvedBy = by;
      if (reason) item.reason = reason;
      if (open().length === 0) this.actions.withdraw('retryEffect', 'skipEffect');
    };
    this.actions.offer('retryEffect', {
      label: '重试失败的操作',
      roles: ['officer', 'supervisor'],
      validate: (input) => void find(input.effectId),
      apply: (input) => {
        const item = find(input.effectId);
        resolve(item, 'retried', input.actor);
        this.file.record('effectRetried', { actor: input.actor, detail: `重试：${item.effect}`, basis: ATTENTION_BASIS });
      },
    });
    this.actions.offer('skipEffect', {
      label: '跳过失败的操作',
      roles: ['supervisor'],
      validate: (input) => {
        const item = find(input.effectId);
        if (!item.skippable) refuse(RefusalType.notPermitted, `${item.effect}不能跳过，只能在排除原因后重试`, ATTENTION_BASIS);
        if (!input.reason?.trim()) refuse(RefusalType.invalidInput, 'reason：跳过须说明理由');
      },
      apply: (input) => {
        const item = find(input.effectId);
        resolve(item, 'skipped', input.actor, input.reason);
        this.file.record('effectSkipped', { actor: input.actor, detail: `跳过：${item.effect}；理由：${input.reason}`, basis: ATTENTION_BASIS });
      },
    });
  }
}

/** A failure retrying cannot fix: the activity said so (non-retryable), or its retries ran out. */
function businessFailure(err: unknown): ApplicationFailure | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return cause;
  return ApplicationFailure.create({ type: 'EffectFailed', message: cause?.message ?? err.message, nonRetryable: true });
}
