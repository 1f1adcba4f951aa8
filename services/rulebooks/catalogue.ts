/**
 * Every rulebook version the system knows, and which is in force when: the
 * files shipped with the product (domain/rulebooks), each in force from its own
 * date, and the versions approved through the API (the archive), each from the
 * day it was approved for. A new case pins the version in force on the day it
 * is opened; running cases keep theirs.
 *
 * Approved versions are read from the archive on `refresh()`, which callers
 * make before a decision that depends on them (opening a case, listing what an
 * authority may open), so every API process decides alike; a version's
 * rulebook never changes once approved, so each is read only once.
 */
import type { Authorities } from '../../config/authorities';
import { BUILT_IN_WINDOWS, inForceOn, lastDayOf, rulebookSchema, type Rulebook, type VersionWindow } from '../../domain/rulebooks';
import type { IsoDate } from '../../domain/calendar';
import type { Db } from '../../store/db';
import { approvedWindows, boundThroughApi, rulebooksOf } from '../../store/rulebook-versions';

export interface CatalogueWindow extends VersionWindow {
  /** A shipped file's `<id>@<version>r<revision>`; an approved version's id in the archive. */
  versionId: string;
  origin: 'file' | 'approved';
}

/** The id a shipped file's version is known by in the API (it has no row in the archive). */
export const fileVersionId = (b: Pick<Rulebook, 'id' | 'version' | 'revision'>) => `${b.id}@${b.version}r${b.revision}`;
export const FILE_VERSION_ID = /^([a-z][a-z0-9-]*)@([A-Za-z0-9.-]{1,20})r(\d{1,4})$/;

const FILE_WINDOWS: readonly CatalogueWindow[] = BUILT_IN_WINDOWS.map((w) => ({ ...w, versionId: fileVersionId(w.rulebook), origin: 'file' as const }));

export class RulebookCatalogue {
  private approved: CatalogueWindow[] = [];
  private readonly contents = new Map<string, Rulebook>();

  constructor(private readonly db: Db) {}

  /** Reads the approved versions again (their ids and days; each rulebook once). */
  async refresh(): Promise<this> {
    const rows = await approvedWindows(this.db);
    const missing = rows.filter((r) => !this.contents.has(r.id)).map((r) => r.id);
    for (const [id, raw] of await rulebooksOf(this.db, missing)) this.contents.set(id, rulebookSchema.parse(raw));
    this.approved = rows.map((r) => ({ rulebook: this.contents.get(r.id)!, from: r.from, until: r.until, versionId: r.id, origin: 'approved' as const }));
    return this;
  }

  /** Every version in force at some time: the files and the approved, as of the last refresh. */
  windows(): readonly CatalogueWindow[] {
    return [...FILE_WINDOWS, ...this.approved];
  }

  inForce(jurisdiction: string, date: IsoDate): CatalogueWindow | undefined {
    return inForceOn(this.windows(), jurisdiction, date) as CatalogueWindow | undefined;
  }

  lastDay(window: CatalogueWindow): IsoDate | undefined {
    return lastDayOf(window, this.windows());
  }

  jurisdictions(): string[] {
    return [...new Set(this.windows().map((w) => w.rulebook.id))];
  }

  /** A shipped file's version by its id (`binhai@2021-10r3`). */
  fileVersion(versionId: string): CatalogueWindow | undefined {
    return FILE_WINDOWS.find((w) => w.versionId === versionId);
  }
}

/** The jurisdictions an authority runs reviews under: its configuration's and those bound to it through the API. */
export async function boundJurisdictions(db: Db, authorities: Authorities, authority: string): Promise<string[]> {
  const configured = authorities.get(authority)?.jurisdictions ?? [];
  const bound = (await boundThroughApi(db, authority)).map((b) => b.jurisdiction);
  return [...new Set([...configured, ...bound])];
}
