import { binhai2021 } from './binhai';
import { hangzhouEducation2020 } from './hangzhou-education';
import { jiaozuo2017 } from './jiaozuo';
import { yangjiang2017 } from './yangjiang';
import { yinchuan2017 } from './yinchuan';
import { rulebookSchema, type Rulebook, type RulebookInput } from './schema';

export * from './schema';

/** Every rulebook version the system knows, newest last within a jurisdiction. */
const ALL: RulebookInput[] = [binhai2021, hangzhouEducation2020, yinchuan2017, jiaozuo2017, yangjiang2017];

/** Validated when this module loads: a malformed rulebook stops the process at start-up. */
export const rulebooks: readonly Rulebook[] = ALL.map((book) => {
  const parsed = rulebookSchema.safeParse(book);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`rulebook ${book.id}@${book.version}: ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
});

export const JURISDICTIONS = [...new Set(rulebooks.map((b) => b.id))];

/**
 * The version in force on `date` (YYYY-MM-DD): the latest whose in-force date is not after it, in
 * its latest revision.
 */
export function rulebookInForce(jurisdiction: string, date: string): Rulebook | undefined {
  return rulebooks
    .filter((b) => b.id === jurisdiction && b.inForce <= date)
    .sort((a, b) => (a.inForce === b.inForce ? a.revision - b.revision : a.inForce < b.inForce ? -1 : 1))
    .at(-1);
}
