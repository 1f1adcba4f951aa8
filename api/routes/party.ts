/**
 * A party's own door (the role `party`, domain/case/people.ts): the cases its
 * account is bound to, as the subject or as the subject's organisation, and of
 * each only what a party may see (api/party-view.ts); the documents served on
 * it; and its own filings. A case it is not bound to answers 404 like one that
 * does not exist, whatever the id.
 *
 * Filing online: the day of receipt is the day the filing reached the system,
 * in Beijing time, kept before the case is asked (store/receipts.ts). The
 * filing is the same step an officer records (fileApplication, recordStatement,
 * fileAppeal) with the party as its actor, so the case decides it exactly as it
 * would an officer's recording: a filing out of time is refused with its
 * article. One the case took gets its numbered receipt (回执) at once, in the
 * answer and in the party's inbox.
 */
import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { Response } from 'express';
import { z } from 'zod';
import type { Authorities } from '../../config/authorities';
import { beijingDate } from '../../domain/calendar';
import type { ActionName, CaseState } from '../../domain/case/contract';
import { openFilings, partyOfAccount, PARTY_ROLE } from '../../domain/case/people';
import type { Party } from '../../domain/rulebooks/schema';
import { stepUpdateId } from '../../services/cases/idempotency';
import { takeStep, stepOutcome, type StepOutcome } from '../../services/cases/steps';
import { userInboxKey } from '../../services/notices/deliver';
import { casesOfPartyAccount } from '../../store/case-contacts';
import { findCaseViews } from '../../store/case-views';
import type { Db } from '../../store/db';
import { findDocument } from '../../store/documents';
import { findReceipt, issueReceipt, receiptsOf, receiveFiling, refuseFiling, type FilingKind, type Receipt } from '../../store/receipts';
import type { User } from '../auth';
import { readCase } from '../case-access';
import { partyView, servedOn } from '../party-view';
import { Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';
import { PARTY_ROLES } from '../roles';
import { caseIdParams, text } from '../schemas';
import { idempotencyKeyOf } from '../validate';
import { stepProblem } from './cases';
import { serveDocumentFile } from './documents';

export interface PartyRoutesDeps {
  db: Db;
  client: Client;
  baseUrl: string;
  authorities: Authorities;
  stepWaitMs?: number | undefined;
  /** A served document whose stored file no longer matches its digests: reported as the staff's download reports it. */
  onIntegrityFailure?: (documentId: string) => void;
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const PDF = 'application/pdf';
const problem = (description: string) => ({ description, schema: 'problem' as const });

/** Each filing a party makes itself: the step it is, and the step's input from what the party wrote. */
const FILINGS: Record<FilingKind, { action: ActionName; operationId: string; summary: string; body: z.ZodType<{ summary: string; contents?: Record<string, string> | undefined }>; input: (party: Party, receivedOn: string, body: { summary: string; contents?: Record<string, string> | undefined }) => Record<string, unknown> }> = {
  application: {
    action: 'fileApplication',
    operationId: 'fileOwnApplication',
    summary: '当事人在线提交容错免责申请 The party files its own application; the day of receipt is today (Beijing), the day it reached the system',
    body: z
      .object({
        summary: text(5000),
        contents: z
          .record(z.string().regex(/^[a-z][A-Za-z]*$/, 'is not a part of the application'), text(5000))
          .refine((c) => Object.keys(c).length <= 20, 'must have at most 20 parts')
          .optional(),
      })
      .strict(),
    input: (party, receivedOn, body) => ({ filedBy: party, receivedOn, summary: body.summary, ...(body.contents ? { contents: body.contents } : {}) }),
  },
  statement: {
    action: 'recordStatement',
    operationId: 'fileOwnStatement',
    summary: '当事人在线提交书面陈述 The party gives its statement in writing, online, where the investigation hears it',
    body: z.object({ summary: text(5000) }).strict(),
    input: (party, receivedOn, body) => ({ by: party, receivedOn, summary: body.summary, form: 'written' }),
  },
  appeal: {
    action: 'fileAppeal',
    operationId: 'fileOwnAppeal',
    summary: '当事人在线提出申诉 The party files its own appeal; the day of receipt is today (Beijing), the day it reached the system',
    body: z.object({ summary: text(5000) }).strict(),
    input: (party, receivedOn, body) => ({ filedBy: party, receivedOn, summary: body.summary }),
  },
};

const filingParams = caseIdParams.extend({ updateId: z.string().regex(/^[A-Za-z0-9:._-]{1,200}$/, 'is not a filing id') });
const documentParams = caseIdParams.extend({ documentId: z.uuid('is not a document id') });

export function partyRoutes(deps: PartyRoutesDeps): RouteSpec[] {
  /** The case, if the caller's account is bound to it; any other answers 404, the same as none. */
  const boundCase = async (id: string, user: User, atLeast = 0): Promise<{ state: CaseState; party: Party }> => {
    const notFound = problems.notFound(`case ${id}`);
    const { state } = await readCase(deps, id, user, atLeast).catch((err: unknown) => {
      throw err instanceof Problem && err.init.status === 404 ? notFound : err;
    });
    const party = partyOfAccount(state, user.sub);
    if (!party) throw notFound;
    return { state, party };
  };
  const viewOf = async (state: CaseState, party: Party, user: User) => partyView(state, party, user.sub, await receiptsOf(deps.db, state.caseId, user.sub));
  const receiptPrefix = (authority: string) => `${deps.authorities.get(authority)?.shortName ?? authority}回执`;

  /** A finished filing gets its receipt; one refused keeps its refusal; one under way answers 202. */
  const answerFiling = async (res: Response, user: User, caseId: string, outcome: StepOutcome | { status: 'failed'; err: unknown }, updateId: string) => {
    if (outcome.status === 'failed') {
      const refusal = stepProblem(outcome.err, caseId);
      // Only the case's own refusal is the filing's: a reused key or a closed case says nothing of the filing kept first.
      if (refusal instanceof Problem && outcome.err instanceof WorkflowUpdateFailedError) {
        const basis = (refusal.init.extensions as { basis?: { article?: string } } | undefined)?.basis;
        await refuseFiling(deps.db, updateId, { code: refusal.init.code, detail: refusal.init.detail.zh, ...(basis?.article ? { article: basis.article } : {}) });
      }
      throw refusal;
    }
    if (outcome.status === 'pending') {
      const href = `/v1/my/cases/${caseId}/filings/${outcome.updateId}`;
      res.status(202).location(`${deps.baseUrl}${href}`).set('Retry-After', '2').json({ status: 'pending', updateId: outcome.updateId, href });
      return;
    }
    const receipt = await issueReceipt(deps.db, updateId, { numberPrefix: receiptPrefix(user.authority), inboxKey: userInboxKey(user.authority, user.sub) });
    const { state, party } = await boundCase(caseId, user, outcome.result.version);
    res.status(201).json({ receipt: publicReceipt(receipt), case: await viewOf(state, party, user) });
  };

  const filingRoutes = (Object.keys(FILINGS) as FilingKind[]).map((kind) => {
    const filing = FILINGS[kind];
    return route({
      method: 'post',
      path: `/v1/my/cases/{id}/${kind}`,
      operationId: filing.operationId,
      summary: filing.summary,
      description:
        'Only where the case’s rulebook lets the caller’s party make this filing now (GET /v1/my/cases/{id} lists them under openFilings). It is decided exactly as when an officer records it: out of time, it is refused with its article (422 window_closed). ' +
        'Taken, it answers 201 with its numbered receipt (回执), which is in the caller’s inbox too; not taken within the wait, 202 with where to ask. With an Idempotency-Key a retry is the same filing, with the day of receipt of the first.',
      tags: ['parties'],
      access: { kind: 'roles', roles: [...PARTY_ROLES] },
      write: true,
      params: caseIdParams,
      body: filing.body as z.ZodType<{ summary: string; contents?: Record<string, string> }>,
      headers: [{ name: 'Idempotency-Key', description: 'Same key and body: the same filing, answered as the first; same key, another body: 409' }],
      responses: {
        201: { description: 'Filed: the receipt and the case as the party sees it' },
        202: { description: 'Received, and the case has not taken it yet; Location (and href) says where to ask' },
        400: problem('Invalid body'),
        404: problem('No case of the caller’s: not bound to it, or none'),
        409: problem('The case does not take this filing now (its stage), or is closed; or the Idempotency-Key was used for another request'),
        422: problem('The case refused the filing, with its reason and article (out of time: window_closed)'),
      },
      async authorize({ params, user, res }) {
        res.locals.caseId = params.id;
        await boundCase(params.id, user);
      },
      async handle({ params, body, user, req, res }) {
        const { state, party } = await boundCase(params.id, user);
        if (state.closed) throw new Problem({ status: 409, code: 'case_closed', title: 'Case closed', detail: { zh: `案件 ${params.id} 已终结`, en: `Case ${params.id} is closed` } });
        const arrived = new Date();
        const receivedOn = beijingDate(arrived.getTime());
        const idempotencyKey = idempotencyKeyOf(req);
        // The update id first (from the key, on a retry the same), so the filing is kept before the case is asked.
        const updateId = idempotencyKey ? undefined : `filing-${kind}-${randomUUID()}`;
        const stepDeps = { db: deps.db, client: deps.client, waitMs: deps.stepWaitMs ?? 15_000 };
        const request = {
          caseId: params.id,
          action: filing.action,
          body: filing.input(party, receivedOn, body),
          actor: { sub: user.sub, name: user.name, roles: [PARTY_ROLE] },
          authority: user.authority,
          idempotencyKey,
          ...(updateId ? { updateId } : {}),
        };
        const id = updateId ?? stepUpdateId(user.authority, user.sub, idempotencyKey!);
        const kept = await receiveFiling(deps.db, { authority: user.authority, caseId: params.id, party, kind, filedBy: user.sub, receivedOn, receivedAt: arrived.toISOString(), updateId: id, summary: body.summary });
        // A retry of a filing received earlier is that filing, with its own day of receipt.
        if (kept.receivedOn !== receivedOn) request.body = filing.input(party, kept.receivedOn, body);
        let outcome: StepOutcome | { status: 'failed'; err: unknown };
        try {
          outcome = await takeStep(stepDeps, request);
        } catch (err) {
          outcome = { status: 'failed', err };
        }
        await answerFiling(res, user, params.id, outcome, id);
      },
    });
  });

  return [
    route({
      method: 'get',
      path: '/v1/my/cases',
      operationId: 'listMyCases',
      summary: 'The cases the caller’s party account is bound to, as the subject or its organisation, with what it may file now',
      tags: ['parties'],
      access: { kind: 'roles', roles: [...PARTY_ROLES] },
      audit: { event: 'CASE_LIST_VIEWED' },
      responses: { 200: { description: 'The caller’s cases' } },
      async handle({ user, res }) {
        const bound = await casesOfPartyAccount(deps.db, user.authority, user.sub);
        const views = await findCaseViews(deps.db, bound.map((b) => b.caseId));
        const cases = await Promise.all(
          bound.map(async ({ caseId, party }) => {
            const state = views.get(caseId) ?? (await readCase(deps, caseId, user).then((r) => r.state).catch(() => undefined));
            if (!state || state.authority !== user.authority) return undefined;
            const open = openFilings(state, party);
            return { id: caseId, jurisdiction: state.jurisdiction, party, stage: state.stage, closed: state.closed, outcome: state.outcome ?? null, openFilings: open };
          }),
        );
        res.locals.auditCases = bound.map((b) => b.caseId);
        res.json({ cases: cases.filter(Boolean) });
      },
    }),
    route({
      method: 'get',
      path: '/v1/my/cases/{id}',
      operationId: 'getMyCase',
      summary: 'The caller’s case as a party sees it: stage, its windows and the authority’s deadlines, the documents served on it, its filings and receipts, what it may file now',
      tags: ['parties'],
      access: { kind: 'roles', roles: [...PARTY_ROLES] },
      params: caseIdParams,
      audit: { event: 'CASE_ACCESSED' },
      responses: { 200: { description: 'The case as a party sees it' }, 404: problem('No case of the caller’s: not bound to it, or none') },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        const { state, party } = await boundCase(params.id, user);
        res.json(await viewOf(state, party, user));
      },
    }),
    route({
      method: 'get',
      path: '/v1/my/cases/{id}/documents/{documentId}',
      operationId: 'getMyDocument',
      summary: 'A document served on the caller in its case: the .docx, or with Accept: application/pdf its archival copy, with its SHA-256 and SM3',
      tags: ['parties'],
      access: { kind: 'roles', roles: [...PARTY_ROLES] },
      params: documentParams,
      audit: { event: 'DOCUMENT_ACCESSED' },
      responses: {
        200: { description: 'The document file', contentType: [DOCX, PDF], schema: { type: 'string', format: 'binary' } },
        404: problem('No such case or document of the caller’s: not served on it, or none'),
        500: problem('The stored file no longer matches its hash'),
      },
      async handle({ req, params, user, res }) {
        res.locals.caseId = params.id;
        res.locals.documentId = params.documentId;
        const { state, party } = await boundCase(params.id, user);
        // Only what was served on this party; another document of the case does not exist for it.
        if (!servedOn(state, party).some((d) => d.documentId === params.documentId)) throw problems.notFound(`document ${params.documentId}`);
        const document = await findDocument(deps.db, params.documentId);
        if (!document || document.caseId !== params.id) throw problems.notFound(`document ${params.documentId}`);
        const archival = req.accepts([DOCX, PDF]) === PDF;
        await serveDocumentFile(deps, res, document, archival);
      },
    }),
    ...filingRoutes,
    route({
      method: 'get',
      path: '/v1/my/cases/{id}/filings/{updateId}',
      operationId: 'getOwnFiling',
      summary: 'A filing of the caller’s that answered 202: its receipt once the case took it, its refusal, or still pending',
      tags: ['parties'],
      access: { kind: 'roles', roles: [...PARTY_ROLES] },
      params: filingParams,
      responses: {
        200: { description: 'Filed: the receipt' },
        202: { description: 'Still pending; ask again after Retry-After' },
        404: problem('No such filing of the caller’s'),
        422: problem('The case refused the filing, with its reason and article'),
      },
      async handle({ params, user, res }) {
        await boundCase(params.id, user);
        const kept = await findReceipt(deps.db, params.updateId);
        if (!kept || kept.caseId !== params.id || kept.filedBy !== user.sub) throw problems.notFound(`filing ${params.updateId}`);
        if (kept.status === 'issued') return void res.json({ receipt: publicReceipt(kept) });
        if (kept.status === 'refused') {
          throw new Problem({ status: 422, code: kept.refusal?.code ?? 'refused', title: 'Filing refused', detail: { zh: kept.refusal?.detail ?? '申请被拒绝', en: kept.refusal?.detail ?? 'The filing was refused' } });
        }
        let outcome: StepOutcome | { status: 'failed'; err: unknown };
        try {
          outcome = await stepOutcome({ db: deps.db, client: deps.client, waitMs: 5_000 }, params.id, params.updateId);
        } catch (err) {
          outcome = { status: 'failed', err };
        }
        if (outcome.status === 'done') {
          const receipt = await issueReceipt(deps.db, params.updateId, { numberPrefix: receiptPrefix(user.authority), inboxKey: userInboxKey(user.authority, user.sub) });
          return void res.json({ receipt: publicReceipt(receipt) });
        }
        await answerFiling(res, user, params.id, outcome, params.updateId);
      },
    }),
  ];
}

function publicReceipt(receipt: Receipt) {
  const { updateId: _u, ...rest } = receipt;
  return rest;
}
