/**
 * Text as people read it, and text no field may hold. Free of Node APIs: the
 * workflow compares names with it, the API validates and normalises input.
 */

/** Zero-width characters, the soft hyphen, the byte-order mark and bidirectional controls: invisible, so never part of a word. */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/**
 * NFKC (full-width letters and digits become ordinary ones), invisible
 * characters removed, runs of whitespace one space, trimmed, and no space
 * between two Chinese characters (official documents pad two-character names
 * to three: 王　某).
 */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(/\s+/gu, ' ')
    .replace(/(\p{Script=Han}) (?=\p{Script=Han})/gu, '$1')
    .trim();
}

/** Control characters (tab, newline and carriage return aside) and lone surrogates, which no text field may hold. */
export function hasForbiddenCharacters(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}
