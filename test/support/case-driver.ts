/**
 * Drives one case through its workflow on the time-skipping server, as the
 * officers and supervisors of a test would: take a step, see it refused,
 * let time pass to a deadline.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { beijingDate, type DeadlineComputation, type IsoDate, type PeriodUnit } from '../../domain/calendar';
import {
  actionUpdate,
  caseProgressQuery,
  caseStateQuery,
  RefusalType,
  WORKFLOW_TYPE,
  type ActionInputs,
  type ActionName,
  type Actor,
  type CaseInput,
  type CaseState,
  type StepResult,
} from '../../domain/case/contract';
import { rulebookInForce, type Rulebook } from '../../domain/rulebooks';
import { loadStatutoryCalendar } from '../../services/calendar/statutory-calendar';
import type { ActivityDependencies } from '../../activities';
import type { Db } from '../../store/db';
import { createCaseWorker } from '../../worker/worker';
import type { exemptionReview } from '../../workflows';
import type { CaseRun } from '../../workflows/engine/hand-over';
import { TEST_SCHEDULES } from './calendar';
import { testDataConverter } from './keys';
import { uniqueTaskQueue, workflowBundle } from './temporal';

export const officer: Actor = { sub: 'officer-1', name: '李办案', roles: ['officer'] };
export const supervisor: Actor = { sub: 'supervisor-1', name: '张主任', roles: ['supervisor'] };
export const otherSupervisor: Actor = { sub: 'supervisor-2', name: '赵副主任', roles: ['supervisor'] };
export const subjectUser = { sub: 'subject-1', name: '王某' };

export interface Refusal {
  type: string;
  message: string;
}

/** The longest a single step may take in a test before it fails instead of hanging. */
const UPDATE_DEADLINE_MS = 90_000;

/**
 * Waits until the case is at rest with no effect under way, or closed, then answers its state.
 * Each look is a query the case answers about itself (caseProgress), not a guess from its state.
 */
export async function settle(handle: WorkflowHandle): Promise<CaseState> {
  for (;;) {
    // One query at a time: two at once on a finished workflow (answered by replay) can hang the test server.
    const progress = await handle.query(caseProgressQuery);
    const quiet = progress.effectsInFlight === 0;
    if (progress.atRest && quiet) return handle.query(caseStateQuery);
    // A closed case may still be writing its dossier: terminating it then (as a test's end does) would leave the
    // time-skipping server's clock locked. A finished workflow answers by replay, and its count may not reach 0.
    if (progress.closed && (quiet || (await handle.describe()).status.name !== 'RUNNING')) return handle.query(caseStateQuery);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let sequence = 0;
/** Cases started by this file's tests; any left running when a test ends are terminated (timeSkippingSuite's afterEach). */
const started = new Set<WorkflowHandle>();

/** Tracks a case a test started itself, so it is terminated when the test ends, passed or failed. */
export function trackCase<H extends WorkflowHandle>(handle: H): H {
  started.add(handle);
  return handle;
}

/** Terminates every case the test started that is still running: a case left running would hold the time-skipping server's clock. */
export async function terminateStartedCases(): Promise<void> {
  const handles = [...started];
  started.clear();
  await Promise.all(handles.map((h) => h.terminate('test ended').catch(() => undefined)));
}
const AUTHORITIES: Record<string, string> = { binhai: 'binhai-jw', 'hangzhou-education': 'hz-jyj' };

export class CaseDriver {
  private constructor(
    readonly env: TestWorkflowEnvironment,
    readonly db: Db,
    readonly handle: WorkflowHandle<typeof exemptionReview>,
    readonly input: CaseInput,
  ) {}

  /** Opens a case of `jurisdiction` whose event (the notice, or the start of accountability) is today. */
  static async open(
    env: TestWorkflowEnvironment,
    db: Db,
    taskQueue: string,
    jurisdiction: string,
    options: { rulebook?: Rulebook; input?: Partial<CaseInput>; run?: CaseRun } = {},
  ): Promise<CaseDriver> {
    const today = beijingDate(await env.currentTimeMs());
    const rulebook = options.rulebook ?? rulebookInForce(jurisdiction, today)!;
    sequence += 1;
    const input: CaseInput = {
      caseId: `case-${jurisdiction}-${today.slice(0, 4)}-${String(process.pid % 1000).padStart(3, '0')}${String(sequence).padStart(3, '0')}`,
      rulebook,
      authority: AUTHORITIES[jurisdiction] ?? `${jurisdiction}-jw`,
      subject: { name: subjectUser.name, organisation: '某街道党工委', position: '副主任', userId: subjectUser.sub },
      matter: '推进改革试点中先行先试，程序存在瑕疵',
      accountability: { reference: '问〔2026〕12号', body: '区纪委监委' },
      eventDate: today,
      openedBy: officer,
      openedAt: new Date(await env.currentTimeMs()).toISOString(),
      ...options.input,
    };
    const handle = await env.client.workflow.start<typeof exemptionReview>(WORKFLOW_TYPE, { args: options.run ? [input, options.run] : [input], taskQueue, workflowId: input.caseId });
    started.add(handle);
    const driver = new CaseDriver(env, db, handle, input);
    await driver.settled();
    return driver;
  }

  state(): Promise<CaseState> {
    return this.handle.query(caseStateQuery);
  }

  /**
   * Awaits `work`; if it is still waiting after a minute, prints what the case
   * is waiting for (pending workflow task, pending activities, last events),
   * so a stuck test says why before Jest's timeout cuts it off.
   */
  private async watched<T>(what: string, work: Promise<T>): Promise<T> {
    const timer = setTimeout(() => void this.reportStuck(what).catch((err: Error) => process.stderr.write(`[case-driver] ${what}: ${err.message}\n`)), 60_000);
    try {
      return await work;
    } finally {
      clearTimeout(timer);
    }
  }

  private async reportStuck(what: string): Promise<void> {
    const { raw, status } = await this.handle.describe();
    const history = await this.handle.fetchHistory();
    const last = (history.events ?? []).slice(-8).map((e) => `${e.eventId} ${e.eventType}`);
    process.stderr.write(
      `[case-driver] ${this.input.caseId}: ${what} still waiting after 60 s; status ${status.name}; ` +
        `pending workflow task ${JSON.stringify(raw.pendingWorkflowTask ?? null)}; pending activities ${JSON.stringify(raw.pendingActivities ?? [])}; last events ${last.join(', ')}\n`,
    );
  }

  /**
   * Waits until the case has caught up: at rest (waiting for a person or for time) with no effect
   * under way, or closed; then answers its state. Asks the case itself (caseProgress), so it never
   * mistakes a pause between two activities for the end of the work.
   */
  settled(): Promise<CaseState> {
    return this.watched('settling', settle(this.handle));
  }

  async today(): Promise<IsoDate> {
    return beijingDate(await this.env.currentTimeMs());
  }

  async act<N extends ActionName>(name: N, input: Omit<ActionInputs[N], 'actor'>, actor: Actor = officer): Promise<CaseState> {
    await this.watched(`update ${name}`, this.update(name, input, actor));
    return this.settled();
  }

  /**
   * Sends a step with a deadline of its own: a step that hangs fails the test instead of holding it.
   * One refused because the case is handing over to a new run is sent again, as the API does.
   */
  private async update<N extends ActionName>(name: N, input: Omit<ActionInputs[N], 'actor'>, actor: Actor): Promise<StepResult> {
    for (;;) {
      try {
        return await this.env.client.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
          this.handle.executeUpdate(actionUpdate(name), { args: [{ ...input, actor } as ActionInputs[N]] }),
        );
      } catch (err) {
        if (!(err instanceof WorkflowUpdateFailedError && (err.cause as { type?: string } | undefined)?.type === RefusalType.handingOver)) throw err;
      }
    }
  }

  /** Takes a step that must be refused; answers the refusal's type and message. */
  async refused<N extends ActionName>(name: N, input: Omit<ActionInputs[N], 'actor'>, actor: Actor = officer): Promise<Refusal> {
    const before = await this.state();
    const error = await this.update(name, input, actor).then(() => undefined, (e: unknown) => e);
    if (!(error instanceof WorkflowUpdateFailedError)) throw new Error(`${name} was not refused (${String(error)})`);
    const cause = error.cause as { type?: string; message: string };
    // A refused step leaves no trace in the case.
    const after = await this.state();
    if (JSON.stringify(after) !== JSON.stringify(before)) throw new Error(`${name} was refused but changed the case`);
    return { type: String(cause.type), message: cause.message };
  }

  /** Lets server time pass until `ms` before the end of the deadline with `key`, or that long after it. */
  async advanceTo(key: string, offsetMs: number): Promise<CaseState> {
    // A deadline that another one's end opens (a recording period after its window) appears once the
    // case has taken that timer: a query can answer just before, so it is waited for, within bounds.
    const waitUntil = Date.now() + 15_000;
    let deadline: CaseState['deadlines'][number] | undefined;
    for (;;) {
      const state = await this.settled();
      deadline = state.deadlines.filter((d) => d.key === key).at(-1);
      if (deadline || Date.now() > waitUntil) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    if (!deadline) throw new Error(`no deadline ${key}`);
    const target = Date.parse(deadline.endsAt) + offsetMs;
    const now = await this.env.currentTimeMs();
    if (target > now) await this.watched(`sleep to ${key}`, this.skipTime(`sleep to ${key}`, target - now));
    return this.settled();
  }

  async sleep(ms: number): Promise<CaseState> {
    await this.watched(`sleep ${ms} ms`, this.skipTime(`sleep ${ms} ms`, ms));
    return this.settled();
  }

  /**
   * Lets `ms` of server time pass. The time-skipping server skips only while nobody holds its lock
   * (activities and workflow tasks in flight hold it, rightly). In binhai-procedure.test.ts, a sleep
   * after tests that terminate their case while an activity may still run (the worker then logs
   * "Activity not found on completion") waited with the case idle (no workflow task, no activity pending) and the
   * server's clock going no faster than the wall's: a lock left held, not by anything of the case's,
   * and every later sleep of the file waited out Jest's timeout too. So a sleep that sees the clock
   * not skip for 20 s while the case has nothing in flight releases one lock, says so, and fails the
   * test after three tries rather than hang the file.
   */
  private async skipTime(what: string, ms: number): Promise<void> {
    const sleeping = this.env.sleep(ms).then(() => true);
    const testService = this.env.supportsTimeSkipping ? this.env.connection.testService : undefined;
    for (let tries = 0; ; ) {
      const before = await this.env.currentTimeMs();
      if (await Promise.race([sleeping, new Promise<false>((r) => setTimeout(() => r(false), 20_000))])) return;
      // Locked, the server's clock goes at the wall clock's pace; skipping, far faster.
      if (!testService || (await this.env.currentTimeMs()) - before > 60_000) continue;
      const { raw } = await this.handle.describe();
      if (raw.pendingWorkflowTask || (raw.pendingActivities ?? []).length > 0) continue;
      tries += 1;
      if (tries > 3) throw new Error(`${this.input.caseId}: ${what}: the time-skipping server's clock did not skip with the case idle, after ${tries - 1} locks released`);
      process.stderr.write(`[case-driver] ${this.input.caseId}: ${what}: the server's clock did not skip for 20 s with the case idle; releasing a time-skipping lock left held\n`);
      await testService.unlockTimeSkipping({}).catch((err: Error) => process.stderr.write(`[case-driver] unlockTimeSkipping: ${err.message}\n`));
    }
  }

  async expectedDeadline(from: IsoDate, amount: number, unit: PeriodUnit): Promise<DeadlineComputation> {
    return (await loadStatutoryCalendar({ db: this.db, published: TEST_SCHEDULES })).deadline(from, { amount, unit });
  }
}

export async function withCaseWorker<T>(
  env: TestWorkflowEnvironment,
  db: Db,
  name: string,
  fn: (taskQueue: string) => Promise<T>,
  dependencies: Partial<ActivityDependencies> = {},
): Promise<T> {
  const taskQueue = uniqueTaskQueue(name);
  const worker: Worker = await createCaseWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    dependencies: { db, client: env.client, publishedSchedules: TEST_SCHEDULES, ...dependencies },
    dataConverter: testDataConverter,
    workflowBundle: await workflowBundle(),
  });
  try {
    return await worker.runUntil(fn(taskQueue));
  } finally {
    // Before the worker stops: a case left running by a failed test would hold the server's clock.
    await terminateStartedCases();
  }
}
