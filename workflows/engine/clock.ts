/**
 * The case's clock: the workflow's own time, except while a new run takes a
 * case over (see journal.ts), when it is the time at which the run before took
 * the input being applied again. Every reading of the time in workflow code
 * goes through `now()`, so what a case records (the timeline, service dates,
 * the days it counts from) is the same however often it is taken over.
 */
let takenAt: number | undefined;

/** Milliseconds since the epoch, as the case sees them now. */
export function now(): number {
  return takenAt ?? Date.now();
}

/** While a run takes a case over: the time the input being applied again was first taken at; undefined after. */
export function applyingAt(time: number | undefined): void {
  takenAt = time;
}
