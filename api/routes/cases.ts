import { createHash } from 'node:crypto';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { z } from 'zod';
import type { Authorities } from '../../config/authorities';
import { ACTION_NAMES, CASE_MEMO, RefusalType, searchAttributes as sa, type CaseState } from '../../domain/case/contract';
import { IdempotencyConflict } from '../../services/cases/idempotency';
import { NoRulebookInForce, openCase, RouteNotAllowed, WindowAlreadyLapsed } from '../../services/cases/open-case';
import type { OpeningLogger } from '../../services/cases/opening-relay';
import type { MatterIndex } from '../../services/cases/search-terms';
import { CaseBusy, isRefusal, isRetryOfStep, stepOutcome, takeStep, type StepOutcome } from '../../services/cases/steps';
import { visibilityString } from '../../services/cases/visibility';
import { partyInboxKey, userInboxKey } from '../../services/notices/deliver';
import { bindOrganisationAccount, bindSubjectAccount } from '../../store/case-contacts';
import { rulebooks } from '../../domain/rulebooks';
import { plainRefusal } from '../../domain/labels/zh';
import type { RulebookParameters } from '../../domain/rulebooks';
import type { Db } from '../../store/db';
import { documentsOfCase } from '../../store/documents';
import { isParty, ROLES } from '../auth';
import { assignmentStep } from '../assignment';
import { excludedFrom, loadCase, readCase, recusedAmong, recusedFrom, recusedProblem, redacted } from '../case-access';
import { ACTION_SUMMARIES, actionBodies } from '../case-actions';
import { pendingEffects } from '../pending-effects';
import { assignedTo } from '../../domain/case/people';
import { papersAsTheyStand, withPapers } from '../step-papers';
import { admitsClosedCases, archivedCasesPage, type ArchiveCursor } from '../archived-cases';
import { refuseStaffAsParty, refuseStaffAsSubject, staffRecorder } from '../subject-account';
import { fieldsProblem, Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';
import type { User } from '../auth';
import type { Response } from 'express';
import { caseIdParams, caseListQuery, openCaseBodyOf, stepParams } from '../schemas';
import { beijingDate } from '../../domain/calendar';
import { boundJurisdictions, type RulebookCatalogue } from '../../services/rulebooks/catalogue';
import { idempotencyKeyOf } from '../validate';
import { VISIBILITY_WAIT_MS } from '../waits';

export interface CaseRoutesDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  baseUrl: string;
  namespace: string;
  matterIndex: MatterIndex;
  /** How long a step waits for the case before answering 202 (default 15 s). */
  stepWaitMs?: number | undefined;
  /** Which jurisdictions each authority may open cases under (with those bound through the API). */
  authorities: Authorities;
  rulebookParameters?: RulebookParameters | undefined;
  /** The rulebook versions in force when: the shipped files and the approved ones. */
  catalogue: RulebookCatalogue;
  /** What time it is for choosing the version in force (the real clock unless a test runs on the time-skipping server's). */
  now?: (() => number) | undefined;
  /** Told of a case whose start failed (the relay starts it). */
  logger?: OpeningLogger | undefined;
}

const REFUSAL_STATUS: Record<Exclude<(typeof RefusalType)[keyof typeof RefusalType], 'HandingOver'>, { status: number; code: string }> = {
  [RefusalType.wrongStage]: { status: 409, code: 'wrong_stage' },
  [RefusalType.windowClosed]: { status: 422, code: 'window_closed' },
  [RefusalType.invalidInput]: { status: 422, code: 'invalid_step' },
  [RefusalType.recused]: { status: 422, code: 'recused' },
  [RefusalType.notPermitted]: { status: 422, code: 'not_permitted' },
  [RefusalType.outcomeNotAllowed]: { status: 422, code: 'outcome_not_allowed' },
  [RefusalType.limitExceeded]: { status: 422, code: 'limit_exceeded' },
};

/** Every catalogue item of the shipped rulebooks by its article and text: a refusal names items by id. */
const CATALOGUE_WORDS: ReadonlyMap<string, string> = new Map(
  rulebooks.flatMap((b) => Object.values(b.catalogues).flatMap((c) => (c?.items ?? []).map((i) => [i.id, `${i.article}“${i.text}”`] as [string, string]))),
);

function refusal(err: WorkflowUpdateFailedError): Problem {
  const cause = err.cause instanceof ApplicationFailure ? err.cause : undefined;
  const mapped = (cause?.type && REFUSAL_STATUS[cause.type as keyof typeof REFUSAL_STATUS]) || { status: 422, code: 'refused' };
  const details = (cause?.details?.[0] ?? {}) as Record<string, unknown>;
  return new Problem({
    status: mapped.status,
    code: mapped.code,
    title: 'Action refused',
    // The workflow's words name ids (a stage, a step, members.0, binhai-8-5): the Chinese names them as the console does.
    detail: { zh: cause?.message ? plainRefusal(cause.message, CATALOGUE_WORDS) : '操作被拒绝', en: cause?.message ?? 'The action was refused' },
    extensions: details,
  });
}

/** The case did not take the step now, and did not refuse it: not the caller's mistake, so never a 4xx. */
const BUSY: Record<CaseBusy['reason'], { zh: string; en: string }> = {
  handingOver: { zh: '案件正在交接至新的运行，请稍后重试', en: 'The case is handing over to a new run; send the step again shortly' },
  workflowTask: { zh: '案件暂时无法处理该步骤（流程任务失败或超时），请稍后以同一 Idempotency-Key 重试', en: 'The case could not take the step now (its workflow task failed or timed out); send it again with the same Idempotency-Key' },
  updateLimit: { zh: '案件待处理的步骤已达上限，请稍后重试', en: 'The case has as many steps in flight as the server allows; send the step again shortly' },
  unavailable: { zh: '流程引擎暂时无法应答，请稍后重试', en: 'The workflow service did not answer; try again shortly' },
};

const caseBusy = (err: CaseBusy) =>
  new Problem({ status: 503, code: 'case_busy', title: 'Step not taken now', detail: BUSY[err.reason], extensions: { reason: err.reason }, retryAfterSeconds: err.retryAfterSeconds });

const caseClosed = (id: string) =>
  new Problem({ status: 409, code: 'case_closed', title: 'Case closed', detail: { zh: `案件 ${id} 已终结`, en: `Case ${id} is closed` } });

const keyReused = () =>
  new Problem({ status: 409, code: 'idempotency_key_reused', title: 'Idempotency-Key reused', detail: { zh: '该 Idempotency-Key 已用于内容不同的请求', en: 'This Idempotency-Key was used with a different request' } });

/** Where the outcome of a step can be asked for again. */
const stepPath = (caseId: string, updateId: string) => `/v1/cases/${caseId}/steps/${updateId}`;

/**
 * A finished step answers the case after it, read as GET reads it (the case's view at least as new as
 * the version the step answered with); one still under way answers 202 with where to ask again.
 */
async function sendOutcome(res: Response, deps: CaseRoutesDeps, caseId: string, outcome: StepOutcome, user: User): Promise<void> {
  const { baseUrl } = deps;
  if (outcome.status === 'done') {
    const { state, freshness } = await readCase(deps, caseId, user, outcome.result.version);
    await followSubjectAccount(deps.db, state);
    res.json({ ...asSeenBy(state, user), freshness });
    return;
  }
  res
    .status(202)
    .location(`${baseUrl}${stepPath(caseId, outcome.updateId)}`)
    .set('Retry-After', '2')
    .json({ status: 'pending', updateId: outcome.updateId, href: stepPath(caseId, outcome.updateId) });
}

/** A step's failure as an answer: the workflow's refusal, or the case closed meanwhile. */
export function stepProblem(err: unknown, caseId: string): unknown {
  if (err instanceof CaseBusy) return caseBusy(err);
  if (isRefusal(err)) return refusal(err);
  if (err instanceof IdempotencyConflict) return keyReused();
  if (/already completed/i.test(String((err as Error).message))) return caseClosed(caseId);
  return err;
}

const problem = (description: string) => ({ description, schema: 'problem' as const });
const actionPath = (name: string) => `/v1/cases/{id}/actions/${name}`;
/** Where a caller finds the body schema of an action in the OpenAPI document. */
export const actionSchemaRef = (name: string) => `/openapi.json#/paths/${actionPath(name).replace(/\//g, '~1')}/post/requestBody`;

/**
 * A visibility query from the caller's authority and its filters. Every value goes through
 * `visibilityString`, whatever the schemas already checked, so no claim or filter can end its literal.
 */
export function visibilityQuery(authority: string, q: Omit<z.infer<typeof caseListQuery>, 'pageSize' | 'pageToken'>, matterIndex: MatterIndex, caller?: { sub: string }): string {
  const s = visibilityString;
  // A long case's earlier runs (continued as new) are the same case: listed once, by its current run.
  const clauses = [`WorkflowType = ${s('exemptionReview')}`, `ExecutionStatus != ${s('ContinuedAsNew')}`, `Authority = ${s(authority)}`];
  if (q.jurisdiction) clauses.push(`Jurisdiction = ${s(q.jurisdiction)}`);
  if (q.stage) clauses.push(`Stage = ${s(q.stage)}`);
  if (q.outcome) clauses.push(`Outcome = ${s(q.outcome)}`);
  if (q.overdue !== undefined) clauses.push(`Overdue = ${q.overdue === true}`);
  if (q.deadlineBefore) clauses.push(`NextDeadline < ${s(new Date(`${q.deadlineBefore}T00:00:00+08:00`))}`);
  // Hashed as the case's terms were: visibility never holds the words.
  for (const term of q.q ? matterIndex.query(authority, q.q) : []) clauses.push(`MatterTerms = ${s(term)}`);
  // 承办人: the caller's account as the case keeps it (a keyed hash), or none at all.
  if (q.assignee === 'mine') clauses.push(`Assignees = ${s(matterIndex.account(authority, caller?.sub ?? ''))}`);
  if (q.assignee === 'unassigned') clauses.push('Assignees IS NULL');
  return clauses.join(' AND ');
}

/**
 * Page tokens are Temporal's, prefixed with a digest of the query they page through: a token from
 * another query (another filter, another authority) or made up answers 400, and never reaches Temporal.
 */
const PAGE_TOKEN_DIGEST_BYTES = 12;
const queryDigest = (query: string) => createHash('sha256').update(query).digest().subarray(0, PAGE_TOKEN_DIGEST_BYTES);
const invalidPageToken = () => fieldsProblem([{ field: 'query.pageToken', message: 'is not a page token of this list: ask for the first page again' }]);

function pageTokenOut(query: string, token: Uint8Array | null | undefined): string | null {
  return token && token.length > 0 ? Buffer.concat([queryDigest(query), token]).toString('base64url') : null;
}

function pageTokenIn(query: string, token: string | undefined): Buffer | null {
  if (!token) return null;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= PAGE_TOKEN_DIGEST_BYTES || !bytes.subarray(0, PAGE_TOKEN_DIGEST_BYTES).equals(queryDigest(query))) throw invalidPageToken();
  return bytes.subarray(PAGE_TOKEN_DIGEST_BYTES);
}

/**
 * Past Temporal's last page the list goes on in the archive (closed cases Temporal no longer keeps):
 * those pages' tokens carry the archive's cursor, under a digest of their own, so neither kind of
 * token passes for the other.
 */
const archiveDigest = (query: string) => queryDigest(`archive\u0000${query}`);

function archiveTokenOut(query: string, cursor: ArchiveCursor | null): string {
  return Buffer.concat([archiveDigest(query), Buffer.from(JSON.stringify(cursor ?? {}), 'utf8')]).toString('base64url');
}

/** The archive cursor of an archive page's token (null: its first page); undefined for a token that is not one. */
function archiveTokenIn(query: string, token: string | undefined): ArchiveCursor | null | undefined {
  if (!token) return undefined;
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.length <= PAGE_TOKEN_DIGEST_BYTES || !bytes.subarray(0, PAGE_TOKEN_DIGEST_BYTES).equals(archiveDigest(query))) return undefined;
  try {
    const cursor = JSON.parse(bytes.subarray(PAGE_TOKEN_DIGEST_BYTES).toString('utf8')) as Partial<ArchiveCursor>;
    if (cursor.closedAt === undefined) return null;
    if (typeof cursor.closedAt !== 'string' || Number.isNaN(Date.parse(cursor.closedAt)) || typeof cursor.caseId !== 'string') throw new Error('bad cursor');
    return { closedAt: cursor.closedAt, caseId: cursor.caseId };
  } catch {
    throw invalidPageToken();
  }
}

/** gRPC INVALID_ARGUMENT: Temporal could not use what it was given (here, a page token). */
const isInvalidArgument = (err: unknown) => (err as { code?: unknown })?.code === 3;

/** Once a step bound a party's account, its notices go to that account's inbox at the case's authority. */
async function followSubjectAccount(db: Db, state: CaseState): Promise<void> {
  const userId = state.subject.userId;
  if (userId) await bindSubjectAccount(db, state.caseId, userId, { from: partyInboxKey(state.caseId, 'subject'), to: userInboxKey(state.authority, userId) });
  const organisation = state.partyAccounts?.subjectOrganisation;
  if (organisation) {
    await bindOrganisationAccount(db, state.caseId, organisation, { from: partyInboxKey(state.caseId, 'subjectOrganisation'), to: userInboxKey(state.authority, organisation) });
  }
}

/** The case as this caller sees it: only the steps its roles may take, each with where its input is described. A recused user sees it redacted. */
function asSeenBy(state: CaseState, user: User) {
  if (recusedFrom(state, user)) return redacted(state);
  const availableActions = excludedFrom(state, user)
    ? []
    : state.availableActions.filter((a) => a.roles.some((r) => user.roles.includes(r as never))).map((a) => ({ ...a, input: actionSchemaRef(a.name) }));
  return { ...state, availableActions };
}

/** Archived cases as the caller may see them: recusal from the dossier itself, as for the cases of visibility. */
function shownArchived(cases: Awaited<ReturnType<typeof archivedCasesPage>>['cases'], user: User, query: z.infer<typeof caseListQuery>) {
  const filteredByContent = Boolean(query.q || query.deadlineBefore || query.overdue !== undefined);
  return cases.flatMap(({ state, ...raw }): Record<string, unknown>[] => {
    const c = { ...raw, mine: assignedTo(state, user.sub) };
    if (!recusedFrom(state, user)) return [c];
    return filteredByContent ? [] : [{ ...c, matter: null, nextDeadline: null, overdue: null, redacted: { reason: 'recused' } }];
  });
}

export function caseRoutes(deps: CaseRoutesDeps): RouteSpec[] {
  const actedAsStaff = staffRecorder(deps.db);
  const actionRoutes = ACTION_NAMES.map((name) =>
    route({
      method: 'post',
      path: actionPath(name),
      operationId: name,
      summary: ACTION_SUMMARIES[name],
      description:
        'The roles that may take this step come from the case’s rulebook; GET /v1/cases/{id} lists them under availableActions. ' +
        'With an Idempotency-Key a retried request is applied once and answers as the first did. A step the case has not taken within the wait answers 202 with where to ask for its outcome.',
      tags: ['case actions'],
      access: { kind: 'signedIn' },
      write: true,
      params: caseIdParams,
      body: actionBodies[name] as z.ZodType<Record<string, unknown>>,
      headers: [{ name: 'Idempotency-Key', description: 'Same caller and key: the step is applied once, a retry answers as the first; same key, other step or body: 409' }],
      responses: {
        200: { description: 'The case after the step' },
        202: { description: 'The case has not taken the step yet; Location (and href) says where to ask for its outcome' },
        400: problem('Invalid body, every field error listed'),
        403: problem('The caller lacks the role the rulebook gives the step'),
        404: problem('No such case for this caller'),
        409: problem('The case is not at this step, or closed (a retry of the step that closed it, under its Idempotency-Key, answers as the first try did); or the Idempotency-Key was used for another request; or (bindSubjectAccount, bindOrganisationAccount) the account is staff: the case’s own, or of the authority; or (assignCase) an assignee is not an officer of the authority, is of another authority, is recused or is a party; or (claimCase) the case is held already'),
        422: problem('The workflow refused the step, with its reason and article'),
        503: problem('The case did not take the step now and did not refuse it (handing over to a new run, a workflow task that failed or timed out, the server’s limit of steps in flight), or Temporal or the archive database is unavailable; retry after Retry-After, with the same Idempotency-Key'),
      },
      async authorize({ params, user, req, res }) {
        // A party files through /v1/my/cases (api/routes/party.ts); here it is refused before any case is looked at, so nothing tells whether one exists.
        if (isParty(user)) throw problems.forbidden(['officer', 'supervisor']);
        res.locals.caseId = params.id;
        const state = await loadCase(deps, params.id, user);
        // The rulebook says which roles take the step; while the step is open its offer carries them.
        const offered = state.availableActions.find((a) => a.name === name);
        // A step not open now still needs someone who takes steps at all; auditors and admins read only.
        const roles = offered?.roles ?? ['officer', 'supervisor'];
        if (!user.roles.some((r) => roles.includes(r))) throw problems.forbidden(roles);
        // A retry of the step that closed the case answers as its first try did (Temporal keeps the outcome);
        // a closed case still takes what its closing effects wait for (retryEffect, skipEffect).
        if (state.closed && !offered && !(await isRetryOfStep(deps.db, { authority: user.authority, sub: user.sub }, idempotencyKeyOf(req), params.id, name))) throw caseClosed(params.id);
      },
      async handle({ params, body, user, req, res }) {
        // A colleague is not made a case's subject (shut out of it, handed its notices): 409 naming why.
        if (name === 'bindSubjectAccount') await refuseStaffAsSubject(deps.db, await loadCase(deps, params.id, user), (body as { userId: string }).userId);
        if (name === 'bindOrganisationAccount') await refuseStaffAsParty(deps.db, await loadCase(deps, params.id, user), (body as { userId: string }).userId, 'subjectOrganisation');
        // Assignees by account: each an officer of the authority, none recused (409), named as the directory knows them.
        const input = name === 'assignCase' || name === 'claimCase' ? await assignmentStep(deps, await loadCase(deps, params.id, user), name, body, user) : body;
        // The materials the step names become the papers it carries, as the case's file holds them.
        const carried = await withPapers(deps.db, params.id, input);
        try {
          const outcome = await takeStep(
            { db: deps.db, client: deps.client, waitMs: deps.stepWaitMs ?? 15_000 },
            {
              caseId: params.id,
              action: name,
              body: carried,
              actor: { sub: user.sub, name: user.name, roles: user.roles },
              authority: user.authority,
              idempotencyKey: idempotencyKeyOf(req),
            },
          );
          if (outcome.status === 'done') await actedAsStaff(user, params.id);
          await sendOutcome(res, deps, params.id, outcome, user);
        } catch (err) {
          throw stepProblem(err, params.id);
        }
      },
    }),
  );

  const today = () => beijingDate((deps.now ?? Date.now)());
  const openCaseBody = openCaseBodyOf({
    jurisdictions: () => deps.catalogue.jurisdictions(),
    inForceToday: (j) => deps.catalogue.inForce(j, today())?.rulebook,
  });
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
        202: {
          description: 'Case numbered, its workflow not started yet (Temporal did not answer): it starts by itself within a minute of Temporal answering; Location names it',
          schema: z.object({ id: z.string(), started: z.literal(false) }),
        },
        400: problem('Invalid body'),
        403: problem('Only officers open cases, and only under the jurisdictions their authority is bound to'),
        409: problem('Idempotency-Key reused with another body'),
        422: problem('No rulebook in force, or a route the rulebook does not allow'),
      },
      // The approved versions as the archive has them now, before the body is checked against the one in force.
      async authorize() {
        await deps.catalogue.refresh();
      },
      async handle({ req, res, body, user }) {
        // An authority opens cases under the jurisdictions its configuration names and those bound to it through the API.
        const bound = deps.authorities.get(user.authority) ? await boundJurisdictions(deps.db, deps.authorities, user.authority) : [];
        if (!bound.includes(body.jurisdiction)) {
          const listed = bound.join('、');
          throw new Problem({
            status: 403,
            code: 'jurisdiction_not_bound',
            title: 'Jurisdiction not bound to this authority',
            detail: {
              zh: bound.length ? `本机关只能依 ${listed} 规则立案，不能依 ${body.jurisdiction} 规则立案` : `本机关（${user.authority}）未配置可适用的规则，不能立案`,
              en: bound.length ? `Your authority opens cases under ${bound.join(', ')} only, not ${body.jurisdiction}` : `Your authority (${user.authority}) is bound to no jurisdiction`,
            },
            errors: [{ field: 'body.jurisdiction', message: bound.length ? `must be ${bound.join(' or ')}, the jurisdiction${bound.length > 1 ? 's' : ''} of your authority` : 'your authority is bound to no jurisdiction' }],
          });
        }
        try {
          const { caseId, started } = await openCase({ ...deps, rulebookInForce: (j, date) => deps.catalogue.inForce(j, date)?.rulebook }, user, body, idempotencyKeyOf(req));
          res.locals.caseId = caseId;
          await actedAsStaff(user, caseId);
          // The number and the case are committed either way: the relay starts a case whose start failed here.
          res
            .status(started ? 201 : 202)
            .location(`${deps.baseUrl}/v1/cases/${caseId}`)
            .json(started ? { id: caseId } : { id: caseId, started: false });
        } catch (err) {
          if (err instanceof IdempotencyConflict) throw keyReused();
          if (err instanceof RouteNotAllowed) {
            throw new Problem({ status: 422, code: 'route_not_allowed', title: 'Route not allowed', detail: { zh: `该辖区规则不接受此启动方式：${err.message}`, en: err.message }, errors: [{ field: 'body.route', message: err.message }] });
          }
          if (err instanceof WindowAlreadyLapsed) {
            const { window, eventDate } = err;
            throw new Problem({
              status: 400,
              code: 'window_already_lapsed',
              title: 'The first window has already run out',
              detail: {
                zh: `自 ${eventDate} 起算的${window.label}期限已于 ${window.deadline} 届满（${window.article}）；如 eventDate 无误、确需立案，请确认（confirmLapsedWindow: true）`,
                en: `The ${window.label} window counted from ${eventDate} ended on ${window.deadline} (${window.article}); if the event date is right, confirm with confirmLapsedWindow: true`,
              },
              errors: [{ field: 'body.confirmLapsedWindow', message: `is required: the window counted from eventDate ${eventDate} ended on ${window.deadline} (${window.article}); check the year` }],
              extensions: { window },
            });
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
      audit: { event: 'CASE_LIST_VIEWED' },
      responses: { 200: { description: 'A page of cases and the token of the next' }, 400: problem('Invalid filter, or a page token not handed out for this list') },
      async handle({ query, user, res }) {
        const visibility = visibilityQuery(user.authority, query, deps.matterIndex, user);
        const myKey = deps.matterIndex.account(user.authority, user.sub);
        // Past Temporal's last page: the closed cases only the archive still keeps.
        const archiveCursor = archiveTokenIn(visibility, query.pageToken);
        if (archiveCursor !== undefined) {
          const archived = await archivedCasesPage(deps, user.authority, query, query.pageSize, archiveCursor);
          return void res.json({ cases: shownArchived(archived.cases, user, query), nextPageToken: archived.next ? archiveTokenOut(visibility, archived.next) : null });
        }
        const nextPageToken = pageTokenIn(visibility, query.pageToken);
        const page = await deps.client.connection
          .withDeadline(Date.now() + VISIBILITY_WAIT_MS, () =>
            deps.client.workflowService.listWorkflowExecutions({ namespace: deps.namespace, query: visibility, pageSize: query.pageSize, nextPageToken }),
          )
          .catch((err: unknown) => {
            throw nextPageToken && isInvalidArgument(err) ? invalidPageToken() : err;
          });
        const cases = await Promise.all((page.executions ?? []).map(async (e) => {
          const attributes = decodeTypedSearchAttributes(e.searchAttributes?.indexedFields);
          const next = attributes.get(sa.nextDeadline);
          // The matter is in the encrypted memo; cases opened before it was have none there.
          const memo = await decodeMapFromPayloads(deps.client.options.loadedDataConverter, e.memo?.fields);
          return {
            id: e.execution?.workflowId,
            jurisdiction: attributes.get(sa.jurisdiction),
            stage: attributes.get(sa.stage),
            outcome: attributes.get(sa.outcome) ?? null,
            overdue: attributes.get(sa.overdue) ?? false,
            needsAttention: attributes.get(sa.needsAttention) ?? false,
            nextDeadline: next ? next.toISOString() : null,
            matter: typeof memo?.[CASE_MEMO.matter] === 'string' ? memo[CASE_MEMO.matter] : null,
            // 承办人: whether anybody holds the case, and whether it is the caller (its key is among the case's).
            assigned: (attributes.get(sa.assignees)?.length ?? 0) > 0,
            mine: attributes.get(sa.assignees)?.includes(myKey) ?? false,
            openedAt: e.startTime?.seconds ? new Date(Number(e.startTime.seconds) * 1000).toISOString() : null,
          };
        }));
        // A recused user sees that a case exists and where it stands, not its matter or deadlines; where the
        // list was filtered by words or deadlines, not even that (the filter itself would tell).
        const recused = await recusedAmong(deps, cases.flatMap((c) => (c.id ? [c.id] : [])), user);
        const filteredByContent = Boolean(query.q || query.deadlineBefore || query.overdue !== undefined);
        const shown = cases
          .filter((c) => !(filteredByContent && c.id && recused.has(c.id)))
          .map((c) => (c.id && recused.has(c.id) ? { ...c, matter: null, nextDeadline: null, overdue: null, redacted: { reason: 'recused' } } : c));
        const temporalNext = pageTokenOut(visibility, page.nextPageToken);
        if (temporalNext || !admitsClosedCases(query)) return void res.json({ cases: shown, nextPageToken: temporalNext });
        // Temporal's last page: the rest of it, and the pages after, from the archive.
        const archived = await archivedCasesPage(deps, user.authority, query, query.pageSize - shown.length, null);
        res.json({ cases: [...shown, ...shownArchived(archived.cases, user, query)], nextPageToken: archived.next ? archiveTokenOut(visibility, archived.next) : null });
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
      audit: { event: 'CASE_ACCESSED' },
      responses: { 200: { description: 'The case' }, 404: problem('No such case for this caller'), 503: problem('Temporal, the archive database or the access log is unavailable; retry after Retry-After') },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        const { state, freshness } = await readCase(deps, params.id, user);
        // The access log says where the file was read from (a closed case's dossier, the case itself, its view).
        res.locals.auditDetail = { source: freshness.source };
        if (recusedFrom(state, user)) return void res.json(redacted(state));
        // A closed case retries nothing; a running one shows what it is retrying and how often (null: Temporal did not say).
        const retrying = state.closed ? [] : await pendingEffects(deps.client, params.id);
        // freshness: where the state was read (the case's view, the case itself, its dossier) and as of when.
        const papers = await papersAsTheyStand(deps.db, state);
        res.json({ ...asSeenBy(state, user), ...(papers ? { papers } : {}), pendingEffects: retrying, freshness });
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
      audit: { event: 'DOCUMENTS_LISTED' },
      responses: { 200: { description: 'The documents' }, 403: problem('The caller is recused from the case'), 404: problem('No such case for this caller') },
      async handle({ params, user, res }) {
        if (recusedFrom(await loadCase(deps, params.id, user), user)) throw recusedProblem(params.id);
        const documents = await documentsOfCase(deps.db, params.id);
        res.json({ documents: documents.map(({ body: _body, ...meta }) => ({ ...meta, href: `/v1/documents/${meta.documentId}` })) });
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/{id}/steps/{updateId}',
      operationId: 'getStepOutcome',
      summary: 'The outcome of a step that answered 202: the case after it, its refusal, or still pending',
      tags: ['case actions'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: stepParams,
      audit: { event: 'CASE_ACCESSED' },
      responses: {
        200: { description: 'The step was taken: the case after it' },
        202: { description: 'Still pending; ask again after Retry-After' },
        404: problem('No such case for this caller, or no such step (send it again with the same Idempotency-Key)'),
        409: problem('The case closed'),
        422: problem('The workflow refused the step, with its reason and article'),
        503: problem('The case could not answer now; ask again after Retry-After'),
      },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        await loadCase(deps, params.id, user);
        try {
          await sendOutcome(res, deps, params.id, await stepOutcome({ db: deps.db, client: deps.client, waitMs: 5_000 }, params.id, params.updateId), user);
        } catch (err) {
          if (err instanceof WorkflowNotFoundError) throw problems.notFound(`step ${params.updateId}`);
          throw stepProblem(err, params.id);
        }
      },
    }),
    ...actionRoutes,
  ];
}
