/**
 * The schedules the worker keeps: the dossier sweep, the access log's retention job. Created at start-up if
 * missing, so a deployment needs no separate set-up step; a schedule already
 * there is left as the operators may have tuned it.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import { ACCESS_LOG_RETENTION_SCHEDULE_ID, ACCESS_LOG_RETENTION_WORKFLOW_TYPE, DOSSIER_SWEEP_SCHEDULE_ID, DOSSIER_SWEEP_WORKFLOW_TYPE } from '../domain/case/contract';

export async function ensureDossierSweep(client: Client, taskQueue: string, everyMinutes: number): Promise<'created' | 'present' | 'disabled'> {
  if (everyMinutes <= 0) return 'disabled';
  try {
    await client.schedule.create({
      scheduleId: DOSSIER_SWEEP_SCHEDULE_ID,
      spec: { intervals: [{ every: `${everyMinutes}m` }] },
      // Each run starts from the watermark the last one left, so sweeps missed while the workers were down, however many, are made up.
      action: { type: 'startWorkflow', workflowType: DOSSIER_SWEEP_WORKFLOW_TYPE, taskQueue, args: [{}] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'present';
    throw err;
  }
}

/** The access log's retention job, every `everyHours` (0: none, run by hand with npm run access-log -- prune). */
export async function ensureAccessLogRetention(client: Client, taskQueue: string, everyHours: number, keepDays: number): Promise<'created' | 'present' | 'disabled'> {
  if (everyHours <= 0) return 'disabled';
  try {
    await client.schedule.create({
      scheduleId: ACCESS_LOG_RETENTION_SCHEDULE_ID,
      spec: { intervals: [{ every: `${everyHours}h` }] },
      action: { type: 'startWorkflow', workflowType: ACCESS_LOG_RETENTION_WORKFLOW_TYPE, taskQueue, args: [{ keepDays }] },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
    });
    return 'created';
  } catch (err) {
    if (err instanceof ScheduleAlreadyRunning) return 'present';
    throw err;
  }
}
