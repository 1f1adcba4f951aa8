/**
 * A process that opens cases as the API does (services/cases/open-case.ts), on
 * the embedded archive in DATA_DIR and the Temporal server at TEMPORAL_ADDRESS,
 * for test/e2e/opening-crash.test.ts. It reads one JSON request a line on
 * stdin and answers one JSON line on stdout:
 *
 * - `{"open": {"key": "k1"}}` opens the test's case (with that Idempotency-Key, or none);
 *   `"pause": true` stops once the number is committed, before the start,
 *   and says `{"numbered": caseId}`: the test kills the process there;
 * - `{"relay": true}` starts every opening not started, as the API's relay does.
 */
import readline from 'node:readline';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { openCase } from '../../services/cases/open-case';
import { startPendingOpenings } from '../../services/cases/opening-relay';
import { openDb } from '../../store/db';
import { testDataConverter, testMatterIndex } from './keys';

export const OPENING = {
  jurisdiction: 'binhai',
  subject: { name: '郑某', organisation: '某街道党工委' },
  matter: '老旧小区改造中的程序瑕疵',
  accountability: { reference: '滨纪问〔2026〕41号' },
};
export const OPENER = { sub: 'officer-1', name: '李办案', roles: ['officer' as const], authority: 'binhai-jw' };

async function main(): Promise<void> {
  const db = await openDb({ pgliteDir: path.join(process.env.DATA_DIR!, 'archive') });
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const client = new Client({ connection, dataConverter: testDataConverter });
  const deps = { db, client, taskQueue: process.env.TEMPORAL_TASK_QUEUE!, matterIndex: testMatterIndex };
  const say = (value: object) => process.stdout.write(`${JSON.stringify(value)}\n`);
  say({ ready: true });
  for await (const line of readline.createInterface({ input: process.stdin })) {
    const ask = JSON.parse(line) as { open?: { key?: string; pause?: boolean; eventDate: string }; relay?: boolean };
    try {
      if (ask.open) {
        const { key, pause, eventDate } = ask.open;
        const afterNumbering = pause ? (caseId: string) => (say({ numbered: caseId }), new Promise<void>(() => undefined)) : undefined;
        say({ opened: await openCase({ ...deps, afterNumbering }, OPENER, { ...OPENING, eventDate }, key) });
      } else if (ask.relay) {
        say({ relayed: await startPendingOpenings(deps, 0) });
      }
    } catch (err) {
      say({ error: (err as Error).message });
    }
  }
  await connection.close();
  await db.close();
}

if (require.main === module) void main();
