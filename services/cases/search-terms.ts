/**
 * Free-text search over matters without the matter in visibility. Search
 * attributes are never encrypted, so a case stores keyed hashes of its
 * matter's terms (domain/case/matter-terms.ts) instead of the terms: the
 * same word searched hashes the same way, while without the key a hash says
 * nothing. The authority is hashed in too, so equal words of two
 * authorities' cases cannot be linked. HMAC is a Node API, which is why this
 * lives outside domain/ (workflows import domain/).
 */
import { createHmac } from 'node:crypto';
import { matterTerms, queryTerms } from '../../domain/case/matter-terms';
import { normaliseText } from '../../domain/case/text';

/** 64 bits: collisions between the few thousand terms of one authority are practically impossible. */
const HASH_HEX_CHARACTERS = 16;

export interface MatterIndex {
  /** What a case's MatterTerms search attribute holds. */
  terms(authority: string, matter: string): string[];
  /** The values every one of which a case's MatterTerms must contain to match the words searched. */
  query(authority: string, words: string): string[];
  /** What a case's Assignees search attribute holds for an account it is assigned to (never the account itself). */
  account(authority: string, sub: string): string;
}

export function matterIndex(key: Uint8Array): MatterIndex {
  const hash = (authority: string, term: string) =>
    createHmac('sha256', key).update(`${authority}\u0000${term}`).digest('hex').slice(0, HASH_HEX_CHARACTERS);
  return {
    // The matter is kept as typed; its terms are of its normalised text (full-width letters and digits
    // as ordinary ones, no invisible characters), and so are the words searched.
    terms: (authority, matter) => matterTerms(normaliseText(matter)).map((term) => hash(authority, term)),
    query: (authority, words) => queryTerms(normaliseText(words)).map((term) => hash(authority, term)),
    // Apart from every term (no word hashes to an account's value): the same key, another domain.
    account: (authority, sub) => hash(authority, `\u0001account\u0001${sub}`),
  };
}
