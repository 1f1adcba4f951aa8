/**
 * Values in Temporal visibility queries. Every value that enters a query, from
 * a token's claims or a caller's filters, goes through `visibilityString`, so
 * a value holding quotes, `AND`, `OR` or a backslash stays one string literal
 * and can never widen the list.
 */

export class UnsafeQueryValue extends Error {
  override name = 'UnsafeQueryValue';
}

/**
 * A string literal of the visibility query language (an SQL dialect): double
 * quotes, with backslashes and both quote characters escaped by a backslash.
 * Control characters are refused rather than escaped: no valid value holds one,
 * and the parsers of the visibility stores disagree on them.
 */
export function visibilityString(value: string | Date): string {
  const text = value instanceof Date ? value.toISOString() : value;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new UnsafeQueryValue('a visibility query value holds a control character');
  return `"${text.replace(/[\\"']/g, (c) => `\\${c}`)}"`;
}
