/** What makes a retried write safe: the request's fingerprint, and the id a retry must reach again. */
import { createHash } from 'node:crypto';

/** A key reused for a different request: the second is refused rather than answered as the first. */
export class IdempotencyConflict extends Error {
  override name = 'IdempotencyConflict';
}

/** SHA-256 of the request with its keys sorted, so key order never makes two equal requests differ. */
export function canonicalHash(value: unknown): string {
  const canonical = JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v,
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The Workflow Update id of a step taken with an Idempotency-Key: the same caller and key always
 * reach the same update, which Temporal applies once and answers again with its first outcome.
 * Scoped by authority and user, so a key reused elsewhere never reaches someone else's step.
 */
export function stepUpdateId(authority: string, sub: string, key: string): string {
  return `step-${createHash('sha256').update(`${authority}\u0000${sub}\u0000${key}`).digest('hex').slice(0, 40)}`;
}
