/**
 * A party's window for a written filing (an application, an appeal). Whether
 * the filing is in time is decided by the day it reached the authority
 * (`receivedOn`, 民法典 第二百零一条、第二百零三条), not by the day an officer
 * enters it: when the window lapses the case waits a recording period in which
 * a filing that reached the authority in time can still be recorded, and only
 * then does the window close for good.
 */
import { compareDates, type IsoDate } from '../../domain/calendar';
import { RefusalType, type ActionName, type DeadlineRecord } from '../../domain/case/contract';
import { DEFAULT_RECORDING_PERIOD, PROVISIONAL_LAPSE, type Basis } from '../../domain/rulebooks/schema';
import { refuse } from './actions';
import { now } from './clock';
import type { CaseContext } from './context';

export interface PartyWindow {
  window: DeadlineRecord;
  basis: Basis;
  /** The step's label, and what is filed (申请, 申诉), for the words of refusals and the timeline. */
  label: string;
  what: string;
}

/** Refuses a filing that reached the authority after the window's last day, naming the day and the article. */
export function refuseIfLate({ window, basis, label, what }: PartyWindow, receivedOn: IsoDate): void {
  if (compareDates(receivedOn, window.deadline) > 0) {
    refuse(RefusalType.windowClosed, `${label}期限最后一日为 ${window.deadline}（24时届满），${receivedOn} 送达的${what}已逾期，不予受理`, basis);
  }
}

/** Where the filing was recorded after the window lapsed, settles the recording period, else the window. */
export function settleFiled(ctx: CaseContext, { window }: PartyWindow, recording: DeadlineRecord | undefined): void {
  if (window.status === 'pending') ctx.deadlines.settle(window, 'met');
  else if (recording?.status === 'pending') ctx.deadlines.settle(recording, 'met');
}

/** A lapse on a provisional last day waits for the year's schedule, re-checking this often in case no signal reaches the case. */
const RECHECK_MS = 24 * 3_600_000;

/**
 * The window lapsed with nothing filed: the lapse is recorded, and the filing stays on offer (with
 * `reoffer`, due by the end of the recording period) for what reached the authority in time.
 * Answers whether it was recorded; if not, the window is closed for good.
 *
 * Where the window's last day or the recording period's was provisional, the lapse is not final
 * until the year's schedule is loaded (PROVISIONAL_LAPSE): the recording period is held open, and a
 * window whose official last day is later is reopened (Deadlines.recountLapsed).
 */
export async function awaitLateRecording(
  ctx: CaseContext,
  party: PartyWindow,
  /** The action whose window closes for good; or, where each party has its own window, what closes this one. */
  close: ActionName | ((message: string) => void),
  filed: () => boolean,
  reoffer: (recording: DeadlineRecord) => void,
): Promise<boolean> {
  const { file, deadlines, actions, rulebook } = ctx;
  const { window, basis, label, what } = party;
  deadlines.settle(window, 'lapsed');
  file.record('windowLapsed', { detail: `${label}期限 ${window.deadline} 届满，未登记${what}；期限内送达的${what}仍可登记`, basis });
  const openRecording = () =>
    deadlines.open({
      key: `${window.key}Recording`,
      label: `登记期限内送达的${what}`,
      binds: 'recording',
      rule: rulebook.recordingPeriod ?? DEFAULT_RECORDING_PERIOD,
      from: window.deadline,
    });
  let recording = await openRecording();
  reoffer(recording);
  for (;;) {
    const reopened = () => window.status === 'pending';
    if ((await deadlines.waitFor(recording, () => filed() || reopened(), actions)) === 'done') {
      if (filed()) return true;
      // The official schedule moved the window's last day later, and it is still to come.
      deadlines.settle(recording, 'superseded');
      reoffer(window);
      if ((await deadlines.waitFor(window, filed, actions)) === 'done') return true;
      deadlines.settle(window, 'lapsed');
      file.record('windowLapsed', { detail: `${label}期限 ${window.deadline}（按正式安排）届满，未登记${what}；期限内送达的${what}仍可登记`, basis });
      recording = await openRecording();
      reoffer(recording);
      continue;
    }
    if (recording.provisional || window.provisional) {
      await holdForSchedule(ctx, party, recording, filed);
      if (filed()) return true;
      continue;
    }
    break;
  }
  deadlines.settle(recording, 'lapsed');
  const message = `${label}期限最后一日为 ${window.deadline}（24时届满），登记期至 ${recording.deadline} 届满，未登记期限内送达的${what}；逾期${what}不予受理`;
  if (typeof close === 'function') close(message);
  else actions.closeWindow(close, message, basis);
  return false;
}

/**
 * The recording period reached its end on a provisional count: the case waits, at rest, until the
 * schedule of the year is loaded (the calendarUpdated signal recounts the window and the period), or
 * the filing is recorded. Re-checks daily, in case the year was loaded and no signal came.
 */
async function holdForSchedule(ctx: CaseContext, party: PartyWindow, recording: DeadlineRecord, filed: () => boolean): Promise<void> {
  const { file, deadlines, actions } = ctx;
  const { window, label, what } = party;
  const years = [...new Set([...window.provisionalYears, ...recording.provisionalYears])].join('、');
  file.record('lapseHeld', {
    detail: `${label}期限最后一日 ${window.deadline}、登记期至 ${recording.deadline} 均按暂定安排计算（${years}年节假日安排未公布）；载入正式安排前不视为未提出${what}`,
    basis: PROVISIONAL_LAPSE,
  });
  const release = actions.rest();
  try {
    const settled = () => filed() || !(recording.provisional || window.provisional) || window.status === 'pending';
    while (!settled()) {
      const endsAt = recording.endsAt;
      if (await ctx.file.journal.wait(() => settled() || recording.endsAt !== endsAt, now() + RECHECK_MS, `recheck ${recording.key}`)) break;
      await deadlines.recountLapsed(window, '每日复核节假日安排');
      await deadlines.recount(recording, '每日复核节假日安排');
    }
  } finally {
    release();
  }
}
