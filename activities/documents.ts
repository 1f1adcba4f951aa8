import { beijingDate } from '../domain/calendar';
import type { CaseState, IssuedDocument, IssueDocumentRequest } from '../domain/case/contract';
import type { Db } from '../store/db';
import { renderDocx } from '../services/documents/render-docx';
import { recordDocument } from '../store/documents';
import { saveDossier } from '../store/dossiers';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Decision documents and dossiers: recorded in the archive database, exactly once per key. */
export function documentActivities(db: Db) {
  return {
    async issueDocument(request: IssueDocumentRequest): Promise<IssuedDocument> {
      const today = beijingDate(Date.now());
      const year = Number(today.slice(0, 4));
      const record = await recordDocument(db, {
        caseId: request.caseId,
        idempotencyKey: request.idempotencyKey,
        kind: request.spec.kind,
        prefix: request.prefix,
        year,
        title: request.spec.title,
        body: request.body,
        article: request.spec.basis.article,
        recipients: request.recipients,
        copyTo: request.copyTo,
        issuedBy: request.issuedBy,
        render: async (number) => ({
          mediaType: DOCX,
          bytes: await renderDocx({
            issuingBody: request.issuingBody,
            number,
            title: request.spec.title,
            mainRecipient: request.recipients.join('、'),
            paragraphs: request.body.split('\n'),
            date: today,
            copyTo: request.copyTo,
          }),
        }),
      });
      return {
        kind: request.spec.kind,
        title: request.spec.title,
        basis: request.spec.basis,
        number: record.number,
        documentId: record.documentId,
        issuedAt: record.issuedAt,
        recipients: request.recipients,
        copyTo: request.copyTo,
      };
    },

    /** The closed case's final state and timeline go to the archive, outliving the workflow history. */
    async archiveDossier(state: CaseState): Promise<void> {
      await saveDossier(db, state, state.timeline.at(-1)?.at ?? new Date().toISOString());
    },
  };
}
