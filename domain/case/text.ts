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

/**
 * Characters no text field holds, whatever it is for: they are invisible or
 * change how the text around them reads, so a document printed from the
 * field would not say what the officer saw on screen. Control characters
 * (Cc; a multi-line field keeps line feed and carriage return), format
 * characters (Cf: bidirectional embeddings, overrides, isolates and marks,
 * zero-width space and joiners, the word joiner, the soft hyphen, the
 * byte-order mark, tags), the line and paragraph separators, letters that
 * render as nothing (the Hangul fillers, the combining grapheme joiner, the
 * braille blank), lone surrogates and noncharacters. Variation selectors stay:
 * an ideographic variation sequence writes a rare character of a name.
 */
const NEVER_IN_TEXT = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}\u034f\u115f\u1160\u2800\u3164\uffa0\ufdd0-\ufdef\ufffe\uffff]/gu;
const BIDIRECTIONAL = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/u;

/** The first character of `text` no field may hold, as U+XXXX with what it is; undefined when there is none. */
export function forbiddenCharacter(text: string, options: { lines?: boolean } = {}): { codePoint: string; kind: string } | undefined {
  for (const match of text.matchAll(NEVER_IN_TEXT)) {
    const char = match[0];
    if (options.lines && (char === '\n' || char === '\r')) continue;
    const code = char.codePointAt(0)!;
    const codePoint = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    const kind =
      char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029'
        ? 'a line break, in a field of one line'
        : BIDIRECTIONAL.test(char)
          ? 'a bidirectional control'
          : ZERO_WIDTH.test(char)
            ? 'a zero-width character'
            : /\p{Cc}/u.test(char)
              ? 'a control character'
              : /\p{Cs}/u.test(char)
                ? 'half of a broken character (a lone surrogate)'
                : /[\ufdd0-\ufdef\ufffe\uffff]/u.test(char)
                  ? 'a noncharacter'
                  : 'an invisible character';
    return { codePoint, kind };
  }
  return undefined;
}

/** What a field's error says of such a character: `must not contain U+202E (a bidirectional control)`. */
export function forbiddenCharacterMessage(found: { codePoint: string; kind: string }): string {
  return `must not contain ${found.codePoint} (${found.kind})`;
}

/**
 * `text` without the characters no field may hold, line breaks kept: what a document prints, so that
 * nothing recorded before fields refused them (or named by configuration) reaches a document.
 */
export function withoutForbiddenCharacters(text: string): string {
  return text.replace(NEVER_IN_TEXT, (char) => (char === '\n' || char === '\r' ? char : ''));
}
