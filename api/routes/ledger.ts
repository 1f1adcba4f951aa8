/**
 * 台账, statistics and 结果运用, read from the archive's read model
 * (store/ledger.ts), never from Temporal: the ledger of an authority's cases
 * with filters and paging (getLedger), the same as .xlsx or CSV
 * (exportLedger, at most LEDGER_EXPORT_MAX_ROWS rows), the figures of a period
 * (getStatistics), and for the organisation department what follows from a
 * cadre's conclusions (listConclusionEffects). Every answer is in the access log.
 */
import { z } from 'zod';
import { samePerson } from '../../domain/case/persons';
import type { CaseState } from '../../domain/case/contract';
import { OUTCOMES } from '../../domain/rulebooks/schema';
import { ledgerCsv, ledgerXlsx } from '../../services/ledger/export';
import { ledgerRow, type LedgerRow } from '../../services/ledger/rows';
import { statisticsOf } from '../../services/ledger/statistics';
import type { Authorities } from '../../config/authorities';
import { beijingDate } from '../../domain/calendar';
import { reportDocx, reportPeriod, reportPrefix, reportTitle, reportXlsx, type ReportPeriod } from '../../services/ledger/report';
import type { Statistics } from '../../services/ledger/statistics';
import type { Db } from '../../store/db';
import { documentFile, findDocument, recordDocument } from '../../store/documents';
import { caseFigures, conclusionsOfCadre, copiesOfCases, ledgerPage, type LedgerFilter } from '../../store/ledger';
import { AUTHORITY_ID_PATTERN, type User } from '../auth';
import { fieldsProblem, Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';
import { CONCLUSION_EFFECT_READERS, LEDGER_READERS, REPORT_ISSUERS, SUBORDINATE_STATISTICS_READERS } from '../roles';
import { accountId, isoDateSchema, personName, text, wholeNumber } from '../schemas';

/** At most this many cases in one export; narrow the filters (a period) for more. */
export const LEDGER_EXPORT_MAX_ROWS = 10_000;
/** A period at most five years long (issue 31: longer is refused). */
const MAX_PERIOD_DAYS = 5 * 366;

const problem = (description: string) => ({ description, schema: 'problem' as const });
const keyword = z.string().regex(/^[A-Za-z][A-Za-z0-9-]{0,40}$/, 'is not a valid value');
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** A period's end not before its start and at most five years after it; each error names `to`. */
function checkPeriod(q: { from?: string | undefined; to?: string | undefined }, ctx: z.RefinementCtx) {
  if (!q.from || !q.to) return;
  if (q.to < q.from) ctx.addIssue({ code: 'custom', path: ['to'], message: '期间结束日早于开始日 / ends before the period starts (from)' });
  else if (dayNumber(q.to) - dayNumber(q.from) > MAX_PERIOD_DAYS) ctx.addIssue({ code: 'custom', path: ['to'], message: '期间超过五年 / the period is longer than five years' });
}

const ledgerFilters = {
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  jurisdiction: keyword.optional(),
  stage: keyword.optional(),
  outcome: z.enum(OUTCOMES, { error: `must be one of ${OUTCOMES.join(', ')}` }).optional(),
  item: z.string().regex(/^[a-z][a-z0-9-]{0,40}$/, 'is not a catalogue item id').optional(),
  /** 承办人: an officer's account. */
  assignee: accountId.optional(),
  overdue: z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true').optional(),
};

export const ledgerQuery = z.object({ ...ledgerFilters, limit: wholeNumber(1, 200).default(50), offset: wholeNumber(0, 1_000_000).default(0) }).superRefine(checkPeriod);
export const ledgerExportQuery = z.object({ ...ledgerFilters, format: z.enum(['xlsx', 'csv'], { error: 'must be xlsx or csv' }).default('xlsx') }).superRefine(checkPeriod);
export const statisticsQuery = z
  .object({
    from: isoDateSchema,
    to: isoDateSchema,
    jurisdiction: keyword.optional(),
    /** own: the caller's authority; subordinates: each authority below it, and their total. */
    scope: z.enum(['own', 'subordinates'], { error: '须为 own（本机关）或 subordinates（下级机关） / must be own or subordinates' }).default('own'),
    /** One authority below the caller's, by id: its figures alone. */
    authority: z.string().regex(AUTHORITY_ID_PATTERN, 'is not an authority id').optional(),
  })
  .superRefine(checkPeriod)
  .superRefine((q, ctx) => {
    if (q.scope === 'subordinates' && q.authority) ctx.addIssue({ code: 'custom', path: ['authority'], message: '下级机关全部（scope）与某一机关（authority）只能选一 / give scope=subordinates or one authority, not both' });
  });
export const conclusionEffectsQuery = z
  .object({ userId: accountId.optional(), name: personName(50).optional(), unit: text(100).optional() })
  .superRefine((q, ctx) => {
    if (q.userId || (q.name && q.unit)) return;
    ctx.addIssue({ code: 'custom', path: [q.name ? 'unit' : 'name'], message: '须给出当事人账号，或姓名与单位 / give the party account (userId), or name and unit' });
  });

const filterOf = (user: User, q: Omit<LedgerFilter, 'authorities'>): LedgerFilter => ({ ...q, authorities: [user.authority] });

/** Party names only to staff of the authority who are not recused from the case. */
const rowFor = (state: CaseState, user: User): LedgerRow => ledgerRow(state, { showSubject: !state.recusals.some((r) => samePerson(r.person, user)) });

/** What follows from one conclusion: its effects with article and text, to whom it was copied and when, the period they run. */
export function conclusionEffects(state: CaseState, copies: { body: string; on: string; reference: string | null }[] = []) {
  const d = state.determination!;
  const decided = d.decidedOn;
  // A follow-up (跟踪回访) runs to its recorded end; other effects hold without an end.
  const followUntil = state.followUp?.until ?? null;
  return {
    caseId: state.caseId,
    jurisdiction: state.jurisdiction,
    subject: { name: state.subject.name, unit: state.subject.organisation },
    outcome: d.outcome,
    decidedOn: decided,
    revisedOnAppeal: d.revisedOnAppeal ?? false,
    approvingBody: d.approvingBody ?? null,
    effects: d.effects.map((e) => ({
      text: e.text,
      article: e.basis.article,
      quote: e.basis.quote,
      from: decided,
      until: /回访|跟踪/.test(e.text) ? followUntil : null,
    })),
    copiedTo: [
      ...copies,
      ...(state.filing ? [{ body: state.filing.filedWith, on: state.filing.filedOn, reference: state.filing.reference ?? null }] : []),
    ],
    appliesFrom: decided,
    appliesUntil: followUntil,
  };
}

export const reportBody = z
  .object({ period: z.string({ error: 'is required: a quarter (2026-Q4) or a year (2026)' }).regex(/^(19|20)\d\d(-Q[1-4])?$/, '须为季度（如 2026-Q4）或年度（如 2026） / must be a quarter (2026-Q4) or a year (2026)') })
  .strict();
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** A report is kept among the documents under an id of its authority and period, never a case's. */
const reportKey = (authority: string, period: string) => `report-${authority}-${period}`;

export function ledgerRoutes(deps: { db: Db; authorities: Authorities; ledgerExportMaxRows?: number | undefined }): RouteSpec[] {
  const maxRows = deps.ledgerExportMaxRows ?? LEDGER_EXPORT_MAX_ROWS;
  return [
    route({
      method: 'get',
      path: '/v1/ledger',
      operationId: 'getLedger',
      summary: '台账 Every case of the caller’s authority: number, subject, unit, matter, route, stage, outcome, items, the day of each step, each deadline with its last day and whether on time; filters and paging',
      tags: ['ledger'],
      access: { kind: 'roles', roles: [...LEDGER_READERS] },
      query: ledgerQuery,
      audit: { event: 'LEDGER_VIEWED' },
      responses: { 200: { description: 'A page of the ledger and how many cases match' }, 400: problem('A filter is invalid: a period ending before it starts, longer than five years'), 403: problem('Not staff of an authority') },
      async handle({ query, user, res }) {
        const { limit, offset, ...filters } = query;
        const { total, states } = await ledgerPage(deps.db, filterOf(user, filters), { limit, offset });
        res.locals.auditDetail = { rows: states.length, total };
        res.json({ total, offset, limit, rows: states.map((s) => rowFor(s, user)) });
      },
    }),
    route({
      method: 'get',
      path: '/v1/ledger/export',
      operationId: 'exportLedger',
      summary: `台账 as .xlsx (sheets 台账, 期限, 环节; dates as dates) or CSV (format=csv), the same filters as getLedger; at most ${LEDGER_EXPORT_MAX_ROWS.toLocaleString('en')} cases (400 beyond: narrow the period)`,
      tags: ['ledger'],
      access: { kind: 'roles', roles: [...LEDGER_READERS] },
      query: ledgerExportQuery,
      audit: { event: 'LEDGER_EXPORTED' },
      responses: {
        200: { description: 'The file', contentType: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/csv'] },
        400: problem('A filter is invalid, or more cases match than one export holds'),
        403: problem('Not staff of an authority'),
      },
      async handle({ query, user, res }) {
        const { format, ...filters } = query;
        const filter = filterOf(user, filters);
        const { total } = await ledgerPage(deps.db, filter, { limit: 0, offset: 0 });
        if (total > maxRows) {
          throw fieldsProblem([{ field: 'query.to', message: `导出 ${total} 件，超过单次导出上限 ${maxRows} 件，请缩短期间或增加筛选条件 / ${total} cases match, more than the ${maxRows} one export holds: narrow the period (from, to) or filter more` }]);
        }
        const { states } = await ledgerPage(deps.db, filter, { limit: maxRows, offset: 0 });
        const rows = states.map((s) => rowFor(s, user));
        res.locals.auditDetail = { export: format, rows: rows.length };
        const name = `ledger-${user.authority}-${filters.from ?? 'all'}-${filters.to ?? 'all'}`;
        if (format === 'csv') {
          res.status(200).type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="${name}.csv"`).send(ledgerCsv(rows));
          return;
        }
        res
          .status(200)
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .set('Content-Disposition', `attachment; filename="${name}.xlsx"`)
          .send(await ledgerXlsx(rows));
      },
    }),
    route({
      method: 'get',
      path: '/v1/statistics',
      operationId: 'getStatistics',
      summary:
        '统计 The figures of the caller’s authority for a period (cases opened in it): applications and ex officio starts, accepted and refused, outcomes, appeals and revisions, withdrawals, by item, unit and jurisdiction, on-time rate per deadline, median and 90th percentile days to decision and to closing; for a superior body’s supervisors and auditors, of one subordinate authority (authority=<id>) or of each and their total (scope=subordinates)',
      tags: ['ledger'],
      access: { kind: 'roles', roles: [...LEDGER_READERS] },
      query: statisticsQuery,
      audit: { event: 'STATISTICS_VIEWED' },
      responses: {
        200: { description: 'The figures; with scope=subordinates, those of each subordinate authority and their total' },
        400: problem('The period is missing, ends before it starts, or is longer than five years; an authority that is not configured; scope=subordinates where the authority has none'),
        403: problem('Not staff of an authority; an authority outside the caller’s reach, or a role that does not read subordinates’ figures'),
      },
      async handle({ query, user, res }) {
        const { scope, authority, ...filters } = query;
        const below = deps.authorities.subordinatesOf(user.authority);
        const readsBelow = user.roles.some((r) => (SUBORDINATE_STATISTICS_READERS as readonly string[]).includes(r));
        // The authorities below the caller's that it may read: the console offers them as scopes.
        const subordinateAuthorities = readsBelow ? below.map((a) => ({ authority: a.id, name: a.name })) : [];
        const of = async (ids: string[]) => caseFigures(deps.db, { ...filters, authorities: ids });
        if (scope === 'own' && (!authority || authority === user.authority)) {
          res.json({ authority: user.authority, from: query.from, to: query.to, subordinateAuthorities, ...statisticsOf(await of([user.authority])) });
          return;
        }
        if (authority && !deps.authorities.get(authority)) throw fieldsProblem([{ field: 'query.authority', message: 'is not a configured authority' }]);
        if (authority && !below.some((a) => a.id === authority)) {
          const name = deps.authorities.get(authority)!.name;
          throw new Problem({ status: 403, code: 'forbidden', title: 'Forbidden', detail: { zh: `${name}不是本机关的下级机关，不能查阅其统计`, en: `${authority} is not an authority below the caller’s: its figures are not the caller’s to read` } });
        }
        if (!readsBelow) throw problems.forbidden(SUBORDINATE_STATISTICS_READERS);
        if (authority) {
          res.locals.auditDetail = { scope: 'authority', authorities: [authority] };
          res.json({ authority, name: deps.authorities.get(authority)!.name, from: query.from, to: query.to, subordinateAuthorities, ...statisticsOf(await of([authority])) });
          return;
        }
        if (below.length === 0) throw fieldsProblem([{ field: 'query.scope', message: '本机关未配置下级机关（subordinates） / the caller’s authority has no subordinate authorities configured' }]);
        // One read of them all, then each authority's own cases; the total counts them together (its median is of all of them, not of the medians).
        const figures = await of(below.map((a) => a.id));
        res.locals.auditDetail = { scope: 'subordinates', authorities: below.map((a) => a.id) };
        res.json({
          authority: user.authority,
          from: query.from,
          to: query.to,
          scope: 'subordinates',
          subordinateAuthorities,
          subordinates: below.map((a) => ({ authority: a.id, name: a.name, ...statisticsOf(figures.filter((f) => f.authority === a.id)) })),
          total: statisticsOf(figures),
        });
      },
    }),
    route({
      method: 'get',
      path: '/v1/conclusion-effects',
      operationId: 'listConclusionEffects',
      summary: '结果运用 For the organisation department: a cadre’s conclusions in the caller’s authority (by party account, or name and unit), each with the effects its rulebook attaches (article and text), to whom it was copied and when, and the period it applies to; logged',
      tags: ['ledger'],
      access: { kind: 'roles', roles: [...CONCLUSION_EFFECT_READERS] },
      query: conclusionEffectsQuery,
      audit: { event: 'CONCLUSION_EFFECTS_VIEWED' },
      responses: {
        200: { description: 'The cadre’s conclusions with their effects' },
        400: problem('Neither the party account nor name and unit given'),
        403: problem('Not the organisation department of an authority'),
        404: problem('No conclusion of this cadre within the caller’s authority'),
      },
      async handle({ query, user, res }) {
        const states = await conclusionsOfCadre(deps.db, [user.authority], { userId: query.userId, name: query.name, unit: query.unit });
        res.locals.auditDetail = { by: query.userId ? 'account' : 'nameAndUnit', conclusions: states.length };
        if (states.length === 0) throw problems.notFound('该干部在本机关无容错认定结论 / no conclusion of this cadre in this authority');
        res.locals.auditCases = states.map((s) => s.caseId);
        const copies = await copiesOfCases(deps.db, states.map((s) => s.caseId));
        res.json({ conclusions: states.map((s) => conclusionEffects(s, copies.get(s.caseId))) });
      },
    }),
    route({
      method: 'post',
      path: '/v1/reports',
      operationId: 'issuePeriodicReport',
      summary: '容错纠错工作情况统计表 The periodic report of a quarter or a year to the superior body: a 公文 .docx numbered in the authority’s report series, and the same figures as .xlsx; issued once per period (asked again: the same report)',
      tags: ['ledger'],
      access: { kind: 'roles', roles: [...REPORT_ISSUERS] },
      write: true,
      body: reportBody,
      responses: { 201: { description: 'The report: its number, period and figures, and where its files are' }, 400: problem('The period is not a quarter or a year'), 403: problem('Not a supervisor of an authority') },
      async handle({ body, user, res }) {
        const authority = deps.authorities.get(user.authority);
        if (!authority) throw problems.notFound(`机关 ${user.authority} / authority ${user.authority}`);
        const period = reportPeriod(body.period);
        const stats = statisticsOf(await caseFigures(deps.db, { authorities: [user.authority], from: period.from, to: period.to }));
        const today = beijingDate(Date.now());
        const key = reportKey(user.authority, period.label);
        const record = await recordDocument(deps.db, {
          caseId: key,
          idempotencyKey: key,
          kind: 'periodicReport',
          prefix: reportPrefix(authority),
          year: Number(today.slice(0, 4)),
          title: reportTitle(period),
          body: JSON.stringify({ period, stats }),
          article: '',
          recipients: [authority.superior.discipline ?? authority.superior.organisation ?? '上级纪检监察机关'],
          copyTo: [],
          issuedBy: { sub: user.sub, name: user.name },
          render: async (number) => ({ mediaType: DOCX, bytes: await reportDocx(authority, period, stats, number, today) }),
        });
        const stored = (await findDocument(deps.db, record.documentId))!;
        const kept = JSON.parse(stored.body) as { period: ReportPeriod; stats: Statistics };
        res.status(201).location(`/v1/reports/${record.documentId}`).json({
          documentId: record.documentId,
          number: record.number,
          issuedAt: record.issuedAt,
          period: kept.period,
          figures: kept.stats,
          files: { docx: `/v1/reports/${record.documentId}?format=docx`, xlsx: `/v1/reports/${record.documentId}?format=xlsx` },
        });
      },
    }),
    route({
      method: 'get',
      path: '/v1/reports/{id}',
      operationId: 'getPeriodicReport',
      summary: 'A periodic report of the caller’s authority as .docx (format=docx, the issued file) or .xlsx (format=xlsx, the same figures)',
      tags: ['ledger'],
      access: { kind: 'roles', roles: [...LEDGER_READERS] },
      params: z.object({ id: z.uuid('is not a report id') }),
      query: z.object({ format: z.enum(['docx', 'xlsx'], { error: 'must be docx or xlsx' }).default('docx') }),
      responses: { 200: { description: 'The file', contentType: [DOCX, XLSX] }, 403: problem('Not staff of an authority'), 404: problem('No such report of the caller’s authority') },
      async handle({ params, query, user, res }) {
        const stored = await findDocument(deps.db, params.id);
        if (!stored || stored.kind !== 'periodicReport' || !stored.caseId.startsWith(`report-${user.authority}-`)) throw problems.notFound(`报告 ${params.id} / report ${params.id}`);
        const { period, stats } = JSON.parse(stored.body) as { period: ReportPeriod; stats: Statistics };
        if (query.format === 'xlsx') {
          const authority = deps.authorities.get(user.authority)!;
          res.status(200).type(XLSX).set('Content-Disposition', `attachment; filename="report-${period.label}.xlsx"`).send(await reportXlsx(authority, period, stats, stored.number));
          return;
        }
        const file = (await documentFile(deps.db, params.id))!;
        res.status(200).type(DOCX).set('Content-Disposition', `attachment; filename="report-${period.label}.docx"`).send(Buffer.from(file.bytes));
      },
    }),
  ];
}
