/**
 * An activity that may run for seconds (an e-mail being sent, LibreOffice
 * rendering) tells Temporal it is alive while it works, so a worker that dies
 * in the middle is noticed within the activity's heartbeat timeout and another
 * attempt takes over, while a slow but live attempt is never taken for a dead one.
 */

/** How often a live attempt says so: well inside the shortest heartbeat timeout its activities have (10 s). */
export const HEARTBEAT_EVERY_MS = 2_000;

/** Runs `work`, calling `beat` at once and then every HEARTBEAT_EVERY_MS until it settles. */
export async function heartbeating<T>(beat: () => void, work: () => Promise<T>): Promise<T> {
  beat();
  const timer = setInterval(beat, HEARTBEAT_EVERY_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}
