import type { DeadlineComputation, IsoDate, PeriodUnit } from '../domain/calendar';
import { loadStatutoryCalendar } from '../services/calendar/statutory-calendar';
import type { Queryable } from '../store/db';

export interface DeadlineRequest {
  from: IsoDate;
  amount: number;
  unit: PeriodUnit;
}

/**
 * Counting runs here, not in the workflow: the result lands in the case's
 * history, so a calendar loaded later never changes what a replay computes.
 */
export function calendarActivities(db: Queryable) {
  return {
    async computeDeadline(request: DeadlineRequest): Promise<DeadlineComputation> {
      const calendar = await loadStatutoryCalendar(db);
      return calendar.deadline(request.from, { amount: request.amount, unit: request.unit });
    },
  };
}
