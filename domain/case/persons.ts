/**
 * Who a person is, for recusal (回避) and for the investigation group: the
 * account where both sides have one, the normalised name otherwise. The
 * workflow and the API decide it alike.
 */
import { normaliseText } from './text';

export interface PersonRef {
  sub?: string | undefined;
  name: string;
}

/** The same person: by account where both have one, by normalised name (NFKC, whitespace trimmed) otherwise. */
export function samePerson(a: PersonRef, b: PersonRef): boolean {
  if (a.sub && b.sub) return a.sub === b.sub;
  return normaliseText(a.name) === normaliseText(b.name);
}
