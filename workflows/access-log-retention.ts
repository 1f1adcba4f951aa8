/**
 * Runs on a schedule (worker/schedules.ts): the access log's retention job.
 * Removes only records older than the retention, at least 180 days (the
 * database function refuses fewer), and writes a record of its own run.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { pruneAccessLog } = proxyActivities<Activities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', maximumInterval: '10 minutes', maximumAttempts: 20 },
});

export async function retainAccessLog(request: { keepDays: number }): Promise<{ pruned: number; throughSeq: number | null }> {
  return pruneAccessLog({ keepDays: request.keepDays });
}
