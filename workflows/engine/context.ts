/** What every building block of a procedure works with. */
import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { beijingDate, compareDates, type IsoDate } from '../../domain/calendar';
import { RefusalType, type CaseInput } from '../../domain/case/contract';
import type { Rulebook } from '../../domain/rulebooks/schema';
import { refuse, type Actions } from './actions';
import type { CaseFile } from './case-file';
import type { Deadlines } from './deadlines';

export interface CaseContext {
  input: CaseInput;
  rulebook: Rulebook;
  file: CaseFile;
  deadlines: Deadlines;
  actions: Actions;
  /** Work that runs beside the steps (authority-deadline watchers, reminders); awaited before the case ends. */
  background(task: Promise<void>): void;
}

const { computeDeadline, issueDocument, archiveDossier } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

/**
 * Serving a notice heartbeats, so a worker that dies in the middle of sending
 * is noticed within seconds and another attempt takes over; the activity's
 * own records keep that attempt from sending twice. A channel that keeps
 * failing is retried with this backoff, and after the configured attempts the
 * officer is told instead (activities/notices.ts): the case never fails on it.
 */
export const { notify } = proxyActivities<Pick<Activities, 'notify'>>({
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/**
 * Rendering the archival PDF copies: a renderer that is missing or failing is
 * retried with backoff until it works (an hour between tries at most), so a
 * copy comes late but is never skipped; the case waits for it before it closes.
 */
export const archivalCopies = proxyActivities<Pick<Activities, 'renderArchivalCopies'>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' },
});

export const effects = { computeDeadline, issueDocument, archiveDossier, notify };

/** Today in Beijing, by the workflow's own clock. */
export function today(): IsoDate {
  return beijingDate(Date.now());
}

/** A date an officer reports: not in the future, and not before the event it follows. */
export function checkDate(field: string, date: IsoDate, notBefore?: { date: IsoDate | undefined; what: string }): void {
  if (compareDates(date, today()) > 0) refuse(RefusalType.invalidInput, `${field}：${date} 晚于今日 ${today()}`);
  if (notBefore?.date && compareDates(date, notBefore.date) < 0) {
    refuse(RefusalType.invalidInput, `${field}：${date} 早于${notBefore.what} ${notBefore.date}`);
  }
}

export function checkText(field: string, text: string | undefined): void {
  if (!text || text.trim().length === 0) refuse(RefusalType.invalidInput, `${field}：不能为空`);
}

/** Ids cited from a catalogue must exist in it. */
export function checkItems(field: string, ids: readonly string[], catalogue: { items: { id: string }[] } | undefined): void {
  const known = new Set(catalogue?.items.map((i) => i.id) ?? []);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) refuse(RefusalType.invalidInput, `${field}：本规则中没有 ${unknown.join('、')}`);
}
