/**
 * Statutes are cited: every quote a rulebook gives as the basis of a deadline,
 * step, document, effect or catalogue appears in the regulation's source text
 * (shared/regulations), so an auditor can find it. Values the source leaves
 * open are marked as the product's own choice and say why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PRODUCT_CHOICE, rulebooks, type Basis } from '../../domain/rulebooks';

const regulations = path.resolve(__dirname, '..', '..', '..', 'shared', 'regulations');
/** Compare text without punctuation, spaces or OCR line breaks, which differ between copies. */
const normalise = (text: string) => text.replace(/[\s\p{P}\p{S}“”‘’]/gu, '');

function bases(value: unknown, found: (Basis & { ocrFragments?: string[] })[] = []): (Basis & { ocrFragments?: string[] })[] {
  if (Array.isArray(value)) value.forEach((v) => bases(v, found));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.article === 'string' && typeof o.quote === 'string') found.push(o as unknown as Basis);
    else Object.values(o).forEach((v) => bases(v, found));
  }
  return found;
}

describe.each(rulebooks.map((b) => [b.id, b] as const))('%s rulebook', (_id, book) => {
  const source = normalise(fs.readFileSync(path.join(regulations, book.source), 'utf8'));

  it('quotes its source for every basis it cites', () => {
    const missing = bases(book)
      .filter((b) => b.article !== '按有关规定' && b.article !== PRODUCT_CHOICE)
      .flatMap((b) => (b.ocrFragments ?? b.quote.split('……')).map((fragment) => ({ article: b.article, fragment })))
      .filter(({ fragment }) => !source.includes(normalise(fragment)));
    expect(missing).toEqual([]);
  });

  it('states, where the source sets no period, that the rulebook chose it', () => {
    for (const b of bases(book).filter((x) => x.article === '按有关规定')) expect(b.quote).toContain('原文未规定期限');
  });

  it('gives the reason for every value the product chose where the source is silent', () => {
    const unexplained = bases(book).filter((b) => b.article === PRODUCT_CHOICE && !b.reading);
    expect(unexplained).toEqual([]);
  });

  it('numbers its catalogue items uniquely', () => {
    const ids = Object.values(book.catalogues).flatMap((c) => c?.items.map((i) => i.id) ?? []);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
