/**
 * Which version of a jurisdiction's rulebook governs a case opened on a day.
 * Each version is in force from a day (`from`: its own in-force date for the
 * files shipped with the product, the approved date for a version approved
 * through the API) until the day before the next version of its jurisdiction
 * begins, or an earlier end it was approved with (`until`). So two versions of
 * one jurisdiction are never in force on the same day, and a version that
 * ended is not revived when a later one ends. Running cases are not concerned:
 * each keeps the version pinned in its input.
 */
import { addDays, compareDates, type IsoDate } from '../calendar';
import type { Rulebook } from './schema';

export interface VersionWindow {
  rulebook: Rulebook;
  from: IsoDate;
  /** The last day in force, where the version was approved with an end. */
  until?: IsoDate | undefined;
}

/** The version's last day in force: its own end, or the day before the next version begins; none while open. */
export function lastDayOf(window: VersionWindow, all: readonly VersionWindow[]): IsoDate | undefined {
  const next = successorOf(window, all);
  const beforeNext = next ? addDays(next.from, -1) : undefined;
  if (window.until && beforeNext) return compareDates(window.until, beforeNext) <= 0 ? window.until : beforeNext;
  return window.until ?? beforeNext;
}

/** The version that follows this one in its jurisdiction: the next to begin, or, beginning the same day, a later revision. */
function successorOf(window: VersionWindow, all: readonly VersionWindow[]): VersionWindow | undefined {
  return all
    .filter((w) => w !== window && w.rulebook.id === window.rulebook.id && follows(w, window))
    .sort(order)
    .at(0);
}

const follows = (later: VersionWindow, earlier: VersionWindow) => {
  const c = compareDates(later.from, earlier.from);
  return c > 0 || (c === 0 && later.rulebook.revision > earlier.rulebook.revision);
};
const order = (a: VersionWindow, b: VersionWindow) => compareDates(a.from, b.from) || a.rulebook.revision - b.rulebook.revision;

/** The version of `jurisdiction` in force on `date`, if any. */
export function inForceOn(all: readonly VersionWindow[], jurisdiction: string, date: IsoDate): VersionWindow | undefined {
  return all
    .filter((w) => w.rulebook.id === jurisdiction && compareDates(w.from, date) <= 0)
    .sort(order)
    .filter((w) => {
      const last = lastDayOf(w, all);
      return !last || compareDates(date, last) <= 0;
    })
    .at(-1);
}

/**
 * Why `candidate` would be in force on a day another version of its jurisdiction is: it begins the
 * day another begins, or its end reaches past the beginning of the next. Undefined when it fits.
 */
export function overlapOf(candidate: VersionWindow, all: readonly VersionWindow[]): { other: VersionWindow; day: IsoDate } | undefined {
  const others = all.filter((w) => w !== candidate && w.rulebook.id === candidate.rulebook.id);
  const sameStart = others.find((w) => w.from === candidate.from);
  if (sameStart) return { other: sameStart, day: candidate.from };
  const next = others.filter((w) => compareDates(w.from, candidate.from) > 0).sort(order).at(0);
  if (next && candidate.until && compareDates(candidate.until, next.from) >= 0) return { other: next, day: next.from };
  // An earlier version approved with an end that reaches into this one's first day.
  const before = others.filter((w) => compareDates(w.from, candidate.from) < 0 && w.until && compareDates(w.until, candidate.from) >= 0).at(0);
  if (before) return { other: before, day: candidate.from };
  return undefined;
}
