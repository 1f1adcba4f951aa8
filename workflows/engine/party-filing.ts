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
import { DEFAULT_RECORDING_PERIOD, type Basis } from '../../domain/rulebooks/schema';
import { refuse } from './actions';
import type { CaseContext } from './context';

/** Running cases lapse into a recording period instead of closing at once (added after the first cases ran). */
export const RECORDING_PERIOD_PATCH = 'party-window-recording-period';

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

/**
 * The window lapsed with nothing filed: the lapse is recorded, and the filing stays on offer (with
 * `reoffer`, due by the end of the recording period) for what reached the authority in time.
 * Answers whether it was recorded; if not, the window is closed for good.
 */
export async function awaitLateRecording(
  ctx: CaseContext,
  party: PartyWindow,
  action: ActionName,
  filed: () => boolean,
  reoffer: (recording: DeadlineRecord) => void,
): Promise<boolean> {
  const { file, deadlines, actions, rulebook } = ctx;
  const { window, basis, label, what } = party;
  deadlines.settle(window, 'lapsed');
  file.record('windowLapsed', { detail: `${label}期限 ${window.deadline} 届满，未登记${what}；期限内送达的${what}仍可登记`, basis });
  const recording = await deadlines.open({
    key: `${window.key}Recording`,
    label: `登记期限内送达的${what}`,
    binds: 'recording',
    rule: rulebook.recordingPeriod ?? DEFAULT_RECORDING_PERIOD,
    from: window.deadline,
  });
  reoffer(recording);
  if ((await deadlines.waitFor(recording, filed, actions)) === 'done') return true;
  deadlines.settle(recording, 'lapsed');
  actions.closeWindow(action, `${label}期限最后一日为 ${window.deadline}（24时届满），登记期至 ${recording.deadline} 届满，未登记期限内送达的${what}；逾期${what}不予受理`, basis);
  return false;
}
