/**
 * All activities, built by one factory from the dependencies the worker
 * injects. Workflows import only the type.
 */
import type { Client } from '@temporalio/client';
import type { Queryable } from '../store/db';
import { calendarActivities } from './calendar';
import { caseFleetActivities } from './cases';

export interface ActivityDependencies {
  db: Queryable;
  client: Client;
}

export function createActivities(deps: ActivityDependencies) {
  return {
    ...calendarActivities(deps.db),
    ...caseFleetActivities(deps.client),
  };
}

export type Activities = ReturnType<typeof createActivities>;
export type { DeadlineRequest } from './calendar';
