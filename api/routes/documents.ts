import type { Client } from '@temporalio/client';
import type { Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../store/db';
import { archivalFile, documentFile, findDocument } from '../../store/documents';
import { ROLES } from '../auth';
import { loadCase, recusedFrom, recusedProblem } from '../case-access';
import { Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PDF = 'application/pdf';

/**
 * A document's file as stored, with the digests recorded for it and its name: staff's and a party's
 * downloads alike. An archival copy not rendered yet answers 404 archival_copy_pending with
 * Retry-After; a stored file that no longer matches its digests is reported and never served.
 */
export async function serveDocumentFile(
  deps: { db: Db; onIntegrityFailure?: (documentId: string) => void },
  res: Response,
  document: { documentId: string; number: string; title: string },
  archival: boolean,
): Promise<void> {
  res.locals.auditDetail = { file: archival ? 'pdf' : 'docx' };
  const file = archival ? await archivalFile(deps.db, document.documentId) : await documentFile(deps.db, document.documentId);
  if (!file && archival) {
    res.set('Retry-After', '60');
    throw new Problem({
      status: 404,
      code: 'archival_copy_pending',
      title: 'Archival copy not rendered yet',
      detail: { zh: `文书 ${document.number} 的存档 PDF 尚未生成，请稍后再试`, en: `The archival PDF of ${document.number} is not rendered yet; try again later` },
    });
  }
  if (!file) throw problems.notFound(`file of document ${document.documentId}`);
  if (!file.intact) {
    deps.onIntegrityFailure?.(document.documentId);
    throw new Problem({
      status: 500,
      code: 'document_integrity',
      title: 'Document integrity failure',
      detail: { zh: `文书 ${document.number} 的存档文件与${archival ? '生成' : '签发'}时记录的摘要（SHA-256、SM3）不符，已报告，不予提供`, en: `The archived file of ${document.number} no longer matches the digests (SHA-256, SM3) recorded when it was made; it was reported and is not served` },
    });
  }
  res
    .status(200)
    .type(file.mediaType)
    .set('X-Content-SHA256', file.sha256)
    .set(file.sm3 ? { 'X-Content-SM3': file.sm3 } : {})
    .set('Vary', 'Accept')
    .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${document.number}${document.title}.${archival ? 'pdf' : 'docx'}`)}`)
    .send(file.bytes);
}

export function documentRoutes(deps: { db: Db; client: Client; onIntegrityFailure?: (documentId: string) => void }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/documents/{id}',
      operationId: 'getDocument',
      summary: 'Download an issued document: the editable .docx, or with Accept: application/pdf its archival PDF/A copy; with the SHA-256 and SM3 recorded for that file',
      description:
        'The X-Content-SHA256 and X-Content-SM3 headers carry the digests recorded when the file was made (at issue for the .docx, at rendering for the PDF; no SM3 for files made before it was recorded); a stored file that no longer matches either is reported (500 document_integrity), never served. The archival copy is rendered shortly after issue; until then a PDF request answers 404 archival_copy_pending with Retry-After.',
      tags: ['documents'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: z.object({ id: z.uuid('is not a document id') }),
      audit: { event: 'DOCUMENT_ACCESSED' },
      responses: {
        200: { description: 'The document file', contentType: [DOCX, PDF], schema: { type: 'string', format: 'binary' } },
        403: { description: 'The caller is recused from the document’s case', schema: 'problem' },
        404: { description: 'No such document for this caller, or its archival copy is not rendered yet', schema: 'problem' },
        500: { description: 'The stored file no longer matches its hash', schema: 'problem' },
      },
      async handle({ req, params, user, res }) {
        res.locals.documentId = params.id;
        const document = await findDocument(deps.db, params.id);
        if (!document) throw problems.notFound(`document ${params.id}`);
        // Existence of another authority's document does not leak either.
        const state = await loadCase(deps, document.caseId, user).catch(() => {
          throw problems.notFound(`document ${params.id}`);
        });
        res.locals.caseId = document.caseId;
        if (recusedFrom(state, user)) throw recusedProblem(document.caseId);
        // The .docx unless the caller prefers the PDF (no Accept, or */*, keeps the .docx).
        const archival = req.accepts([DOCX, PDF]) === PDF;
        await serveDocumentFile(deps, res, document, archival);
      },
    }),
  ];
}
