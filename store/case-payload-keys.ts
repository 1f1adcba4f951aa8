/**
 * The payload keys each case was sealed with (issue 29): every key a
 * payload of the case was encrypted under, recorded as the API and the
 * workers seal. At start-up a process asks which keys the open cases need
 * that it lacks (services/codec/key-check.ts), so one missing key holds only
 * the cases sealed with it, and names them.
 */
import { CASE_ID_PATTERN } from '../domain/case/contract';
import type { Queryable } from './db';

export async function recordCaseKey(db: Queryable, caseId: string, keyId: string): Promise<void> {
  await db.query('insert into case_payload_keys (key_id, case_id) values ($1, $2) on conflict do nothing', [keyId, caseId]);
}

/**
 * The cases still open (no view yet, as a case just numbered; or a view not closed) sealed with a key
 * not among `known`, by key, in case order.
 */
export async function openCasesSealedWithout(db: Queryable, known: string[]): Promise<Map<string, string[]>> {
  const rows = await db.query<{ key_id: string; case_id: string }>(
    `select k.key_id, k.case_id from case_payload_keys k left join case_views v on v.case_id = k.case_id
      where not (k.key_id = any($1::text[])) and v.closed is not true
      order by k.key_id, k.case_id`,
    [known],
  );
  const byKey = new Map<string, string[]>();
  for (const row of rows) byKey.set(row.key_id, [...(byKey.get(row.key_id) ?? []), row.case_id]);
  return byKey;
}

/**
 * Records, once per process, each (case, key) a codec seals with: the codec calls `record` for every
 * payload, so it only looks in memory and writes a pair it has not seen, without holding up the seal.
 */
export class CaseKeyRecorder {
  private readonly seen = new Set<string>();
  private db: Queryable | undefined;
  private onError: ((message: string) => void) | undefined;
  private static readonly MAX_SEEN = 100_000;

  /** The archive to write to, once it is open; pairs sealed before (none in practice) are recorded when sealed again. */
  attach(db: Queryable, onError: (message: string) => void): void {
    this.db = db;
    this.onError = onError;
  }

  readonly record = (workflowId: string, keyId: string): void => {
    const db = this.db;
    if (!db || !CASE_ID_PATTERN.test(workflowId)) return;
    const pair = `${keyId}\u0000${workflowId}`;
    if (this.seen.has(pair)) return;
    if (this.seen.size >= CaseKeyRecorder.MAX_SEEN) this.seen.clear();
    this.seen.add(pair);
    recordCaseKey(db, workflowId, keyId).catch((err: Error) => {
      // Written again the next time the case is sealed with the key.
      this.seen.delete(pair);
      this.onError?.(`cannot record that ${workflowId} was sealed with payload key "${keyId}": ${err.message}`);
    });
  };
}
