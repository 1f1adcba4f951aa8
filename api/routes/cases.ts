import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Router } from 'express';
import { actionUpdate, caseStateQuery, RefusalType, type CaseState } from '../../domain/case/contract';
import { IdempotencyConflict, NoRulebookInForce, openCase, RouteNotAllowed } from '../../services/cases/open-case';
import type { Db } from '../../store/db';
import { currentUser, requireRole, type User } from '../auth';
import { actionBodies, isActionName } from '../case-actions';
import { Problem, problems } from '../problem';
import { caseIdParams, openCaseBody } from '../schemas';
import { parse } from '../validate';

export interface CaseRoutesDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  baseUrl: string;
}

/** A case of another authority answers exactly like a case that does not exist. */
async function loadCase(client: Client, id: string, user: User): Promise<CaseState> {
  try {
    const state = await client.workflow.getHandle(id).query(caseStateQuery);
    if (state.authority !== user.authority) throw problems.notFound(`case ${id}`);
    return state;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw problems.notFound(`case ${id}`);
    throw err;
  }
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

const caseClosed = (id: string) =>
  new Problem({ status: 409, code: 'case_closed', title: 'Case closed', detail: { zh: `案件 ${id} 已终结`, en: `Case ${id} is closed` } });

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

export function caseRoutes(deps: CaseRoutesDeps): Router {
  const router = Router();

  router.post('/cases', requireRole('officer'), async (req, res) => {
    const user = currentUser(req);
    const body = parse(openCaseBody, req, 'body');
    const key = req.get('idempotency-key') ?? undefined;
    try {
      const { caseId } = await openCase(deps, user, body, key);
      res.locals.caseId = caseId;
      res.status(201).location(`${deps.baseUrl}/v1/cases/${caseId}`).json({ id: caseId });
    } catch (err) {
      if (err instanceof IdempotencyConflict) {
        throw new Problem({
          status: 409,
          code: 'idempotency_key_reused',
          title: 'Idempotency-Key reused',
          detail: { zh: '该 Idempotency-Key 已用于内容不同的请求', en: 'This Idempotency-Key was used with a different body' },
        });
      }
      if (err instanceof RouteNotAllowed) {
        throw new Problem({
          status: 422,
          code: 'route_not_allowed',
          title: 'Route not allowed',
          detail: { zh: `该辖区规则不接受此启动方式：${err.message}`, en: err.message },
          errors: [{ field: 'body.route', message: err.message }],
        });
      }
      if (err instanceof NoRulebookInForce) {
        throw new Problem({ status: 422, code: 'no_rulebook', title: 'No rulebook in force', detail: { zh: '该辖区当前无有效规则', en: err.message } });
      }
      throw err;
    }
  });

  router.get('/cases/:id', async (req, res) => {
    const { id } = parse(caseIdParams, req, 'params');
    res.locals.caseId = id;
    const user = currentUser(req);
    const state = await loadCase(deps.client, id, user);
    // Only the steps this caller may take; none for the subject or someone recused.
    const excluded = state.subject.userId === user.sub || state.recusals.some((r) => r.person.sub === user.sub);
    const availableActions = excluded ? [] : state.availableActions.filter((a) => a.roles.some((r) => user.roles.includes(r as never)));
    res.json({ ...state, availableActions });
  });

  router.post('/cases/:id/actions/:action', async (req, res) => {
    const { id } = parse(caseIdParams, req, 'params');
    res.locals.caseId = id;
    const user = currentUser(req);
    const name = String(req.params.action);
    if (!isActionName(name)) throw problems.notFound(`action ${name}`);
    const state = await loadCase(deps.client, id, user);
    if (state.closed) throw caseClosed(id);
    // The rulebook says which roles take the step; while it is open its offer carries them.
    const offered = state.availableActions.find((a) => a.name === name);
    if (offered && !user.roles.some((r) => offered.roles.includes(r))) throw problems.forbidden(offered.roles);
    const body = parse(actionBodies[name], req, 'body');
    try {
      const after = await deps.client.workflow
        .getHandle(id)
        .executeUpdate(actionUpdate(name), { args: [{ ...body, actor: { sub: user.sub, name: user.name, roles: user.roles } } as never] });
      res.json(after);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw refusal(err);
      if (err instanceof WorkflowNotFoundError) throw problems.notFound(`case ${id}`);
      if ((err as { name?: string }).name === 'WorkflowExecutionAlreadyCompletedError' || /already completed/i.test(String((err as Error).message))) {
        throw caseClosed(id);
      }
      throw err;
    }
  });

  return router;
}
