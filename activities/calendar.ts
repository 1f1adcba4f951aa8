import type { DeadlineComputation, IsoDate, PeriodUnit, YearSchedule } from '../domain/calendar';
import { loadStatutoryCalendar } from '../services/calendar/statutory-calendar';
import type { Db } from '../store/db';
import { countingWithCalendar } from '../store/provisional-counts';

export interface DeadlineRequest {
  from: IsoDate;
  amount: number;
  unit: PeriodUnit;
  /** The case counting: a provisional count is remembered, so loading its year tells the case. */
  caseId?: string | undefined;
}

/**
 * Counting runs here, not in the workflow: the result lands in the case's
 * history, so a calendar loaded later never changes what a replay computes.
 */
export function calendarActivities(calendar: { db: Db; published?: ReadonlyMap<number, YearSchedule> | undefined }) {
  return {
    async computeDeadline(request: DeadlineRequest): Promise<DeadlineComputation> {
      return countingWithCalendar(calendar.db, request.caseId, async (tx) =>
        (await loadStatutoryCalendar({ db: tx, published: calendar.published })).deadline(request.from, { amount: request.amount, unit: request.unit }),
      );
    },
  };
}
