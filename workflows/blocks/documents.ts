/**
 * Issuing documents through the archive activity. The workflow states the
 * facts a document rests on; the activity words them for the document's kind
 * (services/documents/wording.ts) and names the bodies from the authorities
 * configuration. Their archival PDF copies are rendered by an activity of
 * their own once they are recorded (renderArchivalCopies).
 */
import type { Actor, DocumentFacts, IssuedDocument, IssueDocumentRequest } from '../../domain/case/contract';
import type { CatalogueItem, DocumentSpec, Outcome } from '../../domain/rulebooks/schema';
import type { CaseContext } from '../engine/context';

/** What the case file says about the subject, the matter, the investigation and the determination. */
export function documentFacts(ctx: CaseContext, extra: Partial<DocumentFacts> = {}): DocumentFacts {
  const { state } = ctx.file;
  const catalogues = ctx.rulebook.catalogues ?? {};
  const cite = (ids: string[], items: CatalogueItem[] | undefined) =>
    ids.map((id) => items?.find((i) => i.id === id)).filter((i): i is CatalogueItem => Boolean(i)).map(({ article, text }) => ({ article, text }));
  const d = state.determination;
  const deliberation = ctx.rulebook.steps.find((s) => s.kind === 'deliberation');
  const deciderName = (id: string) => (deliberation?.kind === 'deliberation' ? deliberation.deciders.find((x) => x.id === id)?.name : undefined) ?? id;
  return {
    subject: state.subject,
    matter: state.matter,
    accountability: ctx.input.accountability,
    application: state.application
      ? {
          filedBy: state.application.filedBy,
          filedAt: state.application.filedAt,
          ...(state.application.contents ? { contents: applicationParts(ctx, state.application.contents) } : {}),
        }
      : undefined,
    investigation: state.investigationReport ? { submittedOn: state.investigationReport.submittedOn, findings: state.investigationReport.findings } : undefined,
    determination: d && {
      outcome: d.outcome,
      decidedOn: d.decidedOn,
      decidedBy: { id: d.decidedBy, name: deciderName(d.decidedBy) },
      grounds: [...cite(d.circumstances, catalogues.eligible?.items), ...cite(d.mitigating, catalogues.mitigating?.items)],
      conditions: cite(d.conditions, catalogues.conditions?.items),
      reasons: d.reasons,
      effects: d.effects.map((e) => ({ text: e.text, article: e.basis.article })),
    },
    ...extra,
  };
}

/** An application's parts with the rulebook's labels, in its order; those left empty are left out. */
function applicationParts(ctx: CaseContext, contents: Record<string, string>): { label: string; text: string }[] {
  return (ctx.rulebook.applicationContents?.parts ?? []).filter((p) => contents[p.id]?.trim()).map((p) => ({ label: p.label, text: contents[p.id]! }));
}

export async function issue(
  ctx: CaseContext,
  key: string,
  spec: DocumentSpec,
  addressees: IssueDocumentRequest['addressees'],
  copyTo: string[],
  issuedBy: Actor,
  facts: DocumentFacts = documentFacts(ctx),
): Promise<IssuedDocument | undefined> {
  const { rulebook } = ctx;
  const document = await ctx.effects.issueDocument({
    caseId: ctx.input.caseId,
    idempotencyKey: `${ctx.input.caseId}:${key}:${spec.kind}`,
    spec,
    issuer: ctx.input.authority,
    ...(spec.issuer ? { issuerRole: spec.issuer } : {}),
    ...(spec.namesApprovingBody && ctx.file.state.determination?.approvingBody ? { approvingBody: ctx.file.state.determination.approvingBody } : {}),
    rulebook: { id: rulebook.id, name: rulebook.name, issuingBody: rulebook.issuingBody, documentNumberPrefix: rulebook.documentNumberPrefix },
    addressees,
    copyTo,
    facts,
    issuedBy,
  });
  if (!document) return undefined;
  ctx.file.state.documents.push(spec.issuer ? { ...document, issuer: spec.issuer.role } : document);
  ctx.file.record('documentIssued', { detail: `${document.title} ${document.number}`, basis: spec.basis });
  return document;
}

/**
 * The archival copies of the case's documents, rendered in one run when the
 * case closes, for its dossier (建档): the copy belongs to the case file, and
 * one rendering per case keeps the renderer off the path of every step. The
 * worker's sweep renders the copies of running cases' documents meanwhile;
 * this call then finds them done. A missing renderer is retried with backoff
 * (context.ts) and the dossier waits for it.
 */
export async function renderArchivalCopies(ctx: CaseContext): Promise<void> {
  const documents = ctx.file.state.documents;
  if (documents.length === 0) return;
  await ctx.effects.renderArchivalCopies({ caseId: ctx.input.caseId, documentIds: documents.map((d) => d.documentId) });
}
