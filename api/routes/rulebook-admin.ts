/**
 * 规则管理: rulebook versions authored through the API by a rulebook
 * administrator (`rulebook-admin`): submitted with the regulation's full text
 * and checked, tried in a dry run, compared with another version, approved by
 * a second person from a day, or withdrawn; authorities bound to jurisdictions;
 * the audit trail of all of it. services/rulebooks/ does the work; these routes
 * validate, decide reach, and answer problems that name the place in the file.
 */
import { z } from 'zod';
import type { Authorities } from '../../config/authorities';
import { beijingDate, compareDates } from '../../domain/calendar';
import { ACTION_NAMES } from '../../domain/case/contract';
import { visibleText } from '../../domain/case/visible-text';
import { INTAKE_ROUTES, OUTCOMES } from '../../domain/rulebooks/schema';
import {
  anyVersionInReach,
  approveVersion,
  audit,
  AuthoringRefusal,
  reachOf,
  reaches,
  submitVersion,
  versionInReach,
  withdrawVersion,
  type Actor,
} from '../../services/rulebooks/authoring';
import type { RulebookCatalogue } from '../../services/rulebooks/catalogue';
import { MAX_FILE_CHARS, MAX_REGULATION_CHARS, type RulebookProblem } from '../../services/rulebooks/checks';
import { diffRulebooks } from '../../services/rulebooks/diff';
import { DryRunBusy, DryRunInvalid, DryRunUnavailable, type DryRunner } from '../../services/rulebooks/dry-run';
import type { Db } from '../../store/db';
import { bindJurisdiction, boundThroughApi, listAudit, listVersions, unbindJurisdiction, type StoredVersion } from '../../store/rulebook-versions';
import { AUTHORITY_ID_PATTERN, RULEBOOK_ROLES, type User } from '../auth';
import { actionBodies } from '../case-actions';
import { fieldsProblem, Problem } from '../problem';
import { route, type RouteSpec } from '../registry';
import { isoDateSchema, text } from '../schemas';

export interface RulebookAdminDeps {
  db: Db;
  authorities: Authorities;
  catalogue: RulebookCatalogue;
  /** Runs dry runs; absent, simulateRulebook answers 503 naming what is missing. */
  dryRuns?: DryRunner | undefined;
  now?: (() => number) | undefined;
}

const ADMIN = { kind: 'roles' as const, roles: [...RULEBOOK_ROLES] };
const problem = (description: string) => ({ description, schema: 'problem' as const });

/** At most this many problems in one answer: a file broken everywhere gets a readable list, not megabytes. */
const MAX_PROBLEMS = 200;

const fileName = z
  .string()
  .max(120, 'must be at most 120 characters')
  .regex(/^[^/\\\p{Cc}\p{Cf}]+\.(ya?ml|json)$/iu, 'must be a file name ending in .yaml, .yml or .json, without folders');
const regulationName = z
  .string()
  .max(120, 'must be at most 120 characters')
  .regex(/^[^/\\\p{Cc}\p{Cf}]+$/u, 'must be a file name, without folders');
const fileText = (max: number) => z.string().min(1, 'must not be empty').max(max, `must be at most ${max} characters`).pipe(visibleText(true));

export const submitRulebookBody = z
  .object({
    /** The rulebook file as written (YAML or JSON), and its name. */
    file: z.object({ name: fileName, text: fileText(MAX_FILE_CHARS) }).strict(),
    /** The regulation's full text, which every quote of the file must be found in, and the name its `source` gives it. */
    regulation: z.object({ name: regulationName, text: fileText(MAX_REGULATION_CHARS) }).strict(),
  })
  .strict();

const versionIdSchema = z
  .string()
  .regex(/^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[a-z][a-z0-9-]*@[A-Za-z0-9.-]{1,20}r\d{1,4})$/, 'is not a rulebook version id');
const versionParams = z.object({ id: versionIdSchema });
const jurisdictionId = z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, 'is not a jurisdiction id');

const dryRunPath = z
  .object({
    outcome: z.enum(OUTCOMES).optional(),
    route: z.enum(INTAKE_ROUTES).optional(),
    apply: z.boolean().optional(),
    accept: z.boolean().optional(),
    appeal: z.boolean().optional(),
    level: z.enum(['city', 'county']).optional(),
    attributes: z.record(z.string().regex(/^[a-z][A-Za-z]*$/, 'is not an attribute name'), z.boolean()).optional(),
  })
  .strict();

export const simulateRulebookBody = z
  .object({
    /** The day the dry-run case opens (its opening event): today or later. */
    openingDate: isoDateSchema,
    /** `main`: the rulebook's main path (免责 where it allows, no appeal); or the choices of another. */
    path: z.union([z.literal('main'), dryRunPath]).default('main'),
    /** Inputs to try, each where its step is offered on the path, answered with the refusal they get. */
    samples: z
      .array(
        z
          .object({
            label: text(50).optional(),
            action: z.enum(ACTION_NAMES),
            input: z.record(z.string().max(60), z.unknown()),
            on: isoDateSchema.optional(),
          })
          .strict()
          // A sample's body is the step's, as POST /v1/cases/{id}/actions/{action} would take it.
          .superRefine((sample, ctx) => {
            const parsed = (actionBodies[sample.action] as z.ZodType).safeParse(sample.input);
            if (!parsed.success) for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: ['input', ...issue.path], message: issue.message });
          })
          .transform((sample) => {
            const parsed = (actionBodies[sample.action] as z.ZodType<Record<string, unknown>>).safeParse(sample.input);
            return { ...sample, input: parsed.success ? parsed.data : sample.input };
          }),
      )
      .max(10, 'must be at most 10')
      .optional(),
  })
  .strict();

export const approveRulebookBody = z
  .object({
    /** The first day new cases of the jurisdiction use the version: today or later. */
    inForceFrom: isoDateSchema,
    /** The last day, where the version ends before the next begins. */
    inForceUntil: isoDateSchema.optional(),
  })
  .strict();

export const withdrawRulebookBody = z.object({ reason: text(500) }).strict();

const actorOf = (user: User): Actor => ({ sub: user.sub, name: user.name, authority: user.authority, roles: user.roles });

/** The problems of a file (or of a request about it) as problem+json: each names its place, its check, its article. */
function problemsAnswer(status: number, code: string, title: string, zh: string, en: string, list: RulebookProblem[], extensions: Record<string, unknown> = {}): Problem {
  const shown = list.slice(0, MAX_PROBLEMS);
  const where = (p: RulebookProblem) => `${p.path || '(文件)'}${p.line ? `（第 ${p.line} 行）` : ''}`;
  return new Problem({
    status,
    code,
    title,
    detail: {
      zh: `${zh}：${shown.slice(0, 5).map((p) => `${where(p)} ${p.zh}`).join('；')}${list.length > 5 ? `；等 ${list.length} 处` : ''}`,
      en: `${en}: ${shown.slice(0, 5).map((p) => `${p.path || '(file)'}${p.line ? ` (line ${p.line})` : ''} ${p.message}`).join('; ')}${list.length > 5 ? `; ${list.length} in all` : ''}`,
    },
    errors: shown.map((p) => ({
      field: p.check === 'inForce' ? `body.${p.path}` : p.path ? `file.${p.path}` : 'file',
      message: p.message,
      ...({ zh: p.zh, path: p.path, check: p.check, ...(p.line ? { line: p.line } : {}), ...(p.article ? { article: p.article } : {}) } as object),
    })),
    extensions: { ...extensions, ...(list.length > shown.length ? { moreErrors: list.length - shown.length } : {}) },
  });
}

/** A refusal of the authoring service as the answer it is. */
function answerRefusal(err: unknown): unknown {
  if (err instanceof DryRunInvalid) return fieldsProblem([{ field: `body.${err.field}`, message: err.message }]);
  if (err instanceof DryRunUnavailable) {
    return new Problem({ status: 503, code: 'dry_run_unavailable', title: 'Dry runs unavailable', detail: { zh: `无法试运行：${err.message}`, en: `No dry run: ${err.message}` }, retryAfterSeconds: 60 });
  }
  if (err instanceof DryRunBusy) {
    return new Problem({ status: 503, code: 'dry_run_busy', title: 'Dry runs busy', detail: { zh: '正在进行其他试运行，请稍后再试', en: 'Other dry runs are under way; try again shortly' }, retryAfterSeconds: 30 });
  }
  if (!(err instanceof AuthoringRefusal)) return err;
  const detail = { zh: err.zh, en: err.message };
  switch (err.kind) {
    case 'forbidden':
      return new Problem({ status: 403, code: 'outside_reach', title: 'Outside your reach', detail });
    case 'fourEyes':
      return new Problem({ status: 403, code: 'four_eyes', title: 'Approved by another person', detail });
    case 'notFound':
      return new Problem({ status: 404, code: 'not_found', title: 'Not found', detail });
    case 'conflict':
      return err.problems.length
        ? problemsAnswer(409, 'rulebook_conflict', 'Conflicts with another version', err.zh, err.message, err.problems, err.extensions)
        : new Problem({ status: 409, code: 'rulebook_conflict', title: 'Conflict', detail, extensions: err.extensions });
    case 'problems':
      return problemsAnswer(422, 'rulebook_invalid', 'The rulebook has problems', err.zh, err.message, err.problems, err.extensions);
  }
}

async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw answerRefusal(err);
  }
}

/** A stored version as lists show it; the texts only where one version is asked for. */
function versionView(v: StoredVersion | (Omit<StoredVersion, 'rulebook' | 'file' | 'regulation'> & { fileName: string; regulationFile: string }), lastDay?: string) {
  const base = {
    versionId: v.id,
    origin: 'submitted' as const,
    jurisdiction: v.jurisdiction,
    version: v.version,
    revision: v.revision,
    status: v.status,
    submittedBy: v.submittedBy,
    submittedAt: v.submittedAt,
    approvedBy: v.approvedBy ?? null,
    approvedAt: v.approvedAt ?? null,
    inForceFrom: v.inForceFrom ?? null,
    inForceUntil: lastDay ?? v.inForceUntil ?? null,
    withdrawnBy: v.withdrawnBy ?? null,
    withdrawnAt: v.withdrawnAt ?? null,
    withdrawalReason: v.withdrawalReason ?? null,
  };
  return 'rulebook' in v ? { ...base, rulebook: v.rulebook, file: v.file, regulation: v.regulation } : { ...base, fileName: v.fileName, regulationFile: v.regulationFile };
}

export function rulebookAdminRoutes(deps: RulebookAdminDeps): RouteSpec[] {
  const today = () => beijingDate((deps.now ?? Date.now)());
  const authoring = { db: deps.db, authorities: deps.authorities, catalogue: deps.catalogue };
  return [
    route({
      method: 'post',
      path: '/v1/rulebook-versions',
      operationId: 'submitRulebook',
      summary: 'Submit a rulebook version (YAML or JSON) with its regulation’s full text; refused whole, with every problem and its place in the file, unless every check passes',
      tags: ['rulebook administration'],
      access: ADMIN,
      write: true,
      body: submitRulebookBody,
      responses: {
        201: { description: 'Submitted, awaiting another person’s approval' },
        400: problem('Invalid body'),
        403: problem('A jurisdiction outside the caller’s reach'),
        422: problem('The file’s problems, each naming its path (`errors[].path`, line, check, article)'),
      },
      async handle({ body, user, res }) {
        const stored = await answering(() => submitVersion(authoring, actorOf(user), body));
        res.status(201).json(versionView(stored));
      },
    }),
    route({
      method: 'get',
      path: '/v1/rulebook-versions',
      operationId: 'listRulebookVersions',
      summary: 'The rulebook versions the caller administers: the shipped files and those submitted, with their status and days in force',
      tags: ['rulebook administration'],
      access: ADMIN,
      query: z.object({ jurisdiction: jurisdictionId.optional() }),
      responses: { 200: { description: 'The versions, files first' }, 400: problem('Invalid filter') },
      async handle({ query, user, res }) {
        await deps.catalogue.refresh();
        const reach = await reachOf(authoring, actorOf(user));
        const wanted = (j: string) => reaches(reach, j) && (!query.jurisdiction || query.jurisdiction === j);
        const files = deps.catalogue
          .windows()
          .filter((w) => w.origin === 'file' && wanted(w.rulebook.id))
          .map((w) => ({
            versionId: w.versionId,
            origin: 'file' as const,
            jurisdiction: w.rulebook.id,
            version: w.rulebook.version,
            revision: w.rulebook.revision,
            status: 'approved' as const,
            fileName: `rulebooks/${w.rulebook.id}/${w.rulebook.version}.json`,
            regulationFile: w.rulebook.source,
            inForceFrom: w.from,
            inForceUntil: deps.catalogue.lastDay(w) ?? null,
          }));
        const stored = (await listVersions(deps.db)).filter((v) => wanted(v.jurisdiction));
        const windows = new Map(deps.catalogue.windows().map((w) => [w.versionId, w]));
        res.json({
          versions: [
            ...files,
            ...stored.map((v) => {
              const w = windows.get(v.id);
              return versionView(v, w ? deps.catalogue.lastDay(w) : undefined);
            }),
          ],
        });
      },
    }),
    route({
      method: 'get',
      path: '/v1/rulebook-versions/{id}',
      operationId: 'getRulebookVersion',
      summary: 'One version: its rulebook, the file as submitted and the regulation’s text, with its audit trail',
      tags: ['rulebook administration'],
      access: ADMIN,
      params: versionParams,
      responses: { 200: { description: 'The version' }, 404: problem('No such version within the caller’s reach') },
      async handle({ params, user, res }) {
        await deps.catalogue.refresh();
        const file = deps.catalogue.fileVersion(params.id);
        if (file) {
          const { rulebook } = await answering(() => anyVersionInReach(authoring, actorOf(user), params.id));
          res.json({ versionId: file.versionId, origin: 'file', jurisdiction: rulebook.id, version: rulebook.version, revision: rulebook.revision, status: 'approved', inForceFrom: file.from, inForceUntil: deps.catalogue.lastDay(file) ?? null, rulebook, audit: [] });
          return;
        }
        const stored = await answering(() => versionInReach(authoring, actorOf(user), params.id));
        const window = deps.catalogue.windows().find((w) => w.versionId === stored.id);
        res.json({ ...versionView(stored, window ? deps.catalogue.lastDay(window) : undefined), audit: await listAudit(deps.db, { versionId: stored.id }) });
      },
    }),
    route({
      method: 'post',
      path: '/v1/rulebook-versions/{id}/simulation',
      operationId: 'simulateRulebook',
      summary: 'Dry-run a version: a case opened on the day asked and taken along a path on a time-skipping server and a throwaway archive; every deadline with its last day and article, every document, and the refusal of each sample input',
      tags: ['rulebook administration'],
      access: ADMIN,
      write: true,
      params: versionParams,
      body: simulateRulebookBody,
      responses: {
        200: { description: 'What the case would meet' },
        400: problem('Invalid body, or an opening day before today'),
        404: problem('No such version within the caller’s reach'),
        503: problem('Dry runs are unavailable here (the time-skipping server is missing) or busy'),
      },
      async handle({ params, body, user, res }) {
        const { rulebook, versionId } = await answering(() => anyVersionInReach(authoring, actorOf(user), params.id));
        // The time-skipping server's clock starts now and only moves on.
        if (compareDates(body.openingDate, today()) < 0) throw fieldsProblem([{ field: 'body.openingDate', message: `must be today (${today()}) or later: a dry run starts now and lets time pass` }]);
        if (!deps.dryRuns) throw answerRefusal(new DryRunUnavailable('this API has no dry runs configured (TEMPORAL_TEST_SERVER_PATH)'));
        const runner = deps.dryRuns;
        const result = await answering(() => runner.run(rulebook, { openingDate: body.openingDate, path: body.path, samples: body.samples }, user.authority));
        await audit(deps.db, actorOf(user), 'simulated', rulebook.id, versionId.includes('@') ? undefined : versionId, {
          version: versionId,
          openingDate: body.openingDate,
          path: result.path,
          completed: result.completed,
          outcome: result.outcome ?? null,
          deadlines: result.deadlines.length,
          documents: result.documents.map((d) => d.kind),
          refusals: result.refusals.map((r) => ({ action: r.action, refused: r.refused, type: r.type ?? null })),
        });
        res.json({ versionId, ...result });
      },
    }),
    route({
      method: 'get',
      path: '/v1/rulebook-versions/{id}/diff',
      operationId: 'compareRulebooks',
      summary: 'What changed from another version (`against`, e.g. the one in force) to this one: steps, periods, catalogue items and effects added, removed or changed',
      tags: ['rulebook administration'],
      access: ADMIN,
      params: versionParams,
      query: z.object({ against: versionIdSchema.optional() }),
      responses: { 200: { description: 'The differences' }, 404: problem('No such version, or none to compare with') },
      async handle({ params, query, user, res }) {
        await deps.catalogue.refresh();
        const to = await answering(() => anyVersionInReach(authoring, actorOf(user), params.id));
        // Without `against`: the version of the same jurisdiction in force today.
        const againstId = query.against ?? deps.catalogue.inForce(to.rulebook.id, today())?.versionId;
        if (!againstId) throw answerRefusal(new AuthoringRefusal('notFound', `${to.rulebook.id} 今日无生效版本可比较，请指定 against`, `No version of ${to.rulebook.id} is in force today to compare with: name one in \`against\``));
        const from = await answering(() => anyVersionInReach(authoring, actorOf(user), againstId));
        if (from.rulebook.id !== to.rulebook.id) throw fieldsProblem([{ field: 'query.against', message: `is a version of ${from.rulebook.id}, not of ${to.rulebook.id}` }]);
        res.json({ fromVersionId: from.versionId, toVersionId: to.versionId, ...diffRulebooks(from.rulebook, to.rulebook) });
      },
    }),
    route({
      method: 'post',
      path: '/v1/rulebook-versions/{id}/approval',
      operationId: 'approveRulebook',
      summary: 'Approve a submitted version, by another person than its submitter, in force from a day (and until one): new cases of the jurisdiction use it from then; running cases keep theirs',
      tags: ['rulebook administration'],
      access: ADMIN,
      write: true,
      params: versionParams,
      body: approveRulebookBody,
      responses: {
        200: { description: 'Approved' },
        400: problem('Invalid body'),
        403: problem('The submitter may not approve its own version (four eyes)'),
        404: problem('No such version within the caller’s reach'),
        409: problem('Not awaiting approval, or another version in force on one of the days'),
        422: problem('In-force dates before today or before the regulation’s own'),
      },
      async handle({ params, body, user, res }) {
        const approved = await answering(() => approveVersion(authoring, actorOf(user), params.id, body, today()));
        await deps.catalogue.refresh();
        const window = deps.catalogue.windows().find((w) => w.versionId === approved.id);
        res.json(versionView(approved, window ? deps.catalogue.lastDay(window) : undefined));
      },
    }),
    route({
      method: 'post',
      path: '/v1/rulebook-versions/{id}/withdrawal',
      operationId: 'withdrawRulebook',
      summary: 'Withdraw a version before it is in force (submitted, or approved from a later day); one in force is replaced by a new revision instead',
      tags: ['rulebook administration'],
      access: ADMIN,
      write: true,
      params: versionParams,
      body: withdrawRulebookBody,
      responses: { 200: { description: 'Withdrawn' }, 400: problem('Invalid body'), 404: problem('No such version within the caller’s reach'), 409: problem('Withdrawn already, or in force') },
      async handle({ params, body, user, res }) {
        res.json(versionView(await answering(() => withdrawVersion(authoring, actorOf(user), params.id, body.reason, today()))));
      },
    }),
    route({
      method: 'get',
      path: '/v1/rulebook-audit',
      operationId: 'listRulebookAudit',
      summary: 'The audit trail of the jurisdictions the caller administers: every submission (refused ones too), check, dry run, approval, withdrawal and binding, with who and when; newest first',
      tags: ['rulebook administration'],
      access: ADMIN,
      query: z.object({ jurisdiction: jurisdictionId.optional(), versionId: versionIdSchema.optional() }),
      responses: { 200: { description: 'At most 500 entries' }, 400: problem('Invalid filter') },
      async handle({ query, user, res }) {
        const reach = await reachOf(authoring, actorOf(user));
        const entries = await listAudit(deps.db, {
          ...(query.versionId && !query.versionId.includes('@') ? { versionId: query.versionId } : {}),
          ...(reach.all ? (query.jurisdiction ? { jurisdictions: [query.jurisdiction] } : {}) : { jurisdictions: [...reach.jurisdictions].filter((j) => !query.jurisdiction || j === query.jurisdiction) }),
        });
        // A refused upload of a jurisdiction nobody reached yet is its submitter's to see.
        const own = reach.all ? [] : (await listAudit(deps.db, { jurisdictions: ['(unnamed)'] })).filter((e) => e.actor.authority === user.authority);
        res.json({ entries: [...entries, ...own].sort((a, b) => b.id - a.id) });
      },
    }),
    route({
      method: 'get',
      path: '/v1/authorities/{authority}/jurisdictions',
      operationId: 'listAuthorityJurisdictions',
      summary: 'The jurisdictions an authority runs reviews under: its configuration’s and those bound through the API, each with the version in force today',
      tags: ['rulebook administration'],
      access: ADMIN,
      params: z.object({ authority: z.string().regex(AUTHORITY_ID_PATTERN, 'is not an authority id') }),
      responses: { 200: { description: 'The jurisdictions' }, 404: problem('No such authority within the caller’s reach') },
      async handle({ params, user, res }) {
        const authority = deps.authorities.get(params.authority);
        if (!authority || (!user.roles.includes('system-admin') && user.authority !== params.authority)) throw answerRefusal(new AuthoringRefusal('notFound', `未找到机关 ${params.authority}`, `No authority ${params.authority}`));
        await deps.catalogue.refresh();
        const viaApi = await boundThroughApi(deps.db, params.authority);
        const all = [...new Set([...authority.jurisdictions, ...viaApi.map((b) => b.jurisdiction)])];
        res.json({
          authority: params.authority,
          jurisdictions: all.map((j) => {
            const inForce = deps.catalogue.inForce(j, today());
            const api = viaApi.find((b) => b.jurisdiction === j);
            return {
              jurisdiction: j,
              boundBy: authority.jurisdictions.includes(j) ? 'configuration' : 'api',
              ...(api && !authority.jurisdictions.includes(j) ? { boundAt: api.boundAt, boundByPerson: api.boundBy } : {}),
              inForceToday: inForce ? { versionId: inForce.versionId, version: inForce.rulebook.version, revision: inForce.rulebook.revision, name: inForce.rulebook.name } : null,
            };
          }),
        });
      },
    }),
    route({
      method: 'put',
      path: '/v1/authorities/{authority}/jurisdictions/{jurisdiction}',
      operationId: 'bindJurisdiction',
      summary: 'Bind an authority to a jurisdiction: its officers open cases under the version in force. A rulebook administrator of the whole system binds any configured authority; one of a deploying body binds its own to a jurisdiction it administers',
      tags: ['rulebook administration'],
      access: ADMIN,
      write: true,
      params: z.object({ authority: z.string().regex(AUTHORITY_ID_PATTERN, 'is not an authority id'), jurisdiction: jurisdictionId }),
      responses: { 200: { description: 'Bound (or bound already)' }, 403: problem('Outside the caller’s reach'), 404: problem('No such authority or jurisdiction') },
      async handle({ params, user, res }) {
        await deps.catalogue.refresh();
        const actor = actorOf(user);
        const reach = await reachOf(authoring, actor);
        if (!deps.authorities.get(params.authority)) throw answerRefusal(new AuthoringRefusal('notFound', `未找到机关 ${params.authority}（须先在机关配置中登记）`, `No configured authority ${params.authority}`));
        const known = deps.catalogue.jurisdictions().includes(params.jurisdiction) || (await listVersions(deps.db, { jurisdictions: [params.jurisdiction] })).length > 0;
        if (!known) throw answerRefusal(new AuthoringRefusal('notFound', `未找到辖区规则 ${params.jurisdiction}`, `No jurisdiction ${params.jurisdiction}`));
        if (!reach.all && (params.authority !== user.authority || !reaches(reach, params.jurisdiction))) {
          throw answerRefusal(new AuthoringRefusal('forbidden', '只能为本机关绑定本机关管理的辖区规则', 'You may bind only your own authority, to a jurisdiction you administer'));
        }
        const added = await bindJurisdiction(deps.db, params.authority, params.jurisdiction, { sub: user.sub, name: user.name, authority: user.authority });
        if (added) await audit(deps.db, actor, 'bound', params.jurisdiction, undefined, { authority: params.authority });
        res.json({ authority: params.authority, jurisdiction: params.jurisdiction, bound: true });
      },
    }),
    route({
      method: 'delete',
      path: '/v1/authorities/{authority}/jurisdictions/{jurisdiction}',
      operationId: 'unbindJurisdiction',
      summary: 'Undo a binding made through the API (a configured one is changed in the configuration); running cases go on',
      tags: ['rulebook administration'],
      access: ADMIN,
      write: true,
      params: z.object({ authority: z.string().regex(AUTHORITY_ID_PATTERN, 'is not an authority id'), jurisdiction: jurisdictionId }),
      responses: { 204: { description: 'Unbound' }, 403: problem('Outside the caller’s reach'), 404: problem('No such binding'), 409: problem('Bound by the configuration') },
      async handle({ params, user, res }) {
        const actor = actorOf(user);
        const reach = await reachOf(authoring, actor);
        if (!reach.all && (params.authority !== user.authority || !reaches(reach, params.jurisdiction))) {
          throw answerRefusal(new AuthoringRefusal('forbidden', '只能解除本机关对本机关管理的辖区规则的绑定', 'You may unbind only your own authority, from a jurisdiction you administer'));
        }
        if (deps.authorities.get(params.authority)?.jurisdictions.includes(params.jurisdiction)) {
          throw answerRefusal(new AuthoringRefusal('conflict', '该绑定来自机关配置，须在配置中修改', 'The binding comes from the configuration; change it there'));
        }
        if (!(await unbindJurisdiction(deps.db, params.authority, params.jurisdiction))) throw answerRefusal(new AuthoringRefusal('notFound', '未找到该绑定', 'No such binding'));
        await audit(deps.db, actor, 'unbound', params.jurisdiction, undefined, { authority: params.authority });
        res.status(204).end();
      },
    }),
  ];
}

