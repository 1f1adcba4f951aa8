/**
 * Words of a matter as search terms. Temporal's visibility stores do not
 * split Chinese text into words, so the matter is indexed as a keyword list
 * of its character bigrams (and its Latin words and numbers), and a search
 * asks for all bigrams of the words searched: 城市更新 finds
 * 城市更新中的审批瑕疵 on every visibility store, SQLite included.
 */

/** Enough of the matter to find it by, within a search attribute's size limit. */
const INDEXED_CHARACTERS = 120;

/** Compared normalised (NFKC: full-width letters and digits as ordinary ones): the matter itself is kept as typed. */
function runs(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(/[\p{Script=Han}]+|[a-z0-9]+/gu) ?? [];
}

function bigrams(run: string): string[] {
  if (!/\p{Script=Han}/u.test(run)) return run.length >= 2 ? [run] : [];
  const chars = [...run];
  if (chars.length === 1) return [run];
  return chars.slice(0, -1).map((c, i) => c + chars[i + 1]);
}

export function matterTerms(matter: string): string[] {
  const terms = runs([...matter].slice(0, INDEXED_CHARACTERS).join('')).flatMap(bigrams);
  return [...new Set(terms)];
}

/** The terms a search must all match; a single Chinese character matches nothing on its own. */
export function queryTerms(query: string): string[] {
  return [...new Set(runs(query).flatMap((run) => ([...run].length === 1 && /\p{Script=Han}/u.test(run) ? [] : bigrams(run))))];
}
