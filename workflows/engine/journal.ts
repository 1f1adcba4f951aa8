/**
 * The journal of a case: every input it takes (a step, a signal, the answer
 * of an effect, a deadline's timer running out), in the order it takes them,
 * each with the time it was taken at. A case takes its inputs one at a time:
 * each is applied, and whatever it sets going runs until the case waits again
 * (for a person, for time, for an effect), before the next is taken.
 *
 * That order is what lets a new run take a long case over (continue-as-new,
 * hand-over.ts) without the history of the run before: the new run starts the
 * procedure from the case's input and applies the journal again, in order and
 * at the recorded times (clock.ts), answering each effect with its recorded
 * answer and each timer with its recorded end, so it issues no command for
 * what already happened and arrives where the run before stood: the same
 * state, the same steps on offer, the same deadlines waited on. Its first
 * workflow task does that in one go; the history it writes holds only the
 * inputs the case takes from then on.
 *
 * Every wait in workflow code goes through here (`until`, `wait`), and every
 * activity (`effect`), so the journal knows when the case is waiting again.
 */
import { RetryState, type SignalDefinition, type UpdateDefinition } from '@temporalio/common';
import { ActivityFailure, ApplicationFailure, CancelledFailure, condition, currentUpdateInfo, isCancellation, setHandler, TimeoutFailure } from '@temporalio/workflow';
import { applyingAt, now } from './clock';

/** How an effect failed, kept so the run that applies the journal again sees the same failure. */
export interface EffectFailed {
  type: string;
  message: string;
  cancelled?: boolean;
}

/** One input, as the journal keeps it; `t` is when the case took it (ms). Short keys: the journal travels in the hand-over. */
export type Entry =
  /** A step (a Workflow Update): its name, input and update id. */
  | { k: 'update'; t: number; n: string; i: unknown; u?: string }
  | { k: 'signal'; t: number; n: string; i: unknown }
  /** The answer of the `s`-th effect the case started. */
  | { k: 'effect'; t: number; s: number; ok?: unknown; fail?: EffectFailed }
  /** The `s`-th wait with an end ran out of time. */
  | { k: 'timer'; t: number; s: number };

interface Queued {
  entry: Entry;
  deliver(): void;
}

/** A plain copy: what the journal keeps must not change when the state that took it does. */
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

/** The run before took the case elsewhere than this run does: the workflow code changed under a running case. */
export class JournalDiverged extends Error {
  override name = 'JournalDiverged';
}

export class Journal {
  /** Every input taken so far, in order, across runs. */
  readonly entries: Entry[] = [];
  /** Accepted steps waiting for their turn. */
  private readonly queue: Queued[] = [];
  /** Counts everything the case does; unchanged over a whole turn of the workflow's conditions means it waits. */
  private progress = 0;
  private effects = 0;
  private waits = 0;
  /** Effects started and not yet answered. */
  private running = 0;
  /** The journal of the run before, until it is applied. */
  private taking: Entry[] | undefined;
  /** While a run applies the journal again: what it must find, by effect and wait. */
  private applying: { effects: Set<number>; timers: Set<number> } | undefined;
  private readonly effectAnswers = new Map<number, (entry: Extract<Entry, { k: 'effect' }>) => void>();
  private readonly timerEnds = new Map<number, () => void>();
  private readonly handlers = new Map<string, (input: never) => unknown>();
  /** The answer of every step taken, by update id: one sent again (the same id, a later run) is answered, not applied twice. */
  private readonly answers = new Map<string, unknown>();
  /** Steps this run accepted (the server allows so many per run). */
  updatesThisRun = 0;
  /** The number of inputs taken so far: a change of the state belongs to the turn of the input it follows. */
  turn = 0;
  /** Called once the case waits again after an input (this run's new inputs only, not while catching up). */
  onSettled: (() => void) | undefined;
  /** Set while the case hands over to a new run: new steps are refused (the API sends them again). */
  refuseSteps: (() => void) | undefined;

  /** Whether this run is still applying the journal of the run before. */
  get catchingUp(): boolean {
    return this.applying !== undefined;
  }

  /** No effect under way and no step waiting for its turn. */
  get idle(): boolean {
    return this.running === 0 && this.queue.length === 0;
  }

  moved(): void {
    this.progress += 1;
  }

  /** A step (Workflow Update): applied in its turn; one applied before under the same update id answers as it did. */
  handleUpdate<Ret, Arg>(definition: UpdateDefinition<Ret, [Arg], string>, handler: (input: Arg) => Ret | Promise<Ret>, validator?: (input: Arg) => void): void {
    const name = definition.name;
    this.handlers.set(name, handler as (input: never) => unknown);
    setHandler(
      definition,
      (input: Arg) => {
        const id = currentUpdateInfo()?.id;
        if (id && this.answers.has(id)) return Promise.resolve(this.answers.get(id) as Ret);
        this.updatesThisRun += 1;
        return this.submit({ k: 'update', t: 0, n: name, i: copy(input), ...(id ? { u: id } : {}) }, () => this.apply(name, id, input)) as Promise<Ret>;
      },
      {
        validator: (input: Arg) => {
          const id = currentUpdateInfo()?.id;
          if (id && this.answers.has(id)) return;
          this.refuseSteps?.();
          validator?.(input);
        },
      },
    );
  }

  handleSignal<Arg>(definition: SignalDefinition<[Arg], string>, handler: (input: Arg) => Promise<void>): void {
    this.handlers.set(definition.name, handler as (input: never) => unknown);
    setHandler(definition, (input: Arg) => this.submit({ k: 'signal', t: 0, n: definition.name, i: copy(input) }, () => handler(input)) as Promise<void>);
  }

  /** Runs an activity; its answer (or failure) is taken in its turn, and recorded. */
  async effect<T>(run: () => Promise<T>): Promise<T> {
    const s = ++this.effects;
    this.moved();
    this.running += 1;
    let answer: Extract<Entry, { k: 'effect' }>;
    try {
      if (this.applying?.effects.has(s)) {
        answer = await new Promise((resolve) => this.effectAnswers.set(s, resolve));
      } else {
        // Live (an effect the run before had not started, found while catching up, waits until that is done).
        if (this.applying) await this.until(() => !this.applying);
        let outcome: { ok?: unknown; fail?: EffectFailed };
        try {
          outcome = { ok: copy(await run()) };
        } catch (err) {
          outcome = { fail: failed(err) };
        }
        answer = await this.submit({ k: 'effect', t: 0, s, ...outcome }, () => undefined).then(() => ({ k: 'effect' as const, t: 0, s, ...outcome }));
      }
    } finally {
      this.running -= 1;
      this.moved();
    }
    if (answer.fail) throw rebuilt(answer.fail);
    return copy(answer.ok) as T;
  }

  /** Waits until `done()`; the case is waiting meanwhile. */
  until(done: () => boolean): Promise<void> {
    this.moved();
    return condition(this.noticed(done));
  }

  /**
   * Waits until `done()` (answers true) or the time `until` (ms) comes (answers false), with a
   * durable timer. A timer that ran out is an input like any other: taken in its turn, recorded.
   */
  async wait(done: () => boolean, until: number, summary: string): Promise<boolean> {
    const s = ++this.waits;
    this.moved();
    try {
      if (this.applying) {
        if (this.applying.timers.has(s)) {
          await new Promise<void>((resolve) => this.timerEnds.set(s, resolve));
          return false;
        }
        await condition(this.noticed(() => done() || !this.applying));
        if (done()) return true;
      }
      if (await condition(this.noticed(done), Math.max(until - now(), 1), { summary })) return true;
      await this.submit({ k: 'timer', t: 0, s }, () => undefined);
      return false;
    } finally {
      this.moved();
    }
  }

  /** A condition that counts as progress when it comes true (in the same pass that notices it). */
  private noticed(done: () => boolean): () => boolean {
    return () => {
      const met = done();
      if (met) this.moved();
      return met;
    };
  }

  /** Applies a step; synchronous where its handler is (most steps), so taking it creates no promise. */
  private apply(name: string, id: string | undefined, input: unknown): unknown {
    const handler = this.handlers.get(name);
    if (!handler) throw new JournalDiverged(`no handler for ${name}`);
    const answer = (handler as (input: unknown) => unknown)(input);
    const keep = (value: unknown) => {
      if (id) this.answers.set(id, value);
      return value;
    };
    return isPromise(answer) ? answer.then(keep) : keep(answer);
  }

  private submit<T>(entry: Entry, deliver: () => T): Promise<Awaited<T>> {
    return new Promise<Awaited<T>>((resolve, reject) => {
      this.queue.push({
        entry,
        deliver: () => {
          try {
            const answer = deliver();
            if (isPromise(answer)) answer.then(resolve as (value: unknown) => void, reject);
            else resolve(answer as Awaited<T>);
          } catch (err) {
            reject(err);
          }
        },
      });
      this.moved();
    });
  }

  /**
   * Lets everything the last input set going run, until the case waits again: until a turn of the
   * workflow's conditions in which none of the case's waits came true and nothing started. One turn
   * for an input that sets nothing going (most steps).
   */
  async settle(): Promise<void> {
    let seen = this.progress;
    for (;;) {
      await this.pass();
      if (this.progress === seen) return;
      seen = this.progress;
    }
  }

  /**
   * Resolves after the next turn of the workflow's conditions (a condition true when it is made
   * resolves at once, without one: this one is false when made, true when next looked at).
   */
  private pass(): Promise<void> {
    let looked = false;
    return condition(() => {
      if (looked) return true;
      looked = true;
      return false;
    });
  }

  /** Takes the inputs that arrive, one at a time, for the rest of the run (started once the journal is caught up). */
  async serve(): Promise<never> {
    await this.settle();
    this.onSettled?.();
    for (;;) {
      await condition(() => this.queue.length > 0);
      const next = this.queue.shift()!;
      next.entry.t = now();
      this.entries.push(next.entry);
      this.turn += 1;
      next.deliver();
      await this.settle();
      this.onSettled?.();
    }
  }

  /**
   * Before the procedure starts again: the journal of the run before, which this run applies (in
   * `catchUp`) instead of taking anything new.
   */
  takeOver(entries: Entry[]): void {
    this.taking = entries;
    this.applying = {
      effects: new Set(entries.flatMap((e) => (e.k === 'effect' ? [e.s] : []))),
      timers: new Set(entries.flatMap((e) => (e.k === 'timer' ? [e.s] : []))),
    };
  }

  /**
   * Applies the journal taken over, in order and at its times, once the procedure has started.
   * Throws JournalDiverged where the case asks for something the journal does not answer.
   */
  async catchUp(): Promise<void> {
    const entries = this.taking ?? [];
    this.taking = undefined;
    try {
      await this.settle();
      for (const entry of entries) {
        applyingAt(entry.t);
        this.entries.push(entry);
        this.turn += 1;
        this.replay(entry);
        await this.settle();
      }
    } finally {
      applyingAt(undefined);
      this.applying = undefined;
      this.moved();
    }
    await this.settle();
  }

  private replay(entry: Entry): void {
    switch (entry.k) {
      case 'update':
      case 'signal': {
        if (!this.handlers.has(entry.n)) throw new JournalDiverged(`the run before took ${entry.n}, which this run does not offer`);
        // A step refused after it was accepted is refused again, as it was then.
        try {
          const applied = entry.k === 'update' ? this.apply(entry.n, entry.u, copy(entry.i)) : this.handlers.get(entry.n)!(copy(entry.i) as never);
          if (isPromise(applied)) applied.catch(() => undefined);
        } catch {
          // Refused in its turn, as it was then.
        }
        return;
      }
      case 'effect': {
        const answer = this.effectAnswers.get(entry.s);
        if (!answer) throw new JournalDiverged(`the run before had the answer of effect ${entry.s}, which this run has not started`);
        this.effectAnswers.delete(entry.s);
        answer(entry);
        return;
      }
      case 'timer': {
        const end = this.timerEnds.get(entry.s);
        if (!end) throw new JournalDiverged(`the run before waited out timer ${entry.s}, which this run does not wait on`);
        this.timerEnds.delete(entry.s);
        end();
      }
    }
  }
}

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown> | undefined)?.then === 'function';

/** What the journal keeps of an activity's failure. */
function failed(err: unknown): EffectFailed {
  if (isCancellation(err)) return { type: 'Cancelled', message: (err as Error).message, cancelled: true };
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) return { type: cause.type ?? 'Error', message: cause.message };
  if (cause instanceof TimeoutFailure) return { type: 'ActivityTimedOut', message: cause.message };
  return { type: 'EffectFailed', message: (cause as Error | undefined)?.message ?? String(err) };
}

/** The failure an effect answers with, the same live and when the journal is applied again. */
function rebuilt(fail: EffectFailed): Error {
  if (fail.cancelled) return new CancelledFailure(fail.message);
  const cause = ApplicationFailure.create({ type: fail.type, message: fail.message, nonRetryable: true });
  return new ActivityFailure(fail.message, 'effect', undefined, RetryState.NON_RETRYABLE_FAILURE, undefined, cause);
}
