/** The rulebook a case runs on, as its state names it (jurisdiction, version, revision). */
import type { CaseState } from '../../domain/case/contract';
import { rulebooks, type Rulebook } from '../../domain/rulebooks';

export function rulebookOfCase(state: Pick<CaseState, 'jurisdiction' | 'rulebookVersion' | 'rulebookRevision'>): Rulebook | undefined {
  const versions = rulebooks.filter((b) => b.id === state.jurisdiction && b.version === state.rulebookVersion);
  return versions.find((b) => b.revision === (state.rulebookRevision ?? 1)) ?? versions.at(-1);
}

/** The kinds of material the case's file takes: every case's, and its rulebook's own. */
export function materialKindsOfCase(state: Pick<CaseState, 'jurisdiction' | 'rulebookVersion' | 'rulebookRevision'>): { id: string; label: string; filedByParty?: boolean | undefined }[] {
  return rulebookOfCase(state)?.materialKinds ?? [];
}
