/**
 * The archive's migrations as a job of their own (compose's `archive-migrate`,
 * run by `npm run cluster` too), as the archive's owner: the API and the
 * workers connect as a role that may not change the schema, and start only
 * once this has run (store/migrations.ts tells them otherwise).
 */
import { envSchema } from '../config/env';
import { openDb } from './db';
import { pendingMigrations } from './migrations';

const settingsSchema = envSchema.pick({ DATABASE_URL: true, STARTUP_WAIT_SECONDS: true });

async function main(): Promise<void> {
  const parsed = settingsSchema.safeParse(process.env);
  if (!parsed.success || !parsed.data.DATABASE_URL) {
    process.stderr.write(`configuration error: DATABASE_URL: ${parsed.success ? 'required, the archive owner\'s postgres:// URL' : parsed.error.issues[0]!.message}\n`);
    process.exit(78);
  }
  const say = (line: string) => process.stdout.write(`[archive-migrate] ${line}\n`);
  const db = await openDb({ databaseUrl: parsed.data.DATABASE_URL, waitMs: parsed.data.STARTUP_WAIT_SECONDS * 1000, onConnectionProblem: say });
  try {
    const left = await pendingMigrations(db);
    if (left.length > 0) throw new Error(`migrations ${left.join(', ')} still pending`);
    say('the archive is at its latest migration');
  } finally {
    await db.close();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`[archive-migrate] ${err.message}\n`);
  process.exit(1);
});
