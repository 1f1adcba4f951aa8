/**
 * The access log's own commands, on the archive the settings name
 * (DATABASE_URL, or the embedded archive under DATA_DIR, which no other
 * process may hold open: stop `npm start` first):
 *
 *   npm run access-log -- verify              # walks the hash chain; exit 1 at the first broken link
 *   npm run access-log -- prune [--keep-days 180]
 *
 * `verify` prints the head (the last record's hash): keep it with the backups,
 * since only against an earlier head can a removed tail be told. `prune` is the
 * retention job the worker's schedule runs (ACCESS_LOG_RETENTION_HOURS), by
 * hand: it removes only records older than the retention, at least 180 days,
 * and logs itself.
 */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config/env';
import { archiveOptions } from '../config/resources';
import { pruneAndRecord, verifyAccessLog } from '../store/access-log';
import { openDb } from '../store/db';

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { 'keep-days': { type: 'string' } } });
  const command = positionals[0];
  if (command !== 'verify' && command !== 'prune') {
    process.stderr.write('usage: npm run access-log -- verify | prune [--keep-days 180]\n');
    return 2;
  }
  const config = loadConfigOrExit();
  const keepDays = values['keep-days'] === undefined ? config.ACCESS_LOG_RETENTION_DAYS : Number(values['keep-days']);
  if (!Number.isInteger(keepDays) || keepDays < 180) {
    process.stderr.write(`access-log: --keep-days ${values['keep-days']}: must be a whole number of days, at least 180 (网络安全法 第二十一条)\n`);
    return 2;
  }
  const db = await openDb(archiveOptions(config));
  try {
    if (command === 'prune') {
      const { pruned, throughSeq } = await pruneAndRecord(db, keepDays, { sub: 'system:access-log-cli', operation: 'pruneAccessLog' });
      process.stdout.write(`access log: ${pruned} records older than ${keepDays} days pruned${throughSeq !== null ? ` (through seq ${throughSeq})` : ''}; the pruning is itself in the log\n`);
      return 0;
    }
    const result = await verifyAccessLog(db);
    if (!result.intact) {
      process.stdout.write(`access log BROKEN at seq ${result.seq} (${result.at}): ${result.reason}; ${result.records} records before it verified\n`);
      return 1;
    }
    const span = result.records > 0 ? `seq ${result.firstSeq}–${result.lastSeq}` : 'empty';
    process.stdout.write(`access log intact: ${result.records} records (${span})${result.anchor ? `, from the anchor of the pruning through seq ${result.anchor.throughSeq}` : ''}; head ${result.head}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`access-log: ${err.message}\n`);
    process.exit(1);
  },
);
