/**
 * After an administrator loads a year's holiday schedule: tell every running
 * case that counted a deadline provisionally for that year, durably, even if
 * the API process that stored the year goes away a moment later. Started with
 * an id derived from the year and its schedule, so loading the same schedule
 * again (a retried request) finds the same propagation.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { CalendarUpdatedSignal } from '../domain/case/contract';

const { signalCasesWithProvisionalDeadlines, signalCasesCountedProvisionally } = proxyActivities<Activities>({
  startToCloseTimeout: '1 hour',
  // A page takes seconds; an attempt that stops heartbeating is taken over and resumes where it was.
  heartbeatTimeout: '1 minute',
  // Given up after a day, failing the propagation: every case still counting provisionally re-checks
  // the schedule before its deadline lapses and daily while a lapse waits for it (engine/deadlines.ts).
  scheduleToCloseTimeout: '1 day',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute' },
});

export async function propagateCalendarYear(update: CalendarUpdatedSignal): Promise<{ signalled: number }> {
  const counted = await signalCasesCountedProvisionally(update);
  // Cases opened before provisional counts were recorded are known only by their search attribute.
  const found = await signalCasesWithProvisionalDeadlines(update);
  return { signalled: counted.signalled + found.signalled };
}
