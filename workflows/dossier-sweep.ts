/**
 * Runs on a schedule (worker/schedules.ts): every case closed without its
 * dossier (terminated, timed out, failed) since the sweep's watermark (the
 * close time of the newest case it recorded) gets one written from its last
 * state, and the files of closed cases not yet bound are bound. `all` looks
 * at every closed case. `lookbackHours`, which schedules made before the
 * watermark still pass, counts only where no sweep ever ran.
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

export async function sweepDossiers(request: { lookbackHours?: number; all?: boolean } = {}): Promise<{ written: string[]; bound?: string[] }> {
  const closedSince = request.lookbackHours ? new Date(Date.now() - request.lookbackHours * 3_600_000).toISOString() : undefined;
  return sweep({ closedSince, ...(request.all ? { all: true } : {}) });
}
