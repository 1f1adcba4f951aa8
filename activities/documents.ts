import { Context, log } from '@temporalio/activity';
import { beijingDate } from '../domain/calendar';
import type { CaseState, IssuedDocument, IssueDocumentRequest, RenderArchivalCopiesRequest } from '../domain/case/contract';
import type { DocumentSpec } from '../domain/rulebooks/schema';
import { seriesOf, type Authorities } from '../config/authorities';
import type { Db } from '../store/db';
import { renderDocx } from '../services/documents/render-docx';
import { PDF, type ArchivalRenderer } from '../services/documents/render-pdf';
import { composeDocument, plainText, type ComposedDocument } from '../services/documents/wording';
import { documentsAwaitingArchivalCopy, documentsWithoutArchivalCopy, recordArchivalCopy, recordDocument } from '../store/documents';
import { saveDossier } from '../store/dossiers';
import { heartbeating } from '../services/heartbeating';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * An issue scheduled by a workflow before documents were composed here: it
 * carries the finished text. Only a retry of such an attempt still arrives.
 */
interface EarlierIssueDocumentRequest {
  caseId: string;
  idempotencyKey: string;
  spec: DocumentSpec;
  prefix: string;
  issuingBody: string;
  recipients: string[];
  copyTo: string[];
  body: string;
  issuedBy: IssueDocumentRequest['issuedBy'];
}

function composeEarlier(request: EarlierIssueDocumentRequest, authorities: Authorities): { composed: ComposedDocument; prefix: string } {
  const issuer = authorities.resolve('', { id: '', issuingBody: request.issuingBody, documentNumberPrefix: request.prefix });
  return {
    composed: { title: request.spec.title, addressees: request.recipients, body: request.body.split('\n').map((text) => ({ text })), copyTo: request.copyTo, issuer, signatory: issuer.name },
    prefix: request.prefix,
  };
}

/** Decision documents and dossiers: recorded in the archive database, exactly once per key. */
export function documentActivities(db: Db, deps: { authorities: Authorities; renderer: ArchivalRenderer }) {
  return {
    async issueDocument(request: IssueDocumentRequest | EarlierIssueDocumentRequest): Promise<IssuedDocument> {
      const today = beijingDate(Date.now());
      const year = Number(today.slice(0, 4));
      const { composed, prefix } =
        'facts' in request
          ? (() => {
              const composed = composeDocument(request, deps.authorities);
              return { composed, prefix: composed.issuer.series[seriesOf(request.spec.kind)] };
            })()
          : composeEarlier(request, deps.authorities);
      const record = await recordDocument(db, {
        caseId: request.caseId,
        idempotencyKey: request.idempotencyKey,
        kind: request.spec.kind,
        prefix,
        year,
        title: composed.title,
        body: plainText(composed),
        article: request.spec.basis.article,
        recipients: composed.addressees,
        copyTo: composed.copyTo,
        issuedBy: request.issuedBy,
        render: async (number) => ({
          mediaType: DOCX,
          bytes: await renderDocx({
            banner: composed.issuer.banner,
            number,
            title: composed.title,
            addressees: composed.addressees,
            body: composed.body,
            signature: composed.signatory,
            date: today,
            copyTo: composed.copyTo,
            printedBy: composed.issuer.printedBy,
            printedOn: today,
          }),
        }),
      });
      return {
        kind: request.spec.kind,
        title: composed.title,
        basis: request.spec.basis,
        number: record.number,
        documentId: record.documentId,
        issuedAt: record.issuedAt,
        recipients: composed.addressees,
        copyTo: composed.copyTo,
      };
    },

    /**
     * The archival PDF copies of documents already recorded, in one run of the
     * renderer. A missing renderer fails the attempt, and Temporal retries it
     * with backoff until the renderer is there: the copy comes late, never not at all.
     * A run takes seconds, longer when others are queued before it: it heartbeats
     * throughout, so only a dead worker's attempt is taken over.
     */
    async renderArchivalCopies(request: RenderArchivalCopiesRequest): Promise<{ documentId: string; sha256: string }[]> {
      const context = Context.current();
      return heartbeating(() => context.heartbeat(), () => renderArchivalCopies(db, deps.renderer, request.documentIds));
    },

    /** The closed case's final state and timeline go to the archive, outliving the workflow history. */
    async archiveDossier(state: CaseState): Promise<void> {
      await saveDossier(db, state, state.timeline.at(-1)?.at ?? new Date().toISOString());
    },
  };
}

/** Renders and records the archival copies those documents lack; the activity and the worker's sweep both use it. */
export async function renderArchivalCopies(db: Db, renderer: ArchivalRenderer, documentIds: string[]): Promise<{ documentId: string; sha256: string }[]> {
  const pending = await documentsAwaitingArchivalCopy(db, documentIds);
  if (pending.length === 0) return [];
  const started = Date.now();
  const pdfs = await renderer.render(pending.map((d) => ({ name: d.number, bytes: d.bytes })));
  const rendererName = await renderer.describe();
  const recorded = [];
  for (const [i, d] of pending.entries()) {
    recorded.push({ documentId: d.documentId, sha256: await recordArchivalCopy(db, d.documentId, { bytes: pdfs[i]!, mediaType: PDF, renderer: rendererName }) });
  }
  try {
    log.info('archival copies rendered', { documents: pending.map((d) => d.documentId), ms: Date.now() - started });
  } catch {
    // Outside an activity (the sweep) there is no activity logger; the caller logs.
  }
  return recorded;
}

/**
 * Renders the archival copies still missing, a batch at a time, oldest first.
 * Never throws: a missing renderer is logged once per sweep and the next
 * sweep tries again.
 */
export async function sweepArchivalCopies(db: Db, renderer: ArchivalRenderer, logger: { info(o: object, m: string): void; warn(o: object, m: string): void }): Promise<number> {
  let rendered = 0;
  try {
    for (;;) {
      const ids = await documentsWithoutArchivalCopy(db, 20);
      if (ids.length === 0) break;
      const done = await renderArchivalCopies(db, renderer, ids);
      if (done.length === 0) break;
      rendered += done.length;
    }
    if (rendered > 0) logger.info({ documents: rendered }, 'archival copies rendered by the sweep');
  } catch (err) {
    logger.warn({ err: (err as Error).message, rendered }, 'archival copies still missing; the next sweep tries again');
  }
  return rendered;
}
