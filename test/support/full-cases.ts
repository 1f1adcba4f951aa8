/**
 * Whole cases over HTTP, as officers and supervisors take them: for each
 * jurisdiction one path from opening to a closed case that waits for no
 * statutory timer (every step is taken on the day its window opens). Tests
 * that run a real topology (the cluster test, crash tests) drive cases with
 * it while they kill and restart what serves them.
 *
 * The driver takes a step only once GET /v1/cases/{id} offers it, as a user
 * would: right after a case opens, or while a worker restarts, the workflow
 * may not have reached the step yet, and the step would be refused as
 * wrong_stage. The role that takes a step is the one the offer names.
 * Requests whose answer was lost (connection refused or reset, 429, 502-504)
 * are sent again; opening a case and every step carry an Idempotency-Key, so
 * that is always safe, and a step the case is slow to take (202) is asked
 * after at its status link.
 */
import { randomUUID } from 'node:crypto';
import { beijingDate, type IsoDate } from '../../domain/calendar';
import type { ActionName, AvailableAction, CaseState } from '../../domain/case/contract';

export type TokenSigner = (claims: { sub: string; name: string; roles: string[]; authority: string }) => Promise<string>;

export interface FullCaseApi {
  /** Where the API answers, without /v1: http://127.0.0.1:3000 */
  baseUrl: string;
  sign: TokenSigner;
  /** How long one step may wait to be offered, and a request to be answered (default 3 minutes: a killed worker's activities time out after 1). */
  stepTimeoutMs?: number;
}

export interface FullStep {
  action: ActionName;
  body(today: IsoDate): Record<string, unknown>;
}

export interface FullPath {
  jurisdiction: string;
  /** The authority the officers' tokens carry; the case belongs to it. */
  authority: string;
  /** What the path ends with. */
  outcome: string;
  /** The kinds of the documents the path issues, in order. */
  documents: string[];
  openBody(today: IsoDate): Record<string, unknown>;
  steps: FullStep[];
}

const addDays = (day: IsoDate, days: number): IsoDate => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const opening = (today: IsoDate, extra: Record<string, unknown> = {}) => ({
  subject: { name: '王某', organisation: '某街道党工委', position: '副主任' },
  matter: '推进改革试点中先行先试，程序存在瑕疵',
  accountability: { reference: '问〔2026〕12号', body: '区纪委监委' },
  eventDate: today,
  ...extra,
});

const determination = (today: IsoDate, extra: Record<string, unknown>) => ({
  decidedOn: today,
  decidedBy: 'authorityLeadership',
  mitigating: [],
  conditions: [],
  complex: false,
  ...extra,
});

const RAISED = ['招商项目先期投入未达预期', '审批程序简化'];

/** One path per jurisdiction; the step inputs are those the procedure tests (test/procedures) take. */
export const FULL_PATHS: Record<string, FullPath> = {
  // 滨海新区: denied, the conclusion served, an appeal filed and decided (第十七条), publication declined, archive.
  binhai: {
    jurisdiction: 'binhai',
    authority: 'binhai-jw',
    outcome: 'denied',
    documents: ['conclusionNotice', 'appealDecision'],
    openBody: (today) => opening(today),
    steps: [
      { action: 'fileApplication', body: (today) => ({ filedBy: 'subject', receivedOn: today, summary: '申请容错免责：事实、依据与建议' }) },
      {
        action: 'appointInvestigationGroup',
        body: (today) => ({ appointedOn: today, members: [{ name: '陈调查', declaresNoConflict: true }, { name: '刘调查', declaresNoConflict: true }] }),
      },
      // The subject is heard before the report (第十三条(二)).
      { action: 'recordStatement', body: (today) => ({ receivedOn: today, summary: '本人陈述：决策经过与依据' }) },
      {
        action: 'submitInvestigationReport',
        body: (today) => ({ submittedOn: today, findings: '不经论证决策造成损失', recommendation: 'denied', circumstances: ['binhai-6-3'], mitigating: ['binhai-7-1'] }),
      },
      { action: 'recordDetermination', body: (today) => determination(today, { outcome: 'denied', circumstances: [], exclusions: ['binhai-8-5'], reasons: '不经论证盲目决策造成损失' }) },
      { action: 'recordFiling', body: (today) => ({ filedOn: today }) },
      { action: 'serveNotice', body: (today) => ({ servedOn: today, servedTo: ['subject', 'subjectOrganisation'] }) },
      // Correction alongside, whatever the outcome (第二十三条(四)): here nothing is left to correct.
      { action: 'issueCorrectionList', body: () => ({ items: [], noneReason: '程序瑕疵已于调查前整改完毕' }) },
      { action: 'fileAppeal', body: (today) => ({ receivedOn: today, summary: '对不予免责结论有不同意见' }) },
      { action: 'decideAppeal', body: (today) => ({ decidedOn: today, result: 'upheld', reasons: '原结论事实清楚' }) },
      { action: 'recordPublication', body: () => ({ published: false, reason: '涉及个人隐私，不宜公开' }) },
      { action: 'archiveCase', body: (today) => ({ archivedOn: today, reference: '滨纪档〔2026〕8号' }) },
    ],
  },
  // 杭州市教育局: start approved, statement and hearing, denied by the committee, feedback served, filing, archive.
  'hangzhou-education': {
    jurisdiction: 'hangzhou-education',
    authority: 'hz-jyj',
    outcome: 'denied',
    documents: ['feedbackLetter'],
    openBody: (today) => opening(today),
    steps: [
      { action: 'fileApplication', body: (today) => ({ filedBy: 'subject', receivedOn: today, summary: '申请容错免责' }) },
      { action: 'approveStart', body: (today) => ({ approved: true, approvedOn: today, capacity: '局党委主要负责人' }) },
      { action: 'recordStatement', body: (today) => ({ receivedOn: today, summary: '当事人据实申诉，说明决策经过' }) },
      { action: 'recordHearing', body: (today) => ({ heldOn: today, summary: '召开听证会，听取各方意见' }) },
      {
        action: 'submitInvestigationReport',
        body: (today) => ({ submittedOn: today, findings: '推进集团化办学改革中出现失误', recommendation: 'exempt', circumstances: ['hz-6-2'], mitigating: [] }),
      },
      {
        action: 'recordDetermination',
        body: (today) => determination(today, { decidedBy: 'partyCommittee', outcome: 'denied', circumstances: [], exclusions: ['hz-8-3'], reasons: '未按规定程序决策' }),
      },
      // Feedback to the applicant (第九条(五)), and correction whatever the outcome (第十一条).
      { action: 'serveNotice', body: (today) => ({ servedOn: today, servedTo: ['subject'] }) },
      { action: 'issueCorrectionList', body: () => ({ items: [], noneReason: '失误已主动纠正' }) },
      { action: 'recordFiling', body: (today) => ({ filedOn: today }) },
      { action: 'archiveCase', body: (today) => ({ archivedOn: today, reference: '杭教档〔2026〕4号' }) },
    ],
  },
  // 银川: accepted (accountability suspended), an expert heard, exempted, the 认定书 served on both, archive.
  yinchuan: {
    jurisdiction: 'yinchuan',
    authority: 'yinchuan-jw',
    outcome: 'exempt',
    documents: ['determinationNotice'],
    openBody: (today) => opening(today),
    steps: [
      { action: 'fileApplication', body: (today) => ({ filedBy: 'subject', receivedOn: today, summary: '申请容错免责' }) },
      { action: 'decideAcceptance', body: (today) => ({ accepted: true, decidedOn: today }) },
      { action: 'recordParticipant', body: () => ({ kind: 'expert', name: '某大学教授', summary: '对容缺受理的风险作出评估' }) },
      {
        action: 'submitInvestigationReport',
        body: (today) => ({ submittedOn: today, findings: '容缺受理中出现偏差', recommendation: 'exempt', circumstances: ['yc-4'], mitigating: [] }),
      },
      { action: 'recordDetermination', body: (today) => determination(today, { outcome: 'exempt', circumstances: ['yc-4'], exclusions: [], reasons: '符合容错情形(四)' }) },
      { action: 'serveNotice', body: (today) => ({ servedOn: today, servedTo: ['subject'] }) },
      { action: 'serveNotice', body: (today) => ({ servedOn: today, servedTo: ['accountabilityBody'] }) },
      { action: 'archiveCase', body: (today) => ({ archivedOn: today, reference: '银纪档〔2026〕1号' }) },
    ],
  },
  // 焦作: ex officio, outside participants, the advance filing shown, exempted jointly with the accountability decision, executed, archive.
  jiaozuo: {
    jurisdiction: 'jiaozuo',
    authority: 'jiaozuo-jw',
    outcome: 'exempt',
    documents: ['determinationNotice'],
    openBody: (today) =>
      opening(today, { route: 'exOfficio', advanceFiling: { reference: '焦改备〔2026〕5号', filedWith: '市委全面深化改革领导小组', filedOn: addDays(today, -30) } }),
    steps: [
      { action: 'recordParticipant', body: () => ({ kind: 'deputy', name: '市人大代表某某', summary: '参与调查核实' }) },
      {
        action: 'submitInvestigationReport',
        body: (today) => ({ submittedOn: today, findings: '为确保工期采取特事特办措施', recommendation: 'exempt', circumstances: ['jz-4'], mitigating: [] }),
      },
      {
        action: 'recordDetermination',
        body: (today) =>
          determination(today, {
            decidedBy: 'partyCommittee',
            outcome: 'exempt',
            circumstances: ['jz-4'],
            conditions: ['jz-c1', 'jz-c2', 'jz-c3'],
            exclusions: [],
            reasons: '符合具体事项(四)',
            withAccountabilityDecision: true,
          }),
      },
      { action: 'serveNotice', body: (today) => ({ servedOn: today, servedTo: ['subject', 'subjectOrganisation'] }) },
      { action: 'recordExecution', body: (today) => ({ executedOn: today }) },
      { action: 'archiveCase', body: (today) => ({ archivedOn: today, reference: '焦容档1号' }) },
    ],
  },
  // 阳江: a county case accepted in writing, 一事一核, approved, filed with the city group, feedback, correction list reported item by item.
  yangjiang: {
    jurisdiction: 'yangjiang',
    authority: 'yangjiang-jw',
    outcome: 'exempt',
    // 二(五)4: the correction list goes out with the feedback, before it.
    documents: ['acceptanceNotice', 'correctionList', 'feedbackLetter'],
    openBody: (today) => opening(today, { route: 'application', level: 'county', raisedItems: RAISED }),
    steps: [
      { action: 'fileApplication', body: (today) => ({ filedBy: 'subject', receivedOn: today, summary: '书面申诉' }) },
      { action: 'decideAcceptance', body: (today) => ({ accepted: true, decidedOn: today }) },
      {
        action: 'submitInvestigationReport',
        body: (today) => ({
          submittedOn: today,
          findings: '招商引资中积极作为，非主观原因造成失误',
          recommendation: 'exempt',
          circumstances: ['yj-5'],
          mitigating: [],
          itemFindings: RAISED.map((item) => ({ item, finding: `${item}：属实，非主观原因` })),
        }),
      },
      {
        action: 'recordDetermination',
        body: (today) => determination(today, { outcome: 'exempt', circumstances: ['yj-5'], exclusions: [], reasons: '符合二(二)1(5)', approval: { by: '同级党委', approvedOn: today } }),
      },
      { action: 'recordFiling', body: (today) => ({ filedOn: today, reference: '阳容备〔2026〕2号' }) },
      {
        action: 'issueCorrectionList',
        body: (today) => ({
          items: [
            { id: 'C1', description: '完善招商项目先期投入评估制度', owner: '县投资促进局', dueOn: addDays(today, 30) },
            { id: 'C2', description: '补正审批档案', owner: '县行政服务中心', dueOn: addDays(today, 7) },
          ],
        }),
      },
      { action: 'serveNotice', body: (today) => ({ servedOn: today, servedTo: ['subject'] }) },
      { action: 'fileRectificationReport', body: (today) => ({ itemId: 'C1', reportedOn: today, summary: '已制定评估办法' }) },
      { action: 'fileRectificationReport', body: (today) => ({ itemId: 'C2', reportedOn: today, summary: '已补正' }) },
    ],
  },
};

export const FULL_PATH_JURISDICTIONS = Object.keys(FULL_PATHS);

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Record<string, unknown>,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${String(problem.code ?? '')} ${String(problem.detail ?? '')}`.trim());
  }
}

const NAMES: Record<string, string> = { officer: '李办案', supervisor: '张主任' };
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * True for a request whose answer was lost on the way (refused, reset, timed out): sending it again is
 * safe, because opening a case and every step carry an Idempotency-Key, and reads change nothing.
 */
function answerLost(err: unknown): boolean {
  const code = (err as { cause?: { code?: string } }).cause?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || (err as Error).name === 'TimeoutError';
}

/** A client of the API for the users of one case: a reader holding every role, and one actor per role. */
export class CaseClient {
  private readonly tokens = new Map<string, Promise<string>>();
  readonly timeoutMs: number;

  constructor(
    readonly api: FullCaseApi,
    readonly authority: string,
    /** Distinguishes the users of different cases, so no single user meets the API's write limit. */
    readonly actorId: string,
  ) {
    this.timeoutMs = api.stepTimeoutMs ?? 180_000;
  }

  private token(roles: string[]): Promise<string> {
    const key = roles.join(',');
    let token = this.tokens.get(key);
    if (!token) {
      const role = roles.length === 1 ? roles[0]! : 'reader';
      token = this.api.sign({ sub: `${role}-${this.actorId}`, name: NAMES[role] ?? '经办人', roles, authority: this.authority });
      this.tokens.set(key, token);
    }
    return token;
  }

  async request<T>(method: 'GET' | 'POST', path: string, roles: string[], body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: T }> {
    const deadline = Date.now() + this.timeoutMs;
    for (let attempt = 1; ; attempt += 1) {
      let res: Response;
      try {
        res = await fetch(`${this.api.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${await this.token(roles)}`,
            'accept-language': 'en',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...headers,
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(Math.max(1000, deadline - Date.now())),
        });
      } catch (err) {
        if (answerLost(err) && Date.now() < deadline) {
          await sleep(Math.min(2000, 100 * attempt));
          continue;
        }
        throw new Error(`${method} ${path}: ${(err as Error).message}`, { cause: err });
      }
      const text = await res.text();
      const parsed = (text ? JSON.parse(text) : {}) as T;
      if (RETRY_STATUSES.has(res.status) && Date.now() < deadline) {
        const retryAfter = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : Math.min(2000, 100 * attempt));
        continue;
      }
      return { status: res.status, body: parsed };
    }
  }

  async getCase(caseId: string): Promise<CaseState> {
    const res = await this.request<CaseState>('GET', `/v1/cases/${caseId}`, ['officer', 'supervisor']);
    if (res.status !== 200) throw new ApiError(res.status, res.body as never, `GET case ${caseId}`);
    return res.body;
  }

  /** Asks for the case until `accept` holds or the step timeout runs out. */
  async waitFor(caseId: string, what: string, accept: (state: CaseState) => boolean): Promise<CaseState> {
    const deadline = Date.now() + this.timeoutMs;
    let state: CaseState | undefined;
    for (let attempt = 1; ; attempt += 1) {
      state = await this.getCase(caseId).catch((err: unknown) => {
        // A case just opened may not answer its query yet while no worker has run its first task.
        if (err instanceof ApiError && (err.status === 404 || err.status >= 500)) return undefined;
        throw err;
      });
      if (state && accept(state)) return state;
      if (Date.now() > deadline) {
        const offered = state?.availableActions.map((a) => a.name).join(', ');
        throw new Error(`case ${caseId}: ${what} not reached within ${this.timeoutMs / 1000} s (stage ${state?.stage}, offered: ${offered})`);
      }
      await sleep(Math.min(1000, 50 * attempt));
    }
  }
}

export interface OpenedCase {
  caseId: string;
  path: FullPath;
  client: CaseClient;
}

/** Opens a case of `jurisdiction` whose event is today; safe to call again with the same idempotencyKey. */
export async function openFullCase(
  api: FullCaseApi,
  jurisdiction: string,
  options: { actorId?: string; idempotencyKey?: string; contacts?: Record<string, { email: string }> } = {},
): Promise<OpenedCase> {
  const path = FULL_PATHS[jurisdiction];
  if (!path) throw new Error(`no full path for ${jurisdiction}; there are ${FULL_PATH_JURISDICTIONS.join(', ')}`);
  const actorId = options.actorId ?? randomUUID().slice(0, 8);
  const client = new CaseClient(api, path.authority, actorId);
  const key = options.idempotencyKey ?? `full-case-${actorId}`;
  const res = await client.request<{ id: string }>('POST', '/v1/cases', ['officer'], { jurisdiction, ...path.openBody(beijingDate(Date.now())), ...(options.contacts ? { contacts: options.contacts } : {}) }, { 'idempotency-key': key });
  if (res.status !== 201) throw new ApiError(res.status, res.body as never, `open ${jurisdiction} case`);
  return { caseId: res.body.id, path, client };
}

export interface StepInfo {
  caseId: string;
  jurisdiction: string;
  index: number;
  action: ActionName;
}

/**
 * Takes one step, once: it carries an Idempotency-Key of the case and the step's place in the path,
 * so a request sent again (after a connection reset, a 503) is applied once; a step the case has not
 * taken within the API's wait (202, while a worker restarts) is asked after at its status link.
 */
async function takeStep(client: CaseClient, caseId: string, index: number, action: ActionName, role: string, body: Record<string, unknown>): Promise<void> {
  const what = `case ${caseId} step ${index + 1} ${action}`;
  const key = { 'idempotency-key': `${caseId}:${index}:${action}` };
  let res = await client.request<{ href?: string }>('POST', `/v1/cases/${caseId}/actions/${action}`, [role], body, key);
  const deadline = Date.now() + client.timeoutMs;
  while (res.status === 202 && res.body.href && Date.now() < deadline) {
    await sleep(500);
    res = await client.request<{ href?: string }>('GET', res.body.href, ['officer', 'supervisor']);
    // The server lost track of a step it never accepted (its worker died first): send it again, with the same key.
    if (res.status === 404) res = await client.request<{ href?: string }>('POST', `/v1/cases/${caseId}/actions/${action}`, [role], body, key);
  }
  if (res.status !== 200) throw new ApiError(res.status, res.body as never, what);
}

/** The role that takes an offered step: the officer where officers may, else the first role the rulebook names. */
function roleFor(offer: AvailableAction): string {
  return offer.roles.includes('officer') ? 'officer' : offer.roles[0]!;
}

/**
 * Takes the path's steps from `from` up to `to` (by default all), each once it
 * is offered; after the last step of the path, waits until the case is closed.
 * `beforeStep` runs before each step is sent (a test kills or restarts things there).
 */
export async function driveFullCase(
  opened: OpenedCase,
  options: { from?: number; to?: number; beforeStep?: (info: StepInfo) => Promise<void> | void } = {},
): Promise<CaseState> {
  const { caseId, path, client } = opened;
  const to = options.to ?? path.steps.length;
  for (let index = options.from ?? 0; index < to; index += 1) {
    const step = path.steps[index]!;
    const state = await client.waitFor(caseId, `step ${index + 1} ${step.action}`, (s) => s.availableActions.some((a) => a.name === step.action));
    const offer = state.availableActions.find((a) => a.name === step.action)!;
    await options.beforeStep?.({ caseId, jurisdiction: path.jurisdiction, index, action: step.action });
    await takeStep(client, caseId, index, step.action, roleFor(offer), step.body(beijingDate(Date.now())));
  }
  return to < path.steps.length ? client.getCase(caseId) : client.waitFor(caseId, 'closing', (s) => s.closed);
}

/** Opens a case of `jurisdiction` and takes it to its end. */
export async function runFullCase(
  api: FullCaseApi,
  jurisdiction: string,
  options: { actorId?: string; contacts?: Record<string, { email: string }>; beforeStep?: (info: StepInfo) => Promise<void> | void } = {},
): Promise<{ caseId: string; state: CaseState }> {
  const opened = await openFullCase(api, jurisdiction, options);
  return { caseId: opened.caseId, state: await driveFullCase(opened, options) };
}
