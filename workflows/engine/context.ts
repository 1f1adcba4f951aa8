/** What every building block of a procedure works with. */
import { beijingDate, compareDates, type IsoDate } from '../../domain/calendar';
import { RefusalType, type CaseInput } from '../../domain/case/contract';
import type { CatalogueItem, Rulebook } from '../../domain/rulebooks/schema';
import { refuse, type Actions } from './actions';
import type { CaseFile } from './case-file';
import type { Deadlines } from './deadlines';
import type { Effects } from './effects';

export interface CaseContext {
  input: CaseInput;
  rulebook: Rulebook;
  file: CaseFile;
  deadlines: Deadlines;
  actions: Actions;
  /** Counting, documents, notices, the dossier: every effect, handed to a person when it fails for good. */
  effects: Effects;
  /** Work that runs beside the steps (authority-deadline watchers, reminders); awaited before the case ends. */
  background(task: Promise<void>): void;
  /**
   * Whether the main line of steps has run its course (or the case closed early): a step running
   * beside it that waits for something that may never come (a finding, an appeal with no window)
   * stops waiting then.
   */
  mainLineDone(): boolean;
}

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

/**
 * Ids cited from a catalogue must exist in it, and an item that applies only to cases of a kind
 * (滨海 第九条) may be cited only in such a case.
 */
export function checkItems(field: string, ids: readonly string[], catalogue: { items: CatalogueItem[] } | undefined, ctx?: Pick<CaseContext, 'input' | 'rulebook'>): void {
  const known = new Set(catalogue?.items.map((i) => i.id) ?? []);
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0) refuse(RefusalType.invalidInput, `${field}：本规则中没有 ${unknown.join('、')}`);
  for (const item of catalogue?.items.filter((i) => i.requiresAttribute && ids.includes(i.id)) ?? []) {
    const attribute = ctx?.rulebook.caseAttributes?.find((a) => a.id === item.requiresAttribute);
    if (!ctx?.input.attributes?.[item.requiresAttribute!]) {
      refuse(RefusalType.invalidInput, `${field}：${item.article} 仅适用于${attribute?.label ?? item.requiresAttribute}的案件`, attribute?.basis);
    }
  }
}
