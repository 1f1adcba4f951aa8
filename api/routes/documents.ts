import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../store/db';
import { documentFile, findDocument } from '../../store/documents';
import { ROLES } from '../auth';
import { loadCase } from '../case-access';
import { Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';

export function documentRoutes(deps: { db: Db; client: Client; onIntegrityFailure?: (documentId: string) => void }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/documents/{id}',
      operationId: 'getDocument',
      summary: 'Download an issued document (.docx), with the SHA-256 recorded when it was issued',
      description: 'The X-Content-SHA256 header carries the hash recorded at issue; a stored file that no longer matches it is reported (500 document_integrity), never served.',
      tags: ['documents'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: z.object({ id: z.uuid('is not a document id') }),
      responses: {
        200: { description: 'The document file', contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', schema: { type: 'string', format: 'binary' } },
        404: { description: 'No such document for this caller', schema: 'problem' },
        500: { description: 'The stored file no longer matches its hash', schema: 'problem' },
      },
      async handle({ params, user, res }) {
        const document = await findDocument(deps.db, params.id);
        if (!document) throw problems.notFound(`document ${params.id}`);
        // Existence of another authority's document does not leak either.
        await loadCase(deps, document.caseId, user).catch(() => {
          throw problems.notFound(`document ${params.id}`);
        });
        res.locals.caseId = document.caseId;
        const file = await documentFile(deps.db, params.id);
        if (!file) throw problems.notFound(`file of document ${params.id}`);
        if (!file.intact) {
          deps.onIntegrityFailure?.(params.id);
          throw new Problem({
            status: 500,
            code: 'document_integrity',
            title: 'Document integrity failure',
            detail: { zh: `文书 ${document.number} 的存档文件与签发时记录的 SHA-256 不符，已报告，不予提供`, en: `The archived file of ${document.number} no longer matches the SHA-256 recorded at issue; it was reported and is not served` },
          });
        }
        res
          .status(200)
          .type(file.mediaType)
          .set('X-Content-SHA256', file.sha256)
          .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${document.number}${document.title}.docx`)}`)
          .send(file.bytes);
      },
    }),
  ];
}
