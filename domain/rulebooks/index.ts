/**
 * The rulebooks shipped with the product: data files under rulebooks/ (one per
 * version, `rulebooks/<id>/<version>.json`, each naming the regulation it
 * transcribes), imported as data so this module stays free of Node APIs and
 * I/O. Versions a deploying body approves through the API live in the archive
 * (services/rulebooks/catalogue.ts) and are added to these there.
 */
import binhai from '../../rulebooks/binhai/2021-10.json';
import hangzhouEducation from '../../rulebooks/hangzhou-education/2020-01.json';
import jiaozuo from '../../rulebooks/jiaozuo/2017.json';
import yangjiang from '../../rulebooks/yangjiang/2017-05.json';
import yinchuan from '../../rulebooks/yinchuan/2017.json';
import { inForceOn, type VersionWindow } from './in-force';
import { rulebookSchema, type Rulebook, type RulebookInput } from './schema';

export * from './schema';
export * from './in-force';

/** The files, as their paths in the repository name them: the path must be `rulebooks/<id>/<version>.json`. */
export const RULEBOOK_FILES: readonly { path: string; data: unknown }[] = [
  { path: 'rulebooks/binhai/2021-10.json', data: binhai },
  { path: 'rulebooks/hangzhou-education/2020-01.json', data: hangzhouEducation },
  { path: 'rulebooks/yinchuan/2017.json', data: yinchuan },
  { path: 'rulebooks/jiaozuo/2017.json', data: jiaozuo },
  { path: 'rulebooks/yangjiang/2017-05.json', data: yangjiang },
];

/** The file's data as it is written, for callers that need the input form (tests name a file's rulebook by its old export). */
export function rulebookFileData(path: string): RulebookInput {
  const file = RULEBOOK_FILES.find((f) => f.path === path);
  if (!file) throw new Error(`no rulebook file ${path}`);
  return file.data as RulebookInput;
}

/** Validated when this module loads: a malformed file stops the process at start-up, naming the file and the field. */
export const rulebooks: readonly Rulebook[] = RULEBOOK_FILES.map(({ path, data }) => {
  const parsed = rulebookSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`rulebook file ${path}: ${issue?.path.join('.') || '(file)'}: ${issue?.message}`);
  }
  const expected = `rulebooks/${parsed.data.id}/${parsed.data.version}.json`;
  if (path !== expected) throw new Error(`rulebook file ${path}: holds ${parsed.data.id} version ${parsed.data.version}, which belongs in ${expected}`);
  return parsed.data;
});

export const JURISDICTIONS = [...new Set(rulebooks.map((b) => b.id))];

/** The shipped versions, each in force from its own in-force date until the next version of its jurisdiction begins. */
export const BUILT_IN_WINDOWS: readonly VersionWindow[] = rulebooks.map((rulebook) => ({ rulebook, from: rulebook.inForce }));

/**
 * The shipped version in force on `date` (YYYY-MM-DD): the latest whose in-force date is not after it, in
 * its latest revision.
 */
export function rulebookInForce(jurisdiction: string, date: string): Rulebook | undefined {
  return inForceOn(BUILT_IN_WINDOWS, jurisdiction, date)?.rulebook;
}
