import type { Client } from '@temporalio/client';
import type { YearSchedule } from '../../domain/calendar';
import { yearScheduleBodySchema, yearScheduleInputSchema } from '../../domain/calendar/year-input';
import { calendarPropagationWorkflowId, CALENDAR_PROPAGATION_WORKFLOW_TYPE } from '../../domain/case/contract';
import { loadStatutoryCalendar, StatutoryCalendar } from '../../services/calendar/statutory-calendar';
import { caseStateQuery, type CaseState } from '../../domain/case/contract';
import { listLoadedYears } from '../../store/calendar-years';
import { findCaseViews } from '../../store/case-views';
import { casesCountedProvisionally } from '../../store/provisional-counts';
import { WorkflowIdConflictPolicy } from '@temporalio/common';
import { canonicalHash } from '../../services/cases/idempotency';
import { saveLoadedYear } from '../../store/calendar-years';
import { loadingCalendarYear } from '../../store/provisional-counts';
import type { Db } from '../../store/db';
import { ROLES, SYSTEM_ROLES } from '../auth';
import { validationProblem } from '../problem';
import { route, type RouteSpec } from '../registry';
import { deadlinePreviewQuery, yearParams } from '../schemas';

export interface CalendarRoutesDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  publishedSchedules?: ReadonlyMap<number, YearSchedule> | undefined;
}

/** The schedule a request loads, checked against the year of its path. */
function scheduleOf(year: number, body: unknown): YearSchedule {
  const parsed = yearScheduleInputSchema(year).safeParse(body);
  if (!parsed.success) throw validationProblem('body', parsed.error);
  return {
    year,
    status: 'official' as const,
    source: parsed.data.source,
    holidays: Object.fromEntries(parsed.data.holidays.map((d) => [d.date, d.name])),
    makeUpWorkdays: Object.fromEntries(parsed.data.makeUpWorkdays.map((d) => [d.date, d.name])),
  };
}

/** How many of the cases to recount a preview reads one by one; the rest are counted, not shown. */
const PREVIEW_CASES = 100;

export function calendarRoutes(deps: CalendarRoutesDeps): RouteSpec[] {
  const source = { db: deps.db, published: deps.publishedSchedules };
  return [
    route({
      method: 'get',
      path: '/v1/calendar/deadline',
      operationId: 'previewDeadline',
      summary: 'Count a statutory period (民法典 第二百零一条至第二百零四条)',
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES, ...SYSTEM_ROLES] },
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
      access: { kind: 'roles', roles: [...ROLES, ...SYSTEM_ROLES] },
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
      // The national calendar serves every authority's cases: loading it is for the system's operators, not any authority's admin.
      access: { kind: 'roles', roles: ['system-admin'] },
      write: true,
      params: yearParams,
      // The dates must lie in the year of the path: the body schema is refined per year when the request comes in.
      body: yearScheduleBodySchema,
      responses: { 200: { description: 'The year as stored, and the workflow telling the running cases' }, 400: { description: 'Invalid schedule', schema: 'problem' }, 403: { description: 'The system-admin role only', schema: 'problem' } },
      async handle({ params, req, res, user }) {
        const schedule = scheduleOf(params.year, req.body);
        // While the year commits no count is half-way (store/provisional-counts.ts): every case that
        // counted without it is on record for the propagation to tell.
        const saved = await loadingCalendarYear(deps.db, (tx) => saveLoadedYear(tx, schedule, `${user.name} (${user.sub})`));
        // Started before answering, with an id from the year and its schedule: a retried request (the
        // answer was lost, or this process stopped after saving) starts it again safely, or finds it.
        const propagation = calendarPropagationWorkflowId(params.year, canonicalHash(schedule).slice(0, 16));
        await deps.client.workflow.start(CALENDAR_PROPAGATION_WORKFLOW_TYPE, {
          workflowId: propagation,
          taskQueue: deps.taskQueue,
          args: [{ year: params.year, source: saved.source }],
          workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        });
        res.json({ year: saved.year, source: saved.source, loadedBy: saved.loadedBy, loadedAt: saved.loadedAt, propagation });
      },
    }),
    route({
      method: 'post',
      path: '/v1/calendar/years/{year}/preview',
      operationId: 'previewCalendarYear',
      summary: 'What loading a year’s schedule would do, without loading it: the checks of the load, and the running cases and deadlines it would recount, with their last day before and after (an authority’s admin: its own authority’s cases only)',
      tags: ['calendar'],
      // Whoever loads a year checks it first; an authority's admin may check what a load would do, and ask the system administrator to load it.
      access: { kind: 'roles', roles: ['admin', 'system-admin'] },
      params: yearParams,
      body: yearScheduleBodySchema,
      responses: { 200: { description: 'The year as it stands, and what the load would recount' }, 400: { description: 'Invalid schedule', schema: 'problem' }, 403: { description: 'Administrators (admin, system-admin) only', schema: 'problem' } },
      async handle({ params, req, res, user }) {
        const schedule = scheduleOf(params.year, req.body);
        // The system administrator loads for every authority and sees every case the load recounts; an
        // authority's admin sees only its own authority's.
        const authority = user.roles.includes('system-admin') ? undefined : user.authority;
        const now = await loadStatutoryCalendar(source);
        const loaded = new Map((await listLoadedYears(deps.db)).map((y) => [y.year, y]));
        loaded.set(params.year, { ...schedule, loadedBy: '', loadedAt: '' });
        const after = new StatutoryCalendar(loaded, deps.publishedSchedules);
        // The same cases the load would tell (store/provisional-counts.ts); each recounts the deadlines it counted without the year.
        const ids = await casesCountedProvisionally(deps.db, params.year, 10_000, authority);
        // From the read model in one query; only a case without a view (opened before it) is asked.
        const views = await findCaseViews(deps.db, ids.slice(0, PREVIEW_CASES));
        const states = await Promise.all(
          ids.slice(0, PREVIEW_CASES).map(
            (id) =>
              views.get(id) ??
              deps.client.connection
                .withDeadline(Date.now() + 5_000, () => deps.client.workflow.getHandle(id).query(caseStateQuery))
                .catch((): CaseState | undefined => undefined),
          ),
        );
        const cases = states.map((state, i) => {
          // A case that does not answer now is still recounted by the load; it is listed without its deadlines.
          if (!state || (authority && state.authority !== authority)) return { caseId: ids[i]!, jurisdiction: null as string | null, deadlines: [] as unknown[] };
          const counted = [...state.deadlines.filter((d) => d.status === 'pending'), ...state.limits];
          const deadlines = counted
            .filter((d) => d.provisional && d.provisionalYears?.includes(params.year) && d.from && d.amount && d.unit)
            .map((d) => {
              const recount = after.deadline(d.from!, { amount: d.amount!, unit: d.unit! });
              return { key: d.key, label: d.label, article: d.basis.article, before: d.deadline, after: recount.deadline, stillProvisional: recount.provisional };
            });
          return { caseId: state.caseId, jurisdiction: state.jurisdiction as string | null, deadlines: deadlines as unknown[] };
        });
        res.json({
          year: params.year,
          current: now.years().find((y) => y.year === params.year) ?? null,
          holidays: Object.keys(schedule.holidays).length,
          makeUpWorkdays: Object.keys(schedule.makeUpWorkdays).length,
          casesToRecount: ids.length,
          cases,
        });
      },
    }),
  ];
}
