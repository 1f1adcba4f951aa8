import type { DeadlineComputation, IsoDate, PeriodUnit } from '../domain/calendar';
import { loadStatutoryCalendar, type CalendarSource } from '../services/calendar/statutory-calendar';

export interface DeadlineRequest {
  from: IsoDate;
  amount: number;
  unit: PeriodUnit;
}

/**
 * Counting runs here, not in the workflow: the result lands in the case's
 * history, so a calendar loaded later never changes what a replay computes.
 */
export function calendarActivities(calendar: CalendarSource) {
  return {
    async computeDeadline(request: DeadlineRequest): Promise<DeadlineComputation> {
      return (await loadStatutoryCalendar(calendar)).deadline(request.from, { amount: request.amount, unit: request.unit });
    },
  };
}
