/**
 * The papers a step carries: the material ids a step's body names
 * (`attachments`), found in the case's file and handed to the workflow as
 * what they are (kind, title, digests), so the case records exactly the
 * files that were uploaded. An id of another case, or of a withdrawn
 * material, is refused naming the field.
 */
import type { PaperRef } from '../domain/case/materials';
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
