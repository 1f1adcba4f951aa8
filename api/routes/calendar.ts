import type { Client } from '@temporalio/client';
import type { YearSchedule } from '../../domain/calendar';
import { yearScheduleBodySchema, yearScheduleInputSchema } from '../../domain/calendar/year-input';
import { calendarPropagationWorkflowId, CALENDAR_PROPAGATION_WORKFLOW_TYPE } from '../../domain/case/contract';
import { loadStatutoryCalendar } from '../../services/calendar/statutory-calendar';
import { saveLoadedYear } from '../../store/calendar-years';
import type { Db } from '../../store/db';
import { ROLES } from '../auth';
import { validationProblem } from '../problem';
import { route, type RouteSpec } from '../registry';
import { deadlinePreviewQuery, yearParams } from '../schemas';

export interface CalendarRoutesDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  publishedSchedules?: ReadonlyMap<number, YearSchedule> | undefined;
}

export function calendarRoutes(deps: CalendarRoutesDeps): RouteSpec[] {
  const source = { db: deps.db, published: deps.publishedSchedules };
  return [
    route({
      method: 'get',
      path: '/v1/calendar/deadline',
      operationId: 'previewDeadline',
      summary: 'Count a statutory period (民法典 第二百零一条至第二百零四条)',
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      query: deadlinePreviewQuery,
      responses: { 200: { description: 'The deadline, whether provisional, and the days skipped with why' }, 400: { description: 'Invalid query', schema: 'problem' } },
      async handle({ query, res }) {
        res.json((await loadStatutoryCalendar(source)).deadline(query.from, { amount: query.amount, unit: query.unit }));
      },
    }),
    route({
      method: 'get',
      path: '/v1/calendar/years',
      operationId: 'listCalendarYears',
      summary: 'Years with an official holiday schedule, and where each came from',
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      responses: { 200: { description: 'The years' } },
      async handle({ res }) {
        res.json({ years: (await loadStatutoryCalendar(source)).years() });
      },
    }),
    route({
      method: 'put',
      path: '/v1/calendar/years/{year}',
      operationId: 'loadCalendarYear',
      summary: 'Load the State Council’s holiday schedule of a year; running cases recount their provisional deadlines',
      tags: ['calendar'],
      access: { kind: 'roles', roles: ['admin'] },
      write: true,
      params: yearParams,
      // The dates must lie in the year of the path: the body schema is refined per year when the request comes in.
      body: yearScheduleBodySchema,
      responses: { 200: { description: 'The year as stored, and the workflow telling the running cases' }, 400: { description: 'Invalid schedule', schema: 'problem' }, 403: { description: 'Administrators only', schema: 'problem' } },
      async handle({ params, req, res, user }) {
        const schedule = yearScheduleInputSchema(params.year).safeParse(req.body);
        if (!schedule.success) throw validationProblem('body', schedule.error);
        const saved = await saveLoadedYear(
          deps.db,
          {
            year: params.year,
            status: 'official',
            source: schedule.data.source,
            holidays: Object.fromEntries(schedule.data.holidays.map((d) => [d.date, d.name])),
            makeUpWorkdays: Object.fromEntries(schedule.data.makeUpWorkdays.map((d) => [d.date, d.name])),
          },
          `${user.name} (${user.sub})`,
        );
        // A workflow fans the news out, so it completes even if this process stops right after answering.
        const propagation = calendarPropagationWorkflowId(params.year, saved.loadedAt);
        await deps.client.workflow.start(CALENDAR_PROPAGATION_WORKFLOW_TYPE, { workflowId: propagation, taskQueue: deps.taskQueue, args: [{ year: params.year, source: saved.source }] });
        res.json({ year: saved.year, source: saved.source, loadedBy: saved.loadedBy, loadedAt: saved.loadedAt, propagation });
      },
    }),
  ];
}
