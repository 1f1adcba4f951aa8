/**
 * The load benchmark's raw-Temporal baseline: a workflow that does nothing
 * but start one timer (and take a signal while it sleeps). What the server
 * and a bare worker manage with it is the ceiling the case workflows are
 * measured against. Bench-only: no product code imports it.
 */
import { defineSignal, proxySinks, setHandler, sleep, type Sinks } from '@temporalio/workflow';

export const BENCH_TIMER_WORKFLOW = 'benchTimer';

/** Told to the bench process (through its worker) as each workflow passes a point: how it counts without asking the server. */
export interface BenchSinks extends Sinks {
  bench: {
    timerStarted(): void;
    signalHandled(): void;
    timerFired(): void;
  };
}

/** The baseline of a calendar load: one signal each sleeping workflow handles. */
export const benchPokeSignal = defineSignal('benchPoke');

const DAY_MS = 86_400_000;

/** Sleeps until `untilMs` (server time), a day when not given; handles any number of pokes meanwhile. */
export async function benchTimer(untilMs?: number): Promise<void> {
  const { bench } = proxySinks<BenchSinks>();
  setHandler(benchPokeSignal, () => bench.signalHandled());
  bench.timerStarted();
  await sleep(untilMs === undefined ? DAY_MS : Math.max(1, untilMs - Date.now()));
  bench.timerFired();
}
