/** Issuing decision documents through the archive activity, and the text they carry. */
import type { Actor, IssuedDocument } from '../../domain/case/contract';
import { OUTCOME_NAMES, type DocumentSpec } from '../../domain/rulebooks/schema';
import { type CaseContext } from '../engine/context';

/** The body of a decision document: facts, items and articles relied on, outcome, and any appeal route. */
export function documentBody(ctx: CaseContext, spec: DocumentSpec, appealNote?: string): string {
  const { state } = ctx.file;
  const d = state.determination;
  const catalogues = ctx.rulebook.catalogues ?? {};
  const cite = (ids: string[] | undefined, items: { id: string; article: string; text: string }[] | undefined) =>
    (ids ?? []).map((id) => items?.find((i) => i.id === id)).filter(Boolean).map((i) => `${i!.article}（${i!.text}）`);
  const lines = [
    `${state.subject.name}（${state.subject.organisation}${state.subject.position ? `，${state.subject.position}` : ''}）：`,
    `关于${state.matter}一事（问责案号：${state.accountability.reference}），经调查核实，${state.investigationReport?.findings ?? ''}`,
  ];
  if (d) {
    const relied = [...cite(d.circumstances, catalogues.eligible?.items), ...cite(d.mitigating, catalogues.mitigating?.items)];
    if (relied.length) lines.push(`依据${ctx.rulebook.name}${relied.join('、')}，`);
    if (d.conditions.length) lines.push(`并符合${cite(d.conditions, catalogues.conditions?.items).join('、')}，`);
    lines.push(`经集体研究，于${d.decidedOn}认定：${OUTCOME_NAMES[d.outcome]}。理由：${d.reasons}`);
    for (const effect of d.effects) lines.push(`${effect.text}（${effect.basis.article}）。`);
  }
  if (appealNote) lines.push(appealNote);
  lines.push(`（${spec.title}，依据${ctx.rulebook.name}${spec.basis.article}）`);
  return lines.join('\n');
}

/** Issues the document; undefined when a supervisor decided the case goes on without it (skipEffect, recorded). */
export async function issue(ctx: CaseContext, key: string, spec: DocumentSpec, recipients: string[], copyTo: string[], issuedBy: Actor, appealNote?: string): Promise<IssuedDocument | undefined> {
  const document = await ctx.effects.issueDocument({
    caseId: ctx.input.caseId,
    idempotencyKey: `${ctx.input.caseId}:${key}:${spec.kind}`,
    spec,
    prefix: ctx.rulebook.documentNumberPrefix,
    issuingBody: ctx.rulebook.issuingBody,
    ...(spec.issuer ? { issuer: spec.issuer } : {}),
    ...(spec.namesApprovingBody && ctx.file.state.determination?.approvingBody ? { approvingBody: ctx.file.state.determination.approvingBody } : {}),
    recipients,
    copyTo,
    body: documentBody(ctx, spec, appealNote),
    issuedBy,
  });
  if (!document) return undefined;
  ctx.file.state.documents.push(spec.issuer ? { ...document, issuer: spec.issuer.role } : document);
  ctx.file.record('documentIssued', { detail: `${document.title} ${document.number}`, basis: spec.basis });
  return document;
}
