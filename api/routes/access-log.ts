/**
 * The access log of a case for the authority's auditors (store/access-log.ts):
 * who read it, its documents and notes, or decoded its payloads, when, from
 * where, and what they were answered; newest first, paged, or the whole of it
 * as CSV (Accept: text/csv). Reading it is itself logged.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { accessOfCase, type StoredAccessRecord } from '../../store/access-log';
import type { Db } from '../../store/db';
import { readableCase } from '../case-access';
import { route, type RouteSpec } from '../registry';
import { ACCESS_LOG_READERS } from '../roles';
import { caseIdParams, wholeNumber } from '../schemas';

const CSV = 'text/csv';
const problem = (description: string) => ({ description, schema: 'problem' as const });
/** At most this many records in one CSV export (the newest); page the JSON for more. */
export const MAX_CSV_RECORDS = 50_000;

export const accessLogQuery = z.object({
  limit: wholeNumber(1, 500).default(100),
  /** Records before this seq (the next page: the last seq of this one). */
  before: wholeNumber(1, 1_000_000_000_000).optional(),
});

const COLUMNS = ['seq', 'at', 'sub', 'name', 'roles', 'authority', 'event', 'operation', 'caseId', 'documentId', 'address', 'userAgent', 'status', 'detail', 'prevHash', 'hash'] as const;

/** RFC 4180: every field quoted, quotes doubled; a field that a spreadsheet would take for a formula is prefixed with '. */
function csvField(value: unknown): string {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(' ') : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function accessLogCsv(records: StoredAccessRecord[]): string {
  return [COLUMNS.join(','), ...records.map((r) => COLUMNS.map((c) => csvField(r[c])).join(','))].join('\r\n') + '\r\n';
}

export function accessLogRoutes(deps: { db: Db; client: Client; stepWaitMs?: number | undefined }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/cases/{id}/access-log',
      operationId: 'listCaseAccess',
      summary: '访问日志 Who read the case, its documents and notes, or decoded its payloads: when, from where, with what answer (auditors of its authority); CSV with Accept: text/csv',
      tags: ['access log'],
      access: { kind: 'roles', roles: [...ACCESS_LOG_READERS] },
      params: caseIdParams,
      query: accessLogQuery,
      audit: { event: 'ACCESS_LOG_VIEWED' },
      responses: {
        200: { description: 'The records, newest first, and the seq to page on from; or all of them as CSV', contentType: ['application/json', CSV] },
        403: problem('Not an auditor, or recused from the case'),
        404: problem('No such case for this caller'),
      },
      async handle({ params, query, user, req, res }) {
        res.locals.caseId = params.id;
        await readableCase(deps, params.id, user);
        if (req.accepts(['application/json', CSV]) === CSV) {
          const records = await accessOfCase(deps.db, params.id, { limit: MAX_CSV_RECORDS });
          res.locals.auditDetail = { export: 'csv', records: records.length };
          res
            .status(200)
            .type('text/csv; charset=utf-8')
            .set('Vary', 'Accept')
            .set('Content-Disposition', `attachment; filename="${params.id}-access-log.csv"`)
            .send(`\uFEFF${accessLogCsv(records)}`);
          return;
        }
        const records = await accessOfCase(deps.db, params.id, { limit: query.limit, beforeSeq: query.before });
        res.set('Vary', 'Accept').json({ records, nextBefore: records.length === query.limit ? records.at(-1)!.seq : null });
      },
    }),
  ];
}

