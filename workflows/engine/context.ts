/** What every building block of a procedure works with. */
import { beijingDate, compareDates, type IsoDate } from '../../domain/calendar';
import { RefusalType, type CaseInput } from '../../domain/case/contract';
import type { CatalogueItem, Rulebook } from '../../domain/rulebooks/schema';
import { refuse, type Actions } from './actions';
import type { CaseFile } from './case-file';
import type { Deadlines } from './deadlines';
import type { Effects } from './effects';
import { now } from './clock';

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

/** Today in Beijing, by the case's clock (clock.ts). */
export function today(): IsoDate {
  return beijingDate(now());
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

/**
 * The parts of a written application, against the rulebook's list (`applicationContents`): an
 * unknown part or a missing required one is refused; answers the labels of the optional parts it
 * lacks, to be supplemented.
 */
export function checkApplicationContents(rulebook: Rulebook, contents: Record<string, string> | undefined): string[] {
  const listed = rulebook.applicationContents;
  const given = contents ?? {};
  if (!listed) {
    if (Object.keys(given).length > 0) refuse(RefusalType.invalidInput, 'contents：本规则未列明申请书的组成部分，请在 summary 中写明');
    return [];
  }
  const unknown = Object.keys(given).filter((id) => !listed.parts.some((p) => p.id === id));
  if (unknown.length > 0) refuse(RefusalType.invalidInput, `contents.${unknown[0]}：本规则的申请书由${listed.parts.map((p) => `${p.label}（${p.id}）`).join('、')}组成`, listed.basis);
  const absent = listed.parts.filter((p) => !given[p.id]?.trim());
  const required = absent.find((p) => p.required);
  if (required) refuse(RefusalType.invalidInput, `contents.${required.id}：申请书须写明${required.label}`, listed.basis);
  return absent.map((p) => p.label);
}

/** What the timeline says of an application's missing parts: nothing where none is missing. */
export function missingNote(ctx: Pick<CaseContext, 'rulebook'>, missing: string[]): string {
  const article = ctx.rulebook.applicationContents?.basis.article;
  return missing.length > 0 ? `；申请书未载明${missing.join('、')}${article ? `（${article}）` : ''}，可要求补正` : '';
}
