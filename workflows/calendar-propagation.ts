/**
 * After an administrator loads a year's holiday schedule: tell every running
 * case with a provisional deadline, durably, even if the API process that
 * stored the year goes away a moment later.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CalendarUpdatedSignal } from '../domain/case/contract';

const { signalCasesWithProvisionalDeadlines } = proxyActivities<Activities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

export async function propagateCalendarYear(update: CalendarUpdatedSignal): Promise<{ signalled: string[] }> {
  return signalCasesWithProvisionalDeadlines(update);
}
