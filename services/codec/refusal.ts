/**
 * What the payload codec hands on in place of a payload it refuses (not
 * sealed, sealed with a key this process does not hold, altered, or sealed
 * for another case): a small JSON value naming why, never the payload. The
 * workflow interceptor (workflows/sealed-inputs.ts) refuses an update and
 * drops a signal that carries one, before any handler sees it.
 *
 * The codec cannot throw instead: on the dev server (Temporal 1.32) a payload
 * that fails to decode fails the whole workflow task, which the server retries
 * for ever for a signal (the event stays in the history), so one forged signal
 * would stop the case; and an update whose task fails holds the case's steps
 * with FAILED_PRECONDITION until the server gives it up.
 *
 * Imported by the workflow bundle too, so it imports nothing.
 */
export const REFUSED_FIELD = '$rongcuoRefusedPayload';

export const REFUSAL_REASONS = ['unsealed', 'unknown-key', 'unauthenticated', 'too-large', 'other-case'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export interface RefusedPayload {
  [REFUSED_FIELD]: RefusalReason;
}

/** The reason a decoded value stands for a refused payload, if it does. */
export function refusalOf(value: unknown): RefusalReason | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const reason = (value as Record<string, unknown>)[REFUSED_FIELD];
  return (REFUSAL_REASONS as readonly unknown[]).includes(reason) ? (reason as RefusalReason) : undefined;
}

/** Why, in words for the caller or the log: never a key id, never the payload. */
export const REFUSAL_WORDS: Record<RefusalReason, string> = {
  unsealed: 'not sealed with a payload key: steps are taken through the API only',
  'unknown-key': 'sealed with a payload key this worker does not hold',
  unauthenticated: 'does not open with its payload key: altered, or never sealed by this system',
  'too-large': 'larger, once inflated, than any payload of a case',
  'other-case': 'sealed for another workflow than the one it was sent to',
};
