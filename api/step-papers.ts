/**
 * The papers a step carries: the material ids a step's body names
 * (`attachments`), found in the case's file and handed to the workflow as
 * what they are (kind, title, digests), so the case records exactly the
 * files that were uploaded. An id of another case, or of a withdrawn
 * material, is refused naming the field.
 */
import type { CaseState } from '../domain/case/contract';
import { materialKindLabel, type PaperRef } from '../domain/case/materials';
import type { Queryable } from '../store/db';
import { findMaterials } from '../store/materials';
import { fieldsProblem } from './problem';

/** The body as the workflow takes it: `attachments` (ids) become `papers` (what they are). */
export async function withPapers(db: Queryable, caseId: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const ids = body.attachments as string[] | undefined;
  if (!ids) return body;
  const { attachments: _ids, ...rest } = body;
  const found = new Map((await findMaterials(db, caseId, ids)).map((m) => [m.materialId, m]));
  const errors = ids.flatMap((id, i) => {
    const material = found.get(id);
    if (!material) return [{ field: `body.attachments.${i}`, message: 'is not a material of this case' }];
    if (material.withdrawal) return [{ field: `body.attachments.${i}`, message: `was withdrawn on ${material.withdrawal.at} by ${material.withdrawal.by.name}: ${material.withdrawal.reason}` }];
    if (ids.indexOf(id) !== i) return [{ field: `body.attachments.${i}`, message: 'is named twice' }];
    return [];
  });
  if (errors.length > 0) throw fieldsProblem(errors);
  const papers: PaperRef[] = ids.map((id) => {
    const m = found.get(id)!;
    return { materialId: m.materialId, kind: m.kind, title: m.title, sha256: m.sha256, sm3: m.sm3 };
  });
  return { ...rest, papers };
}

/**
 * The case's papers as they stand in its file: an attached material withdrawn since is marked so, and
 * a requirement it alone met is missing again (the case itself learns of withdrawals only from here).
 */
export async function papersAsTheyStand(db: Queryable, state: CaseState): Promise<CaseState['papers']> {
  const papers = state.papers;
  if (!papers || papers.attached.length === 0) return papers;
  const materials = new Map((await findMaterials(db, state.caseId, [...new Set(papers.attached.map((p) => p.materialId))])).map((m) => [m.materialId, m]));
  const attached = papers.attached.map((p) => {
    const withdrawal = materials.get(p.materialId)?.withdrawal;
    return withdrawal ? { ...p, withdrawal } : p;
  });
  const standing = attached.filter((p) => !('withdrawal' in p));
  const again = attached
    .filter((p) => 'withdrawal' in p)
    .flatMap((p) => papers.missing.some((m) => m.step === p.step) ? [] : [{ step: p.step, kind: p.kind, at: (p as { withdrawal: { at: string } }).withdrawal.at }])
    .filter((w) => !standing.some((s) => s.step === w.step && s.kind === w.kind));
  const missingAgain = again.map((w) => ({ requirement: `${w.step}:${w.kind}`, step: w.step, label: `${materialKindLabel(w.kind)}（所附材料已撤回）`, kinds: [w.kind], article: '', since: w.at }));
  return { attached, missing: [...papers.missing, ...missingAgain] };
}
