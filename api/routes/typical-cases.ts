/**
 * 典型案例: the anonymised summary of a concluded case (services/ledger/typical-case.ts), drafted by an
 * officer or supervisor, reviewed and edited by a supervisor, and published; the published text is
 * kept with the case in the archive (store/typical-cases.ts) and never changed.
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { typicalCaseDraft } from '../../services/ledger/typical-case';
import type { Db } from '../../store/db';
import { draftTypicalCase, findTypicalCase, reviewTypicalCase } from '../../store/typical-cases';
import { readableCase } from '../case-access';
import { Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';
import { LEDGER_READERS, TYPICAL_CASE_REVIEWERS, TYPICAL_CASE_WRITERS } from '../roles';
import { caseIdParams, text } from '../schemas';

const problem = (description: string) => ({ description, schema: 'problem' as const });
const PATH = '/v1/cases/{id}/typical-case';

export const typicalCaseReview = z
  .object({
    text: text(5000),
    publish: z.boolean({ error: 'must be true or false' }),
    /** 公开范围, e.g. 全区 or 系统内. */
    scope: text(100).optional(),
  })
  .strict();

const notConcluded = (id: string) =>
  new Problem({ status: 409, code: 'not_concluded', title: 'Not concluded', detail: { zh: `案件 ${id} 尚无认定结论，不能生成典型案例`, en: `Case ${id} has no conclusion yet; no typical-case summary can be drafted` } });
const published = (id: string) =>
  new Problem({ status: 409, code: 'published', title: 'Published', detail: { zh: `案件 ${id} 的典型案例已发布，发布文本不再修改`, en: `The typical case of ${id} was published; the published text is kept as it is` } });

export function typicalCaseRoutes(deps: { db: Db; client: Client; stepWaitMs?: number | undefined }): RouteSpec[] {
  return [
    route({
      method: 'post',
      path: PATH,
      operationId: 'draftTypicalCase',
      summary: '典型案例 Draft the anonymised summary of a concluded case (no name, the unit as its kind, dates to the month, the facts as recorded, the articles relied on), for review; drafted again while unpublished',
      tags: ['typical cases'],
      access: { kind: 'roles', roles: [...TYPICAL_CASE_WRITERS] },
      write: true,
      params: caseIdParams,
      responses: { 201: { description: 'The draft' }, 403: problem('Not an officer or supervisor, or recused'), 404: problem('No such case for this caller'), 409: problem('No conclusion yet, or already published') },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        const state = await readableCase(deps, params.id, user);
        if (!state.determination) throw notConcluded(params.id);
        const kept = await draftTypicalCase(deps.db, params.id, typicalCaseDraft(state), { sub: user.sub, name: user.name });
        if (kept.status === 'published') throw published(params.id);
        res.status(201).json(kept);
      },
    }),
    route({
      method: 'put',
      path: PATH,
      operationId: 'reviewTypicalCase',
      summary: '典型案例 The reviewed (edited) text of the draft; with publish: true it is published and kept with the case as published',
      tags: ['typical cases'],
      access: { kind: 'roles', roles: [...TYPICAL_CASE_REVIEWERS] },
      write: true,
      params: caseIdParams,
      body: typicalCaseReview,
      responses: { 200: { description: 'The typical case as kept' }, 400: problem('Invalid body'), 403: problem('Not a supervisor, or recused'), 404: problem('No such case, or no draft'), 409: problem('Already published') },
      async authorize({ params, user, res }) {
        res.locals.caseId = params.id;
        await readableCase(deps, params.id, user);
      },
      async handle({ params, body, user, res }) {
        const existing = await findTypicalCase(deps.db, params.id);
        if (!existing) throw problems.notFound(`案件 ${params.id} 的典型案例草稿 / a typical-case draft of ${params.id}`);
        if (existing.status === 'published') throw published(params.id);
        const kept = await reviewTypicalCase(deps.db, params.id, { text: body.text, publish: body.publish, scope: body.scope, by: { sub: user.sub, name: user.name } });
        if (!kept) throw published(params.id);
        res.json(kept);
      },
    }),
    route({
      method: 'get',
      path: PATH,
      operationId: 'getTypicalCase',
      summary: '典型案例 The case’s typical-case summary: the draft as generated, the text as reviewed, and whether, when and within what scope it was published',
      tags: ['typical cases'],
      access: { kind: 'roles', roles: [...LEDGER_READERS] },
      params: caseIdParams,
      responses: { 200: { description: 'The typical case' }, 403: problem('Recused'), 404: problem('No such case, or none drafted') },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        await readableCase(deps, params.id, user);
        const kept = await findTypicalCase(deps.db, params.id);
        if (!kept) throw problems.notFound(`案件 ${params.id} 的典型案例 / the typical case of ${params.id}`);
        res.json(kept);
      },
    }),
  ];
}
