import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { YearSchedule } from '../../domain/calendar';
import { yearScheduleInputSchema } from '../../domain/calendar/year-input';
import { calendarPropagationWorkflowId, CALENDAR_PROPAGATION_WORKFLOW_TYPE } from '../../domain/case/contract';
import { loadStatutoryCalendar } from '../../services/calendar/statutory-calendar';
import { saveLoadedYear } from '../../store/calendar-years';
import type { Db } from '../../store/db';
import { currentUser, requireRole } from '../auth';
import { validationProblem } from '../problem';
import { deadlinePreviewQuery, yearParams } from '../schemas';
import { parse } from '../validate';

export function calendarRoutes(deps: { db: Db; client: Client; taskQueue: string; publishedSchedules?: ReadonlyMap<number, YearSchedule> }): Router {
  const source = { db: deps.db, published: deps.publishedSchedules };
  const router = Router();

  router.get('/calendar/deadline', async (req, res) => {
    const query = parse(deadlinePreviewQuery, req, 'query');
    const calendar = await loadStatutoryCalendar(source);
    res.json(calendar.deadline(query.from, { amount: query.amount, unit: query.unit }));
  });

  router.get('/calendar/years', async (_req, res) => {
    const calendar = await loadStatutoryCalendar(source);
    res.json({ years: calendar.years() });
  });

  router.put('/calendar/years/:year', requireRole('admin'), async (req, res) => {
    const { year } = parse(yearParams, req, 'params');
    const parsed = yearScheduleInputSchema(year).safeParse(req.body ?? {});
    if (!parsed.success) throw validationProblem('body', parsed.error);
    const user = currentUser(req);
    const saved = await saveLoadedYear(
      deps.db,
      {
        year,
        status: 'official',
        source: parsed.data.source,
        holidays: Object.fromEntries(parsed.data.holidays.map((d) => [d.date, d.name])),
        makeUpWorkdays: Object.fromEntries(parsed.data.makeUpWorkdays.map((d) => [d.date, d.name])),
      },
      `${user.name} (${user.sub})`,
    );
    // Running cases with provisional deadlines in this year recount them; a workflow does the
    // fan-out so it completes even if this process stops right after answering.
    const propagation = calendarPropagationWorkflowId(year, saved.loadedAt);
    await deps.client.workflow.start(CALENDAR_PROPAGATION_WORKFLOW_TYPE, {
      workflowId: propagation,
      taskQueue: deps.taskQueue,
      args: [{ year, source: saved.source }],
    });
    res.json({ year: saved.year, source: saved.source, loadedBy: saved.loadedBy, loadedAt: saved.loadedAt, propagation });
  });

  return router;
}
