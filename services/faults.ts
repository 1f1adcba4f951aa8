/**
 * Which failures pass by themselves: a peer that is away for now (the archive
 * database restarting, the Temporal server or an SMTP server down). The
 * worker retries those with backoff and hands the rest to a person
 * (worker/failures.ts); the API answers those with 503 and Retry-After
 * (api/problem.ts).
 */
/** Node's network error codes for a peer that is away for now. */
const TRANSIENT_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ESOCKET']);

/**
 * PostgreSQL SQLSTATEs that pass: connection exceptions (class 08), the server shutting down or
 * starting (57P01–57P03), too many connections, and the transaction conflicts a retry resolves.
 */
function transientSqlState(code: string): boolean {
  return code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '40001', '40P01', '55P03', '57014'].includes(code);
}

/** The pg driver's own words for a connection that went away or never came. */
const TRANSIENT_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i, /connection error/i, /PGlite is closed/i, /Client was closed/i];

/** gRPC UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: the Temporal server is away or busy. */
const TRANSIENT_GRPC = new Set([14, 4, 8]);

/** Failures the code itself marks as "try again later" by name (a notice not yet delivered, the PDF renderer not installed yet). */
const TRANSIENT_NAMES = new Set(['DeliveryIncomplete', 'ServiceError', 'TransportError', 'RendererUnavailable', 'BindingToolMissing']);

export function isTransient(err: unknown): boolean {
  for (let e = err as { code?: unknown; name?: string; message?: string; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth += 1) {
    if (typeof e.code === 'string' && (TRANSIENT_NETWORK.has(e.code) || (/^[0-9A-Z]{5}$/.test(e.code) && transientSqlState(e.code)))) return true;
    if (typeof e.code === 'number' && TRANSIENT_GRPC.has(e.code)) return true;
    if (e.name && TRANSIENT_NAMES.has(e.name)) return true;
    if (e.message && TRANSIENT_MESSAGES.some((m) => m.test(e.message!))) return true;
  }
  return false;
}

/**
 * A defect in the code itself (a bad deploy), not in the case: a TypeError, a ReferenceError, a failed
 * assertion (node:assert). Every case the code meets fails the same way until it is fixed, so it is
 * neither the case's problem nor a supervisor's: the worker retries it with backoff and tells
 * operations once (worker/failures.ts).
 */
export function isCodeDefect(err: unknown): boolean {
  const e = err as { name?: string; code?: unknown } | undefined;
  return err instanceof TypeError || err instanceof ReferenceError || e?.name === 'AssertionError' || e?.code === 'ERR_ASSERTION';
}

/** A stable type for a failure that will not pass: the error's class, and the SQLSTATE for a database error. */
export function failureType(err: unknown): string {
  const e = err as { code?: unknown; name?: string; constructor?: { name?: string } };
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return `DatabaseError:${e.code}`;
  return e?.name && e.name !== 'Error' ? e.name : (e?.constructor?.name ?? 'Error');
}

