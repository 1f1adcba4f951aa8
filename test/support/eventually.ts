/**
 * Waits for an eventually consistent fact (Temporal visibility, a signal's
 * effect) by asking again until it holds or the bound runs out; the last
 * failure is what the test reports.
 */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const started = Date.now();
  let lastError: unknown;
  while (Date.now() - started < timeoutMs) {
    try {
      return await probe();
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw lastError;
}
