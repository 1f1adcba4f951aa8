import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Db } from '../../store/db';
import { findDocument } from '../../store/documents';
import { ROLES } from '../auth';
import { loadCase } from '../case-access';
import { problems } from '../problem';
import { route, type RouteSpec } from '../registry';

export function documentRoutes(deps: { db: Db; client: Client }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/documents/{id}',
      operationId: 'getDocument',
      summary: 'An issued document: number, title, article and text',
      tags: ['documents'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: z.object({ id: z.uuid('is not a document id') }),
      responses: { 200: { description: 'The document' }, 404: { description: 'No such document for this caller', schema: 'problem' } },
      async handle({ params, user, res }) {
        const document = await findDocument(deps.db, params.id);
        if (!document) throw problems.notFound(`document ${params.id}`);
        // Existence of another authority's document does not leak either.
        await loadCase(deps.client, document.caseId, user).catch(() => {
          throw problems.notFound(`document ${params.id}`);
        });
        res.locals.caseId = document.caseId;
        res.json(document);
      },
    }),
  ];
}
