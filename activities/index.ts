/**
 * All activities, built by one factory from the dependencies the worker
 * injects. Workflows import only the type.
 */
import type { Client } from '@temporalio/client';
import type { YearSchedule } from '../domain/calendar';
import type { Queryable } from '../store/db';
import { calendarActivities } from './calendar';
import { caseFleetActivities } from './cases';

export interface ActivityDependencies {
  db: Queryable;
  client: Client;
  /** The published holiday schedules; the package's unless a test narrows them. */
  publishedSchedules?: ReadonlyMap<number, YearSchedule>;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...calendarActivities({ db: deps.db, published: deps.publishedSchedules }),
    ...caseFleetActivities(deps.client),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { DeadlineRequest } from './calendar';
