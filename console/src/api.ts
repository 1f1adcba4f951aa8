/**
 * The console's only way to the API: every request goes through `request`
 * here, so a change of the API's rules (tokens, step answers, payloads) is
 * followed in this one file. The shapes are the API's own (domain/case/contract.ts,
 * imported as types only, so nothing of the server is bundled).
 */
import type { AvailableAction, CaseState } from '../../domain/case/contract';
import type { Basis, Rulebook } from '../../domain/rulebooks/schema';
import type { LedgerRow } from '../../services/ledger/rows';
import type { Statistics } from '../../services/ledger/statistics';
import { session } from './session';

export type { AvailableAction, Basis, CaseState, Rulebook };

export interface FieldError {
  field: string;
  message: string;
}

/** An application/problem+json answer (RFC 9457), with the refusal's basis where the workflow gave one. */
export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: FieldError[];
  basis?: Basis;
  [extension: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
  }
  get status() {
    return this.problem.status;
  }
}

/** The case as GET /v1/cases/{id} answers: the actions carry where their body schema is in /openapi.json. */
export interface CaseView extends CaseState {
  availableActions: (AvailableAction & { input: string })[];
  /** null: Temporal did not answer in time, so what is being retried is unknown. */
  pendingEffects?: { activity: string; attempt: number; state: string; lastFailure: string | null; lastStartedAt?: string | null }[] | null;
  /** Where the API read the state, and its version (the case's view): the page follows a case until it stops moving. */
  freshness?: { source: string; version?: number; asOf: string };
}

/** What GET /v1/cases/{id} shows a user recused (回避) from the case: that it exists and where it stands, not its file. */
export interface RedactedCaseView {
  caseId: string;
  jurisdiction: string;
  authority: string;
  stage: string;
  closed: boolean;
  outcome?: string;
  availableActions: [];
  redacted: { reason: string; detail: string };
}

/** A step that waits for someone, as 我的待办 lists it (GET /v1/work). */
export interface WorkItem {
  caseId: string;
  jurisdiction: string;
  stage: string;
  action: string;
  label: string;
  roles: string[];
  deadline?: string;
  deadlineLabel?: string;
  article?: string;
  binds?: 'party' | 'authority' | 'recording';
  provisional?: boolean;
  why: 'assigned' | 'supervisor' | 'unassigned' | 'party';
  daysLeft: number | null;
  overdue: boolean;
}

/** A party's receipt (回执) of its own filing. */
export interface Receipt {
  id: string;
  number: string | null;
  status: 'pending' | 'issued' | 'refused';
  caseId: string;
  party: string;
  kind: 'application' | 'statement' | 'appeal';
  receivedOn: string;
  receivedAt: string;
  issuedAt: string | null;
  summarySha256: string;
  refusal: { code: string; detail: string; article?: string } | null;
}

/** A case as its party sees it (GET /v1/my/cases/{id}). */
export interface PartyCaseView {
  caseId: string;
  jurisdiction: string;
  rulebookVersion: string;
  party: 'subject' | 'subjectOrganisation';
  stage: string;
  closed: boolean;
  outcome?: string;
  subject: { name: string; organisation: string };
  matter: string;
  accountability: { reference: string; status: string };
  deadlines: { key: string; label: string; binds: string; from: string; amount: number; unit: string; deadline: string; status: string; provisional: boolean; basis: Basis }[];
  documents: { documentId: string; kind: string; title: string; number: string; issuedAt: string; article: string; href: string }[];
  service: { servedOn: string; via: string }[];
  filings: {
    application?: { receivedOn: string; recordedOn: string | null; summary: string; online: boolean };
    statements: { receivedOn: string; summary: string; online: boolean }[];
    appeal?: { receivedOn: string; recordedOn: string | null; summary: string; online: boolean; decision?: { decidedOn: string; result: string } };
  };
  receipts: Receipt[];
  openFilings: WorkItem[];
}

export interface CaseNote {
  id: string;
  caseId: string;
  author: { sub: string; name: string };
  text: string;
  writtenAt: string;
}

export interface AccessRecord {
  seq: number;
  at: string;
  sub: string | null;
  name: string | null;
  roles: string[];
  authority: string | null;
  event: string;
  operation: string;
  caseId: string | null;
  documentId: string | null;
  address: string | null;
  userAgent: string | null;
  status: number;
  detail: Record<string, unknown> | null;
}

export interface CaseSummary {
  id: string;
  jurisdiction: string;
  stage: string;
  outcome: string | null;
  overdue: boolean;
  needsAttention?: boolean;
  nextDeadline: string | null;
  matter: string | null;
  /** 承办人: whether anybody holds the case, and whether it is the caller. */
  assigned?: boolean;
  mine?: boolean;
  openedAt: string | null;
}

export interface CaseFilters {
  jurisdiction?: string;
  stage?: string;
  outcome?: string;
  overdue?: 'true' | 'false';
  deadlineBefore?: string;
  q?: string;
  assignee?: 'mine' | 'unassigned';
  pageSize?: number;
  pageToken?: string;
}

export interface RulebookSummary {
  id: string;
  name: string;
  issuingBody: string;
  version: string;
  revision?: number;
  inForce: string;
  source: string;
  /** `<id>@<version>r<revision>` for a shipped file, the archive's id for an approved one. */
  versionId?: string;
  origin?: 'file' | 'approved';
  /** The days new cases of the jurisdiction open under it. */
  inForceFrom?: string;
  inForceUntil?: string | null;
  inForceToday?: boolean;
  /** The caller’s authority opens cases under it today (a jurisdiction it is bound to, in the version in force). */
  usable: boolean;
}

/** A rulebook version as 规则管理 lists it (GET /v1/rulebook-versions). */
export interface RulebookVersion {
  versionId: string;
  origin: 'file' | 'submitted';
  jurisdiction: string;
  version: string;
  revision: number;
  status: 'submitted' | 'approved' | 'withdrawn';
  fileName: string;
  regulationFile: string;
  inForceFrom: string | null;
  inForceUntil: string | null;
  submittedBy?: { sub: string; name: string; authority: string };
  submittedAt?: string;
  approvedBy?: { sub: string; name: string } | null;
  approvedAt?: string | null;
  withdrawalReason?: string | null;
}

export interface RulebookVersionDetail extends Omit<RulebookVersion, 'fileName' | 'regulationFile'> {
  rulebook: Rulebook;
  file?: { name: string; text: string; sha256: string };
  regulation?: { file: string; text: string; sha256: string };
  audit: AuditEntry[];
}

/** A problem of a rulebook file: where it is (path and line), which check found it, the article it concerns. */
export interface RulebookProblem extends FieldError {
  zh: string;
  path: string;
  check: string;
  line?: number;
  article?: string;
}

export interface DryRun {
  versionId: string;
  rulebook: { id: string; version: string; revision: number; name: string };
  openingDate: string;
  path: { outcome: string; appeal: boolean };
  completed: boolean;
  outcome?: string;
  closedOn?: string;
  stoppedAt?: { stage: string; reason: string; refusal?: { type: string; message: string; article?: string } };
  steps: { action: string; label: string; stage: string; on: string }[];
  deadlines: { key: string; label: string; binds: string; from: string; amount: number; unit: string; lastDay: string; provisional: boolean; status: string; article: string; quote: string }[];
  limits: { key: string; label: string; lastDay: string; article: string }[];
  documents: { kind: string; title: string; number: string; article: string; issuedOn: string; recipients: string[] }[];
  refusals: { label?: string; action: string; on?: string; refused: boolean; type?: string; message?: string; article?: string; notOffered?: boolean }[];
}

export interface RulebookDiff {
  fromVersionId: string;
  toVersionId: string;
  from: { id: string; version: string; revision: number };
  to: { id: string; version: string; revision: number };
  steps: { added: { stage: string; label: string }[]; removed: { stage: string; label: string }[]; changed: { stage: string; label: string; changes: { path: string; from: unknown; to: unknown }[] }[] };
  periods: { path: string; label: string; change: string; from?: { amount: number; unit: string; article: string }; to?: { amount: number; unit: string; article: string } }[];
  catalogues: { catalogue: string; id: string; change: string; from?: { article: string; text: string }; to?: { article: string; text: string } }[];
  effects: { outcome: string; change: string; text: string; article: string }[];
  other: { path: string; from: unknown; to: unknown }[];
}

export interface AuditEntry {
  id: number;
  at: string;
  action: string;
  jurisdiction: string;
  versionId?: string;
  actor: { sub: string; name: string; authority: string; roles: string[] };
  detail: Record<string, unknown>;
}

export interface InboxNotice {
  id: string;
  caseId: string;
  subject: string;
  body: string;
  deliveredAt: string;
  servedOn: string | null;
  servedAt: string | null;
  service: { stage: string; party: string } | null;
}

export interface CalendarYear {
  year: number;
  status: string;
  origin: 'package' | 'overlay';
  source: string;
  holidays: number;
  makeUpWorkdays: number;
  loadedBy?: string;
  loadedAt?: string;
}

export interface YearSchedule {
  source: string;
  holidays: { date: string; name: string }[];
  makeUpWorkdays: { date: string; name: string }[];
}

export interface YearPreview {
  year: number;
  current: CalendarYear | null;
  holidays: number;
  makeUpWorkdays: number;
  casesToRecount: number;
  cases: { caseId: string; jurisdiction: string | null; deadlines: { key: string; label: string; article: string; before: string; after: string; stillProvisional: boolean }[] }[];
}

export interface UpcomingDeadline {
  caseId: string;
  jurisdiction: string;
  stage: string;
  matter: string;
  key: string;
  label: string;
  binds: 'party' | 'authority';
  deadline: string;
  provisional: boolean;
  basis: Basis;
  overdue: boolean;
}

export interface DeadlineComputation {
  deadline: string;
  provisional: boolean;
}

export type SignInSettings =
  | { mode: 'oidc'; issuer: string; clientId: string; scope: string; audience: string | null }
  | {
      mode: 'development';
      /** Roles within the authority picked. */
      roles: string[];
      /** Roles over the whole system (system-admin: loading the national calendar), whatever authority the token names. */
      systemRoles: string[];
      /** The rulebook administrator's role (规则管理), of the authority picked, or of the whole system with system-admin. */
      rulebookRoles?: string[];
      /** 组织部门: asks what follows from a cadre's conclusions (listConclusionEffects), reads no case. */
      organisationRoles?: string[];
      /** A party's own account (never combined with another role). */
      partyRoles?: string[];
      /** How long a development sign-in lasts: a working day, or TOKEN_MAX_AGE_SECONDS if shorter. */
      tokenLifetimeSeconds: number;
      authorities: { id: string; name: string; jurisdiction: string }[];
    }
  | { mode: 'none' };

export interface DocumentFile {
  blob: Blob;
  sha256: string;
  /** The SM3 recorded beside it; empty for a file made before SM3 was recorded. */
  sm3: string;
  filename: string;
}

/** A material of the case's file, as GET /v1/cases/{id}/materials lists it. */
export interface CaseMaterial {
  materialId: string;
  kind: string;
  kindLabel: string;
  title: string;
  source: string | null;
  obtainedBy: string | null;
  originalDate: string | null;
  format: string;
  mediaType: string;
  sizeBytes: number;
  sha256: string;
  sm3: string;
  uploadedBy: { sub: string; name: string };
  uploadedAt: string;
  withdrawal: { at: string; by: { sub: string; name: string }; reason: string } | null;
  href: string;
}

/** The bound case file's record (GET /v1/cases/{id}/bound-file as JSON). */
export interface BoundFileView {
  caseId: string;
  sha256: string;
  sm3: string;
  pages: number;
  boundAt: string;
  contents: {
    title: string;
    numberedPages: number;
    items: { sequence: number; source: 'document' | 'material'; id: string; reference: string; responsible: string; title: string; date: string; kind: string; firstPage: number; lastPage: number; sha256: string; sm3: string }[];
    withdrawn: { id: string; title: string; at: string; by: string; reason: string }[];
    boundBy: string;
  };
  validation: { validator: string; profile: string; compliant: boolean; failures: string[] };
}

interface Options {
  body?: unknown;
  /** A multipart/form-data body (an upload); the browser writes its Content-Type with the boundary. */
  form?: FormData;
  query?: Record<string, string | number | undefined>;
  idempotencyKey?: string;
  accept?: string;
  /** Public routes send no token. */
  anonymous?: boolean;
}

function url(path: string, query?: Options['query']): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') params.set(k, String(v));
  const q = params.toString();
  return q ? `${path}?${q}` : path;
}

async function problemOf(res: Response): Promise<Problem> {
  const type = res.headers.get('content-type') ?? '';
  if (type.includes('json')) {
    try {
      return (await res.json()) as Problem;
    } catch {
      // fall through to a problem of our own
    }
  }
  return { title: res.statusText, status: res.status, detail: `服务器应答 ${res.status}`, code: 'http_error' };
}

async function request(method: string, path: string, options: Options = {}): Promise<Response> {
  const headers: Record<string, string> = { 'Accept-Language': 'zh-CN', Accept: options.accept ?? 'application/json' };
  const token = session.token();
  if (token && !options.anonymous) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.idempotencyKey) headers['Idempotency-Key'] = options.idempotencyKey;
  let res: Response;
  try {
    const body = options.form ?? (options.body === undefined ? null : JSON.stringify(options.body));
    res = await fetch(url(path, options.query), { method, headers, body, credentials: 'omit', cache: 'no-store' });
  } catch {
    throw new ApiError({ title: 'Network error', status: 0, detail: '无法连接服务器，请检查网络后重试', code: 'network' });
  }
  if (res.status === 401 && !options.anonymous) {
    session.expire();
    throw new ApiError(await problemOf(res));
  }
  if (res.status === 400 && !options.anonymous) {
    // A token that verified but whose claims the API refuses (api/auth.ts: `token.sub`, `token.roles`…) fails
    // every request alike: no page can work with it, so the user signs in again and learns why.
    const problem = await problemOf(res);
    const claims = (problem.errors ?? []).filter((e) => e.field.startsWith('token.'));
    if (claims.length) session.expire(`登录凭证的内容不符合本系统要求（${claims.map((e) => e.field).join('、')}），请联系统一身份认证服务的管理员。`);
    throw new ApiError(problem);
  }
  if (!res.ok) throw new ApiError(await problemOf(res));
  return res;
}

async function json<T>(method: string, path: string, options?: Options): Promise<T> {
  const res = await request(method, path, options);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A key for one intended write: the same key on a retry makes the API apply it once. */
export function newIdempotencyKey(): string {
  // randomUUID needs a secure context; an intranet may serve plain HTTP, where getRandomValues still works.
  if (typeof crypto.randomUUID === 'function' && isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let openApiDocument: Promise<Record<string, unknown>> | undefined;

/** Resolves `/openapi.json#/paths/...` (an action's `input`) in the API's OpenAPI document. */
export async function schemaAt(ref: string): Promise<Record<string, unknown>> {
  const [, pointer = ''] = ref.split('#');
  openApiDocument ??= json<Record<string, unknown>>('GET', '/openapi.json', { anonymous: true }).catch((err) => {
    openApiDocument = undefined;
    throw err;
  });
  let node: unknown = await openApiDocument;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    node = (node as Record<string, unknown> | undefined)?.[key];
  }
  const body = node as { content?: Record<string, { schema?: Record<string, unknown> }> } | undefined;
  const schema = body?.content?.['application/json']?.schema;
  if (!schema) throw new ApiError({ title: 'Schema not found', status: 0, detail: `接口文档中找不到 ${pointer}`, code: 'schema_missing' });
  return schema;
}

export const api = {
  signInSettings: () => json<SignInSettings>('GET', '/v1/sign-in', { anonymous: true }),
  me: () => json<{ sub: string; name: string; roles: string[]; authority: { id: string; name: string } | null }>('GET', '/v1/me'),
  developmentSignIn: (body: { sub: string; name: string; roles: string[]; authority: string }) =>
    json<{ token: string; tokenType: 'Bearer'; expiresAt: string }>('POST', '/v1/sign-in/development', { body, anonymous: true }),

  listCases: (filters: CaseFilters) => json<{ cases: CaseSummary[]; nextPageToken: string | null }>('GET', '/v1/cases', { query: { ...filters } }),
  getCase: (id: string) => json<CaseView | RedactedCaseView>('GET', `/v1/cases/${encodeURIComponent(id)}`),
  caseDocuments: (id: string) =>
    json<{ documents: { documentId: string; kind: string; number: string; title: string; article: string; issuedAt: string; sha256: string | null; archivalSha256: string | null; sm3?: string | null; archivalSm3?: string | null; href: string }[] }>(
      'GET',
      `/v1/cases/${encodeURIComponent(id)}/documents`,
    ),
  openCase: (body: unknown, idempotencyKey: string) => json<{ id: string }>('POST', '/v1/cases', { body, idempotencyKey }),

  /**
   * Takes a step and waits for its outcome: a 202 is followed to its status link
   * until the case took or refused it. The caller reads the case afresh after.
   */
  async takeStep(caseId: string, action: string, body: unknown, idempotencyKey: string): Promise<void> {
    const res = await request('POST', `/v1/cases/${encodeURIComponent(caseId)}/actions/${encodeURIComponent(action)}`, { body, idempotencyKey });
    if (res.status !== 202) return;
    let { href } = (await res.json()) as { href: string };
    for (;;) {
      await sleep(Number(res.headers.get('Retry-After') ?? '2') * 1000);
      const next = await request('GET', href);
      if (next.status !== 202) return;
      ({ href } = (await next.json()) as { href: string });
    }
  },

  listRulebooks: () => json<{ rulebooks: RulebookSummary[] }>('GET', '/v1/rulebooks'),
  listRulebookVersions: () => json<{ versions: RulebookVersion[] }>('GET', '/v1/rulebook-versions'),
  getRulebookVersion: (id: string) => json<RulebookVersionDetail>('GET', `/v1/rulebook-versions/${encodeURIComponent(id)}`),
  submitRulebook: (file: { name: string; text: string }, regulation: { name: string; text: string }) => json<RulebookVersionDetail>('POST', '/v1/rulebook-versions', { body: { file, regulation } }),
  simulateRulebook: (id: string, body: { openingDate: string; path: 'main' | { outcome?: string; appeal?: boolean } }) =>
    json<DryRun>('POST', `/v1/rulebook-versions/${encodeURIComponent(id)}/simulation`, { body }),
  compareRulebooks: (id: string, against?: string) => json<RulebookDiff>('GET', `/v1/rulebook-versions/${encodeURIComponent(id)}/diff`, { query: { against } }),
  approveRulebook: (id: string, body: { inForceFrom: string; inForceUntil?: string }) => json<RulebookVersion>('POST', `/v1/rulebook-versions/${encodeURIComponent(id)}/approval`, { body }),
  withdrawRulebook: (id: string, reason: string) => json<RulebookVersion>('POST', `/v1/rulebook-versions/${encodeURIComponent(id)}/withdrawal`, { body: { reason } }),
  rulebookAudit: (jurisdiction?: string) => json<{ entries: AuditEntry[] }>('GET', '/v1/rulebook-audit', { query: { jurisdiction } }),
  getRulebook: (id: string, version?: string) => json<Rulebook>('GET', `/v1/rulebooks/${encodeURIComponent(id)}`, { query: { version } }),

  inbox: (unserved?: boolean) => json<{ notices: InboxNotice[] }>('GET', '/v1/inbox', { query: { unserved: unserved ? 'true' : undefined, limit: 200 } }),
  markServed: (id: string, servedOn: string) => json<InboxNotice & { caseService?: { taken: boolean; reason?: string } }>('POST', `/v1/inbox/${encodeURIComponent(id)}/served`, { body: { servedOn } }),

  deadlineAfter: (from: string, amount: number, unit: 'workingDays' | 'days') =>
    json<DeadlineComputation>('GET', '/v1/calendar/deadline', { query: { from, amount, unit } }),
  calendarYears: () => json<{ years: CalendarYear[] }>('GET', '/v1/calendar/years'),
  previewYear: (year: number, schedule: YearSchedule) => json<YearPreview>('POST', `/v1/calendar/years/${year}/preview`, { body: schedule }),
  loadYear: (year: number, schedule: YearSchedule) => json<{ year: number; source: string }>('PUT', `/v1/calendar/years/${year}`, { body: schedule }),
  upcomingDeadlines: (from: string, to: string) => json<{ deadlines: UpcomingDeadline[]; truncated: boolean }>('GET', '/v1/calendar/deadlines', { query: { from, to } }),
  calendarFeed: () => json<{ feed: { createdAt: string; expiresAt: string } | null }>('GET', '/v1/calendar/feed'),
  createCalendarFeed: () => json<{ url: string; createdAt: string; expiresAt: string }>('POST', '/v1/calendar/feed'),
  renewCalendarFeed: () => json<{ feed: { createdAt: string; expiresAt: string } }>('POST', '/v1/calendar/feed/renewal'),
  revokeCalendarFeed: () => json<void>('DELETE', '/v1/calendar/feed'),

  listMaterials: (caseId: string) => json<{ materials: CaseMaterial[] }>('GET', `/v1/cases/${encodeURIComponent(caseId)}/materials`),
  uploadMaterial: (caseId: string, form: FormData) => json<CaseMaterial>('POST', `/v1/cases/${encodeURIComponent(caseId)}/materials`, { form }),
  withdrawMaterial: (materialId: string, reason: string) => json<CaseMaterial>('POST', `/v1/materials/${encodeURIComponent(materialId)}/withdrawal`, { body: { reason } }),
  boundFile: (caseId: string) => json<BoundFileView>('GET', `/v1/cases/${encodeURIComponent(caseId)}/bound-file`),

  /** A file of the case's file (a material, the bound PDF, the export) with the digests the archive recorded for it. */
  async caseFile(path: string, accept: string): Promise<DocumentFile> {
    const res = await request('GET', path, { accept });
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(res.headers.get('content-disposition') ?? '')?.[1];
    return { blob: await res.blob(), sha256: res.headers.get('x-content-sha256') ?? '', sm3: res.headers.get('x-content-sm3') ?? '', filename: encoded ? decodeURIComponent(encoded) : path.split('/').at(-1)! };
  },

  myWork: () => json<{ today: string; work: WorkItem[]; unassigned: WorkItem[] }>('GET', '/v1/work'),
  officers: () => json<{ officers: { sub: string; name: string }[] }>('GET', '/v1/officers'),
  caseNotes: (id: string) => json<{ notes: CaseNote[] }>('GET', `/v1/cases/${encodeURIComponent(id)}/notes`),
  recordNote: (id: string, text: string) => json<CaseNote>('POST', `/v1/cases/${encodeURIComponent(id)}/notes`, { body: { text } }),
  caseAccess: (id: string, before?: number) => json<{ records: AccessRecord[]; nextBefore: number | null }>('GET', `/v1/cases/${encodeURIComponent(id)}/access-log`, { query: { limit: 100, before } }),
  async caseAccessCsv(id: string): Promise<Blob> {
    return (await request('GET', `/v1/cases/${encodeURIComponent(id)}/access-log`, { accept: 'text/csv' })).blob();
  },

  myCases: () => json<{ cases: { id: string; jurisdiction: string; party: string; stage: string; closed: boolean; outcome: string | null; openFilings: WorkItem[] }[] }>('GET', '/v1/my/cases'),
  myCase: (id: string) => json<PartyCaseView>('GET', `/v1/my/cases/${encodeURIComponent(id)}`),
  /** A party's own filing; a 202 is followed until the case took or refused it. */
  async fileOwn(caseId: string, kind: 'application' | 'statement' | 'appeal', summary: string, idempotencyKey: string): Promise<{ receipt: Receipt }> {
    const res = await request('POST', `/v1/my/cases/${encodeURIComponent(caseId)}/${kind}`, { body: { summary }, idempotencyKey });
    if (res.status !== 202) return (await res.json()) as { receipt: Receipt };
    let { href } = (await res.json()) as { href: string };
    for (;;) {
      await sleep(Number(res.headers.get('Retry-After') ?? '2') * 1000);
      const next = await request('GET', href);
      if (next.status !== 202) return (await next.json()) as { receipt: Receipt };
      ({ href } = (await next.json()) as { href: string });
    }
  },

  /** A document's file with the SHA-256 and SM3 the archive recorded for it (the .docx, or the archival PDF); a party's through its own door. */
  async document(id: string, kind: 'docx' | 'pdf', href = `/v1/documents/${encodeURIComponent(id)}`): Promise<DocumentFile> {
    const accept = kind === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    const res = await request('GET', href, { accept });
    const disposition = res.headers.get('content-disposition') ?? '';
    const encoded = /filename\*=UTF-8''([^;]+)/.exec(disposition)?.[1];
    return {
      blob: await res.blob(),
      sha256: res.headers.get('x-content-sha256') ?? '',
      sm3: res.headers.get('x-content-sm3') ?? '',
      filename: encoded ? decodeURIComponent(encoded) : `${id}.${kind}`,
    };
  },
};

/** 结果运用 (listConclusionEffects), for console/src/pages/Conclusions.tsx. */
export interface ConclusionEffects {
  caseId: string;
  jurisdiction: string;
  subject: { name: string; unit: string };
  outcome: string;
  decidedOn: string;
  revisedOnAppeal: boolean;
  approvingBody: string | null;
  effects: { text: string; article: string; quote: string; from: string; until: string | null }[];
  copiedTo: { body: string; on: string; reference: string | null }[];
  appliesFrom: string;
  appliesUntil: string | null;
}
/** A cadre, by the party account or by name and unit. */
export type Cadre = { userId: string } | { name: string; unit: string };

/** 台账 and 统计 (api/routes/ledger.ts), for console/src/pages/Ledger.tsx: a ledger row is the API's own type. */
export type { LedgerRow };
/** getStatistics' figures: the one type the API's statistics answer with (services/ledger/statistics.ts). */
export type LedgerStatistics = Statistics;
/** The authorities below the caller's whose figures it may read (a superior body's supervisors and auditors). */
export interface SubordinateAuthority {
  authority: string;
  name: string;
}
/** getStatistics: one authority's figures (its own, or one subordinate's), or each subordinate's and their total. */
export type StatisticsAnswer =
  | ({ scope?: undefined; authority: string; name?: string; subordinateAuthorities: SubordinateAuthority[] } & LedgerStatistics)
  | { scope: 'subordinates'; authority: string; subordinateAuthorities: SubordinateAuthority[]; subordinates: (SubordinateAuthority & LedgerStatistics)[]; total: LedgerStatistics };
export type LedgerQuery = Record<string, string | number | undefined>;
export const ledgerApi = {
  ledger: (query: LedgerQuery) => json<{ total: number; offset: number; limit: number; rows: LedgerRow[] }>('GET', '/v1/ledger', { query }),
  statistics: (query: { from: string; to: string; scope?: 'subordinates' | undefined; authority?: string | undefined }) => json<StatisticsAnswer>('GET', '/v1/statistics', { query }),
  conclusionEffects: (cadre: Cadre) => json<{ conclusions: ConclusionEffects[] }>('GET', '/v1/conclusion-effects', { query: cadre }),
  /** The export as a file the browser saves (the token rides in the header, never the address). */
  async exportLedger(query: LedgerQuery, format: 'xlsx' | 'csv'): Promise<Blob> {
    const res = await request('GET', '/v1/ledger/export', { query: { ...query, format }, accept: '*/*' });
    return res.blob();
  },
};
