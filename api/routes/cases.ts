import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { z } from 'zod';
import { actionUpdate, ACTION_NAMES, RefusalType, searchAttributes as sa } from '../../domain/case/contract';
import { IdempotencyConflict, NoRulebookInForce, openCase, RouteNotAllowed } from '../../services/cases/open-case';
import { queryTerms } from '../../domain/case/matter-terms';
import type { RulebookParameters } from '../../domain/rulebooks';
import type { Db } from '../../store/db';
import { documentsOfCase } from '../../store/documents';
import { ROLES } from '../auth';
import { excludedFrom, loadCase } from '../case-access';
import { ACTION_SUMMARIES, actionBodies } from '../case-actions';
import { Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';
import { caseIdParams, caseListQuery, openCaseBody } from '../schemas';

export interface CaseRoutesDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  baseUrl: string;
  namespace: string;
  rulebookParameters?: RulebookParameters | undefined;
}

const REFUSAL_STATUS: Record<string, { status: number; code: string }> = {
  [RefusalType.wrongStage]: { status: 409, code: 'wrong_stage' },
  [RefusalType.windowClosed]: { status: 422, code: 'window_closed' },
  [RefusalType.invalidInput]: { status: 422, code: 'invalid_step' },
  [RefusalType.recused]: { status: 422, code: 'recused' },
  [RefusalType.notPermitted]: { status: 422, code: 'not_permitted' },
  [RefusalType.outcomeNotAllowed]: { status: 422, code: 'outcome_not_allowed' },
  [RefusalType.limitExceeded]: { status: 422, code: 'limit_exceeded' },
};

function refusal(err: WorkflowUpdateFailedError): Problem {
  const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
  const mapped = (cause?.type && REFUSAL_STATUS[cause.type]) || { status: 422, code: 'refused' };
  const details = (cause?.details?.[0] ?? {}) as Record<string, unknown>;
  return new Problem({
    status: mapped.status,
    code: mapped.code,
    title: 'Action refused',
    detail: { zh: cause?.message ?? '操作被拒绝', en: cause?.message ?? 'The action was refused' },
    extensions: details,
  });
}

const caseClosed = (id: string) =>
  new Problem({ status: 409, code: 'case_closed', title: 'Case closed', detail: { zh: `案件 ${id} 已终结`, en: `Case ${id} is closed` } });

const problem = (description: string) => ({ description, schema: 'problem' as const });
const actionPath = (name: string) => `/v1/cases/{id}/actions/${name}`;
/** Where a caller finds the body schema of an action in the OpenAPI document. */
export const actionSchemaRef = (name: string) => `/openapi.json#/paths/${actionPath(name).replace(/\//g, '~1')}/post/requestBody`;

/** A visibility query from the list filters; values are checked by the query schema, so nothing can be injected. */
function visibilityQuery(authority: string, q: z.infer<typeof caseListQuery>): string {
  const clauses = [`WorkflowType = "exemptionReview"`, `Authority = "${authority}"`];
  if (q.jurisdiction) clauses.push(`Jurisdiction = "${q.jurisdiction}"`);
  if (q.stage) clauses.push(`Stage = "${q.stage}"`);
  if (q.outcome) clauses.push(`Outcome = "${q.outcome}"`);
  if (q.overdue !== undefined) clauses.push(`Overdue = ${q.overdue}`);
  if (q.deadlineBefore) clauses.push(`NextDeadline < "${new Date(`${q.deadlineBefore}T00:00:00+08:00`).toISOString()}"`);
  for (const term of q.q ? queryTerms(q.q) : []) clauses.push(`MatterTerms = "${term}"`);
  return clauses.join(' AND ');
}

export function caseRoutes(deps: CaseRoutesDeps): RouteSpec[] {
  const actionRoutes = ACTION_NAMES.map((name) =>
    route({
      method: 'post',
      path: actionPath(name),
      operationId: name,
      summary: ACTION_SUMMARIES[name],
      description: 'The roles that may take this step come from the case’s rulebook; GET /v1/cases/{id} lists them under availableActions.',
      tags: ['case actions'],
      access: { kind: 'signedIn' },
      write: true,
      params: caseIdParams,
      body: actionBodies[name] as z.ZodType<Record<string, unknown>>,
      responses: {
        200: { description: 'The case after the step' },
        400: problem('Invalid body, every field error listed'),
        403: problem('The caller lacks the role the rulebook gives the step'),
        404: problem('No such case for this caller'),
        409: problem('The case is not at this step, or closed'),
        422: problem('The workflow refused the step, with its reason and article'),
      },
      async authorize({ params, user, res }) {
        res.locals.caseId = params.id;
        const state = await loadCase(deps, params.id, user);
        // The rulebook says which roles take the step; while the step is open its offer carries them.
        const offered = state.availableActions.find((a) => a.name === name);
        // A step not open now still needs someone who takes steps at all; auditors and admins read only.
        const roles = offered?.roles ?? ['officer', 'supervisor'];
        if (!user.roles.some((r) => roles.includes(r))) throw problems.forbidden(roles);
        if (state.closed) throw caseClosed(params.id);
      },
      async handle({ params, body, user, res }) {
        try {
          const actor = { sub: user.sub, name: user.name, roles: user.roles };
          res.json(await deps.client.workflow.getHandle(params.id).executeUpdate(actionUpdate(name), { args: [{ ...body, actor } as never] }));
        } catch (err) {
          if (err instanceof WorkflowUpdateFailedError) throw refusal(err);
          if (/already completed/i.test(String((err as Error).message))) throw caseClosed(params.id);
          throw err;
        }
      },
    }),
  );

  return [
    route({
      method: 'post',
      path: '/v1/cases',
      operationId: 'openCase',
      summary: '立案启动容错免责程序 Open a case',
      tags: ['cases'],
      access: { kind: 'roles', roles: ['officer'] },
      write: true,
      body: openCaseBody,
      headers: [{ name: 'Idempotency-Key', description: 'Same key and body: same answer; same key, other body: 409' }],
      responses: {
        201: { description: 'Case opened; Location names it', schema: z.object({ id: z.string() }) },
        400: problem('Invalid body'),
        403: problem('Only officers open cases'),
        409: problem('Idempotency-Key reused with another body'),
        422: problem('No rulebook in force, or a route the rulebook does not allow'),
      },
      async handle({ req, res, body, user }) {
        try {
          const { caseId } = await openCase(deps, user, body, req.get('idempotency-key') ?? undefined);
          res.locals.caseId = caseId;
          res.status(201).location(`${deps.baseUrl}/v1/cases/${caseId}`).json({ id: caseId });
        } catch (err) {
          if (err instanceof IdempotencyConflict) {
            throw new Problem({ status: 409, code: 'idempotency_key_reused', title: 'Idempotency-Key reused', detail: { zh: '该 Idempotency-Key 已用于内容不同的请求', en: 'This Idempotency-Key was used with a different body' } });
          }
          if (err instanceof RouteNotAllowed) {
            throw new Problem({ status: 422, code: 'route_not_allowed', title: 'Route not allowed', detail: { zh: `该辖区规则不接受此启动方式：${err.message}`, en: err.message }, errors: [{ field: 'body.route', message: err.message }] });
          }
          if (err instanceof NoRulebookInForce) {
            throw new Problem({ status: 422, code: 'no_rulebook', title: 'No rulebook in force', detail: { zh: '该辖区当前无有效规则', en: err.message } });
          }
          throw err;
        }
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases',
      operationId: 'listCases',
      summary: 'Cases of the caller’s authority, filtered, from Temporal visibility',
      tags: ['cases'],
      access: { kind: 'roles', roles: [...ROLES] },
      query: caseListQuery,
      responses: { 200: { description: 'A page of cases and the token of the next' }, 400: problem('Invalid filter') },
      async handle({ query, user, res }) {
        const page = await deps.client.workflowService.listWorkflowExecutions({
          namespace: deps.namespace,
          query: visibilityQuery(user.authority, query),
          pageSize: query.pageSize,
          nextPageToken: query.pageToken ? Buffer.from(query.pageToken, 'base64url') : null,
        });
        const cases = (page.executions ?? []).map((e) => {
          const attributes = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
          const next = attributes.get(sa.nextDeadline);
          return {
            id: e.execution?.workflowId,
            jurisdiction: attributes.get(sa.jurisdiction),
            stage: attributes.get(sa.stage),
            outcome: attributes.get(sa.outcome) ?? null,
            overdue: attributes.get(sa.overdue) ?? false,
            nextDeadline: next ? next.toISOString() : null,
            matter: attributes.get(sa.matter) ?? null,
            openedAt: e.startTime?.seconds ? new Date(Number(e.startTime.seconds) * 1000).toISOString() : null,
          };
        });
        const token = page.nextPageToken && page.nextPageToken.length > 0 ? Buffer.from(page.nextPageToken).toString('base64url') : null;
        res.json({ cases, nextPageToken: token });
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/{id}',
      operationId: 'getCase',
      summary: 'A case’s full state: stage, deadlines with their articles, timeline, documents, and the steps this caller may take',
      tags: ['cases'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: caseIdParams,
      responses: { 200: { description: 'The case' }, 404: problem('No such case for this caller') },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        const state = await loadCase(deps, params.id, user);
        const availableActions = excludedFrom(state, user)
          ? []
          : state.availableActions
              .filter((a) => a.roles.some((r) => user.roles.includes(r as never)))
              .map((a) => ({ ...a, input: actionSchemaRef(a.name) }));
        res.json({ ...state, availableActions });
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/{id}/documents',
      operationId: 'listCaseDocuments',
      summary: 'The documents issued in a case',
      tags: ['documents'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: caseIdParams,
      responses: { 200: { description: 'The documents' }, 404: problem('No such case for this caller') },
      async handle({ params, user, res }) {
        await loadCase(deps, params.id, user);
        const documents = await documentsOfCase(deps.db, params.id);
        res.json({ documents: documents.map(({ body: _body, ...meta }) => ({ ...meta, href: `/v1/documents/${meta.documentId}` })) });
      },
    }),
    ...actionRoutes,
  ];
}
