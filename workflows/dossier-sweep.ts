/**
 * Runs on a schedule (worker/schedules.ts): every case closed lately without
 * its dossier (terminated, timed out, failed) gets one written from its last
 * state. Without a look-back it sweeps every closed case, for a first run.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

/** Heartbeats page by page; given up after six hours (the schedule's next sweep, 15 minutes on, starts again). */
const { sweepDossiers: sweep } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '2 minutes',
  scheduleToCloseTimeout: '6 hours',
  retry: { initialInterval: '5 seconds', maximumInterval: '5 minutes' },
});

export async function sweepDossiers(request: { lookbackHours?: number } = {}): Promise<{ written: string[] }> {
  const closedSince = request.lookbackHours ? new Date(Date.now() - request.lookbackHours * 3_600_000).toISOString() : undefined;
  return sweep({ closedSince });
}
