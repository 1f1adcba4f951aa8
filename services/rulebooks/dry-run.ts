/**
 * A dry run of a rulebook version before it is in force: the real case
 * workflow, the real activities and the real statutory calendar, on a
 * time-skipping Temporal test server and a throwaway in-memory archive of its
 * own (the real archive's loaded calendar years copied in), so no real case,
 * number or notice is touched. One case is opened on the day asked and taken
 * along a path (the main one, or the outcome, route and appeal asked for),
 * each step on the day it is offered, time skipped to the next deadline when
 * nothing is offered; then every deadline with its last day and article, and
 * every document issued, are read from the case. Each sample input runs in a
 * world of its own, taken along the same path until its step is offered, and
 * answers with the refusal it gets (or that it was taken).
 *
 * Runs one at a time per process: a time-skipping server's clock is shared by
 * everything on it, and a run holds a server, a worker and a database.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import type { Authorities } from '../../config/authorities';
import { INDEXED_VALUE_TYPE } from '../../config/dev-server';
import { beijingDate, beijingMidnight, compareDates, type IsoDate, type YearSchedule } from '../../domain/calendar';
import {
  actionUpdate,
  ALL_SEARCH_ATTRIBUTES,
  caseProgressQuery,
  caseStateQuery,
  WORKFLOW_TYPE,
  type ActionName,
  type Actor,
  type AvailableAction,
  type CaseInput,
  type CaseState,
} from '../../domain/case/contract';
import { INTAKE_ROUTES, type Basis, type IntakeRoute, type Outcome, type Rulebook, type Step, type StepOf } from '../../domain/rulebooks/schema';
import { openDb, type Db } from '../../store/db';
import { listLoadedYears, saveLoadedYear } from '../../store/calendar-years';
import { recipientsOf } from '../../workflows/blocks/recipients';
import { caseDataConverter } from '../codec/codec';
import { parsePayloadKeys, payloadKeyring } from '../codec/keys';

export interface DryRunPath {
  /** The conclusion the path reaches; the main path's: 免责 where the rulebook allows it, else its first. */
  outcome?: Outcome | undefined;
  /** How the case comes in, where the rulebook has more than one route. */
  route?: IntakeRoute | undefined;
  /** Whether the party applies (default yes); without, the case goes on ex officio where the rule allows, or ends. */
  apply?: boolean | undefined;
  /** Whether the application is accepted, where the rulebook decides acceptance (default yes). */
  accept?: boolean | undefined;
  /** Whether the conclusion is appealed (default no: the appeal window runs out). */
  appeal?: boolean | undefined;
  /** The level of the deciding authority, where the rulebook files by level (default county, so the filing is tried). */
  level?: 'city' | 'county' | undefined;
  attributes?: Record<string, boolean> | undefined;
}

export interface DryRunSample {
  /** What the sample is, in the caller's words (`申请逾期`). */
  label?: string | undefined;
  action: ActionName;
  /** The step's body, as POST /v1/cases/{id}/actions/{action} takes it. */
  input: Record<string, unknown>;
  /** Sent on this day (time skipped to it, within the path), or when the step is first offered. */
  on?: IsoDate | undefined;
}

export interface DryRunRequest {
  openingDate: IsoDate;
  path: 'main' | DryRunPath;
  samples?: DryRunSample[] | undefined;
}

export interface DryRunDeadline {
  key: string;
  label: string;
  binds: 'party' | 'authority' | 'recording';
  from: IsoDate;
  amount: number;
  unit: string;
  lastDay: IsoDate;
  provisional: boolean;
  status: string;
  article: string;
  quote: string;
}

export interface DryRunRefusal {
  label?: string | undefined;
  action: ActionName;
  /** The day it was sent, or absent where its step was never offered on the path. */
  on?: IsoDate | undefined;
  refused: boolean;
  /** The refusal's type (WindowClosed, InvalidInput, OutcomeNotAllowed…), message and article. */
  type?: string | undefined;
  message?: string | undefined;
  article?: string | undefined;
  /** Why the sample could not be tried: its step is never offered on this path. */
  notOffered?: true | undefined;
}

export interface DryRunResult {
  rulebook: { id: string; version: string; revision: number; name: string };
  openingDate: IsoDate;
  path: Required<Pick<DryRunPath, 'outcome' | 'apply' | 'accept' | 'appeal'>> & DryRunPath;
  /** The case ran to its end (closed) on the path. */
  completed: boolean;
  outcome?: string | undefined;
  closedOn?: IsoDate | undefined;
  /** Where and why a path that did not complete stopped. */
  stoppedAt?: { stage: string; reason: string; refusal?: { type: string; message: string; article?: string | undefined } | undefined } | undefined;
  /** The steps taken, in order, each on its day. */
  steps: { action: ActionName; label: string; stage: string; on: IsoDate }[];
  deadlines: DryRunDeadline[];
  /** Outer limits (the furthest an investigation may be extended, a decision deferred). */
  limits: { key: string; label: string; lastDay: IsoDate; article: string }[];
  documents: { kind: string; title: string; number: string; article: string; issuedOn: IsoDate; recipients: string[]; copyTo: string[] }[];
  refusals: DryRunRefusal[];
  /** How it ran, so a reader can tell a dry run from a case. */
  engine: string;
}

export class DryRunUnavailable extends Error {}
export class DryRunBusy extends Error {}
export class DryRunInvalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DryRunnerOptions {
  /** The time-skipping test server (TEMPORAL_TEST_SERVER_PATH). */
  testServerPath: string;
  /** The workflow bundle the workers run (WORKFLOW_BUNDLE_PATH, or built from source once). */
  workflowBundle: () => Promise<WorkflowBundle>;
  /** The real archive, whose loaded calendar years the dry run counts with. */
  db: Db;
  publishedSchedules?: ReadonlyMap<number, YearSchedule> | undefined;
  authorities?: Authorities | undefined;
  /** The longest a whole dry run may take (default 180 s); then it answers where it had got to. */
  timeoutMs?: number;
  /** Samples a run tries at most. */
  maxSamples?: number;
}

const ROLE_NAMES: Record<string, string> = { officer: '办案人员', supervisor: '审核领导', auditor: '审计人员', admin: '管理员' };
const actorFor = (offer: AvailableAction | undefined): Actor => {
  const role = offer?.roles[0] ?? 'officer';
  return { sub: `dry-run-${role}`, name: `试运行${ROLE_NAMES[role] ?? role}`, roles: [role] };
};

/** The step of the rulebook an action belongs to, preferring the one at the case's stage. */
const KIND_OF: Partial<Record<ActionName, Step['kind'][]>> = {
  fileApplication: ['partyWindow', 'intake'],
  decideExOfficio: ['partyWindow'],
  decideAcceptance: ['acceptance'],
  approveStart: ['startApproval'],
  appointInvestigationGroup: ['investigation'],
  recordStatement: ['investigation'],
  submitInvestigationReport: ['investigation'],
  recordDetermination: ['deliberation'],
  recordFiling: ['filing'],
  serveNotice: ['notice'],
  fileAppeal: ['appeal'],
  decideAppeal: ['appeal'],
  recordExecution: ['execution'],
  issueCorrectionList: ['correction'],
  recordPublication: ['publication'],
  archiveCase: ['archive'],
  recordFollowUpVisit: ['followUp'],
};

/** The steps a path takes when offered, in this order of preference; any other offer (recusal, extension, withdrawal…) is left. */
const PATH_ACTIONS: ActionName[] = [
  'fileApplication',
  'decideExOfficio',
  'decideAcceptance',
  'approveStart',
  'appointInvestigationGroup',
  'recordStatement',
  'submitInvestigationReport',
  'recordDetermination',
  'recordFiling',
  'issueCorrectionList',
  'serveNotice',
  'fileAppeal',
  'decideAppeal',
  'recordExecution',
  'recordPublication',
  'archiveCase',
  'recordFollowUpVisit',
];
/**
 * How often a path takes each step: once (a step that stays on offer after it, such as re-forming the
 * group or another statement, changes nothing the dry run shows), the notice and its filing twice (a
 * conclusion revised on appeal is served and filed again).
 */
const TIMES: Partial<Record<ActionName, number>> = { serveNotice: 2, recordFiling: 2 };

function stepFor(rulebook: Rulebook, state: CaseState, action: ActionName): Step | undefined {
  const kinds = KIND_OF[action] ?? [];
  const candidates = rulebook.steps.filter((s) => kinds.includes(s.kind));
  const here = [state.stage, ...(state.alongside ?? [])];
  return candidates.find((s) => here.includes(s.stage)) ?? candidates[0];
}

function deliberationOf(rulebook: Rulebook): StepOf<'deliberation'> | undefined {
  return rulebook.steps.find((s): s is StepOf<'deliberation'> => s.kind === 'deliberation');
}

/** The path as it will be taken: the main path's choices where the caller made none. */
function resolvePath(rulebook: Rulebook, path: DryRunRequest['path']): DryRunResult['path'] {
  const asked = path === 'main' ? {} : path;
  const deliberation = deliberationOf(rulebook);
  const outcomes = deliberation?.outcomes ?? [];
  const outcome = asked.outcome ?? (outcomes.includes('exempt') ? 'exempt' : (outcomes[0] ?? 'exempt'));
  if (deliberation && !outcomes.includes(outcome)) throw new DryRunInvalid('path.outcome', `is not an outcome this rulebook decides (${outcomes.join(', ')})`);
  const intake = rulebook.steps.find((s): s is StepOf<'intake'> => s.kind === 'intake');
  const route = asked.route ?? (intake ? (intake.routes.find((r) => r.route === 'application') ?? intake.routes[0])!.route : undefined);
  const levelled = rulebook.steps.some((s) => s.kind === 'filing' && s.onlyForLevel);
  return {
    ...asked,
    outcome,
    route,
    apply: asked.apply ?? true,
    accept: asked.accept ?? true,
    appeal: asked.appeal ?? false,
    level: asked.level ?? (levelled ? 'county' : undefined),
  };
}

/** The catalogue items a determination of `outcome` cites so the rule's requirements for it are met. */
function groundsFor(rulebook: Rulebook, outcome: Outcome, attributes: Record<string, boolean>) {
  const deliberation = deliberationOf(rulebook);
  const rules = !deliberation?.toleranceRequires ? [] : Array.isArray(deliberation.toleranceRequires) ? deliberation.toleranceRequires : [deliberation.toleranceRequires];
  const rule = rules.find((r) => r.outcomes.includes(outcome));
  const usable = (i: { requiresAttribute?: string | undefined }) => !i.requiresAttribute || attributes[i.requiresAttribute] === true;
  const supports = (i: { supports?: Outcome[] | undefined }, catalogue: 'eligible' | 'mitigating') =>
    (i.supports ?? (catalogue === 'eligible' ? ['exempt', 'mitigated', 'lenient'] : ['mitigated', 'lenient'])).includes(outcome);
  const tolerant = outcome !== 'denied';
  const eligible = tolerant ? (rulebook.catalogues.eligible?.items ?? []).filter(usable).find((i) => supports(i, 'eligible')) : undefined;
  const mitigating = tolerant && (outcome === 'mitigated' || outcome === 'lenient') ? (rulebook.catalogues.mitigating?.items ?? []).filter(usable).find((i) => supports(i, 'mitigating')) : undefined;
  const conditions: string[] = [];
  if (rule?.allConditions) {
    const seen = new Set<string>();
    for (const item of rulebook.catalogues.conditions?.items ?? []) {
      const group = item.group ?? item.id;
      if (!seen.has(group)) conditions.push(item.id);
      seen.add(group);
    }
  }
  const excluded = !tolerant ? rulebook.catalogues.excluded?.items[0] : undefined;
  return {
    circumstances: eligible ? [eligible.id] : [],
    mitigating: mitigating ? [mitigating.id] : [],
    conditions,
    exclusions: excluded ? [excluded.id] : [],
  };
}

const SUMMARY = '（试运行）';

/** The body the path sends for an action, from the rulebook and the case as it stands. */
function inputFor(action: ActionName, rulebook: Rulebook, state: CaseState, path: DryRunResult['path'], raisedItems: string[], today: IsoDate): Record<string, unknown> | undefined {
  const step = stepFor(rulebook, state, action);
  const grounds = groundsFor(rulebook, path.outcome, path.attributes ?? {});
  switch (action) {
    case 'fileApplication': {
      const filers = step?.kind === 'partyWindow' ? step.filers : ['subject'];
      const contents = rulebook.applicationContents ? Object.fromEntries(rulebook.applicationContents.parts.map((p) => [p.id, `${SUMMARY}${p.label}`])) : undefined;
      return { filedBy: filers[0], receivedOn: today, summary: `${SUMMARY}申请容错免责`, ...(contents ? { contents } : {}) };
    }
    case 'decideExOfficio':
      return { proceed: true, decidedOn: today, reasons: `${SUMMARY}依职权继续审查` };
    case 'decideAcceptance':
      return path.accept ? { accepted: true, decidedOn: today } : { accepted: false, decidedOn: today, reason: `${SUMMARY}不符合受理条件` };
    case 'approveStart':
      return { approved: true, approvedOn: today, capacity: step?.kind === 'startApproval' ? step.approverCapacity : '主要负责人' };
    case 'appointInvestigationGroup': {
      const size = step?.kind === 'investigation' ? (step.group?.minMembers ?? 2) : 2;
      return { appointedOn: today, members: Array.from({ length: size }, (_, i) => ({ name: `试运行调查组成员${i + 1}`, declaresNoConflict: true })) };
    }
    case 'recordStatement': {
      const from = step?.kind === 'investigation' && step.hearSubject?.from === 'applicant' ? state.application?.filedBy : undefined;
      return { receivedOn: today, summary: `${SUMMARY}当事人陈述`, ...(from ? { by: from } : {}) };
    }
    case 'submitInvestigationReport':
      return {
        submittedOn: today,
        findings: `${SUMMARY}调查认定的事实`,
        recommendation: path.outcome,
        circumstances: grounds.circumstances,
        mitigating: grounds.mitigating,
        ...(step?.kind === 'investigation' && step.scopeLimited ? { itemFindings: raisedItems.map((item) => ({ item, finding: `${SUMMARY}经核实` })) } : {}),
      };
    case 'recordDetermination': {
      const d = step?.kind === 'deliberation' ? step : deliberationOf(rulebook);
      return {
        decidedOn: today,
        decidedBy: d?.deciders[0]?.id ?? 'authorityLeadership',
        outcome: path.outcome,
        ...grounds,
        reasons: `${SUMMARY}集体研究认定`,
        complex: false,
        ...(d?.approval ? { approval: { by: d.approval.by[0], approvedOn: today } } : {}),
      };
    }
    case 'recordFiling':
      return { filedOn: today, reference: `${SUMMARY}备案` };
    case 'issueCorrectionList':
      return { items: [], noneReason: `${SUMMARY}无需纠错的事项` };
    case 'serveNotice':
      return step?.kind === 'notice' ? { servedOn: today, servedTo: recipientsOf(step, state) } : undefined;
    case 'fileAppeal': {
      if (!path.appeal) return undefined;
      const filers = step?.kind === 'appeal' ? step.filers : undefined;
      return { receivedOn: today, summary: `${SUMMARY}对结论不服提出申诉`, ...(filers ? { filedBy: filers[0] } : {}) };
    }
    case 'decideAppeal':
      return { decidedOn: today, result: 'upheld', reasons: `${SUMMARY}维持原结论` };
    case 'recordExecution':
      return { executedOn: today, accountabilityResult: `${SUMMARY}问责结果`, rectificationOrder: `${SUMMARY}责令整改` };
    case 'recordPublication':
      return { published: true, publishedOn: today, scope: `${SUMMARY}本单位` };
    case 'archiveCase':
      return { archivedOn: today, reference: `${SUMMARY}归档` };
    case 'recordFollowUpVisit':
      return { visitedOn: today, summary: `${SUMMARY}回访谈话` };
    default:
      return undefined;
  }
}

/** Waits until the case is at rest or closed (a closed case's last effects, the archival copies and dossier, are not waited for). */
async function rested(handle: WorkflowHandle, deadline: number): Promise<CaseState> {
  for (;;) {
    const progress = await handle.query(caseProgressQuery);
    if (progress.closed || (progress.atRest && progress.effectsInFlight === 0)) return handle.query(caseStateQuery);
    if (Date.now() > deadline) throw new DryRunTimeout();
    await new Promise((r) => setTimeout(r, 25));
  }
}

class DryRunTimeout extends Error {}

/** When the case recorded a document as issued (its timeline is on the case's clock). */
const issuedAt = (state: CaseState, number: string) => state.timeline.find((t) => t.event === 'documentIssued' && t.detail?.endsWith(number))?.at;

/**
 * The SDK's runtime logs only warnings in a process that has none yet (the API on its own): a dry
 * run's worker would otherwise print every state change. A worker in the same process (npm start)
 * has installed its own, which stands.
 */
function quietRuntime(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { DefaultLogger, Runtime } = require('@temporalio/worker') as typeof import('@temporalio/worker');
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Installed already.
  }
}

interface World {
  env: TestWorkflowEnvironment;
  today(): Promise<IsoDate>;
}

const refusalOf = (err: unknown) => {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause as { type?: string; message?: string; details?: unknown[] } | undefined;
  const basis = (cause?.details?.[0] as { basis?: Basis } | undefined)?.basis;
  return { type: String(cause?.type ?? 'Refused'), message: cause?.message ?? '', article: basis?.article };
};

export class DryRunner {
  private queue: Promise<unknown> = Promise.resolve();
  private waiting = 0;
  private image: Promise<Blob> | undefined;
  private sequence = 0;

  constructor(private readonly options: DryRunnerOptions) {}

  /** One run after another; at most two wait, a third is told to come back. */
  run(rulebook: Rulebook, request: DryRunRequest, authority: string): Promise<DryRunResult> {
    if (this.waiting >= 2) return Promise.reject(new DryRunBusy('two dry runs are already waiting'));
    const path = resolvePath(rulebook, request.path);
    if ((request.samples?.length ?? 0) > (this.options.maxSamples ?? 10)) throw new DryRunInvalid('samples', `must be at most ${this.options.maxSamples ?? 10}`);
    this.waiting += 1;
    const run = this.queue.then(() => {
      this.waiting -= 1;
      return this.runNow(rulebook, request, path, authority);
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async runNow(rulebook: Rulebook, request: DryRunRequest, path: DryRunResult['path'], authority: string): Promise<DryRunResult> {
    const deadline = Date.now() + (this.options.timeoutMs ?? 180_000);
    const main = await this.inWorld(rulebook, request.openingDate, async (world, db) => this.drive(world, db, rulebook, request.openingDate, path, authority, deadline));
    const refusals: DryRunRefusal[] = [];
    for (const sample of request.samples ?? []) {
      const answer = await this.inWorld(rulebook, request.openingDate, (world, db) => this.drive(world, db, rulebook, request.openingDate, path, authority, deadline, sample));
      refusals.push(answer.sample ?? { label: sample.label, action: sample.action, refused: false, notOffered: true });
    }
    return { ...main.result, refusals };
  }

  /** A world of its own: a time-skipping server, a throwaway archive with the real calendar years, a worker. */
  private async inWorld<T>(rulebook: Rulebook, openingDate: IsoDate, work: (world: World, db: Db) => Promise<T>): Promise<T> {
    const fs = await import('node:fs');
    quietRuntime();
    if (!fs.existsSync(this.options.testServerPath)) throw new DryRunUnavailable(`the time-skipping test server is not at ${this.options.testServerPath} (TEMPORAL_TEST_SERVER_PATH)`);
    const [{ TestWorkflowEnvironment }, { createCaseWorker }, { migratedPgliteImage }] = await Promise.all([import('@temporalio/testing'), import('../../worker/worker'), import('../../store/db')]);
    // A key of this run only: nothing it seals can be read, or sent into a case, anywhere else.
    const dataConverter = caseDataConverter(payloadKeyring(parsePayloadKeys(`dry-run:${randomBytes(32).toString('base64')}`)));
    this.image ??= migratedPgliteImage();
    const [env, db] = await Promise.all([
      TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: this.options.testServerPath } }, client: { dataConverter } }),
      this.image.then((pgliteImage) => openDb({ pgliteDir: 'memory://', pgliteImage })),
    ]);
    try {
      await env.connection.operatorService.addSearchAttributes({
        namespace: env.namespace ?? 'default',
        searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED_VALUE_TYPE[k.type]])),
      });
      // The real calendar: the package's published years and the years loaded into the real archive.
      for (const year of await listLoadedYears(this.options.db)) await saveLoadedYear(db, year, year.loadedBy);
      const worker = await createCaseWorker({
        connection: env.nativeConnection,
        namespace: env.namespace ?? 'default',
        taskQueue: `dry-run-${rulebook.id}`,
        dependencies: { db, client: env.client, publishedSchedules: this.options.publishedSchedules, authorities: this.options.authorities },
        dataConverter,
        workflowBundle: await this.options.workflowBundle(),
      });
      const world: World = { env, today: async () => beijingDate(await env.currentTimeMs()) };
      // The case opens on the opening day, in the morning (Beijing time).
      const opensAt = beijingMidnight(openingDate) + 9 * 3_600_000;
      const now = await env.currentTimeMs();
      if (opensAt > now) await env.sleep(opensAt - now);
      return await worker.runUntil(work(world, db));
    } finally {
      await env.teardown().catch(() => undefined);
      await db.close().catch(() => undefined);
    }
  }

  private async drive(
    world: World,
    _db: Db,
    rulebook: Rulebook,
    openingDate: IsoDate,
    path: DryRunResult['path'],
    authority: string,
    deadline: number,
    sample?: DryRunSample,
  ): Promise<{ result: Omit<DryRunResult, 'refusals'>; sample?: DryRunRefusal }> {
    const { env } = world;
    this.sequence += 1;
    const year = openingDate.slice(0, 4);
    const scopeLimited = rulebook.steps.some((s) => s.kind === 'investigation' && s.scopeLimited);
    const raisedItems = scopeLimited ? [`${SUMMARY}反映的问题`] : [];
    const input: CaseInput = {
      caseId: `case-${rulebook.id}-${year}-${String(9000 + (this.sequence % 1000)).padStart(4, '0')}`,
      rulebook,
      authority,
      subject: { name: '试运行当事人', organisation: `${SUMMARY}所在单位`, position: '干部' },
      matter: `${SUMMARY}规则试运行的案件`,
      accountability: { reference: `${SUMMARY}问责1号` },
      eventDate: openingDate,
      openedBy: { sub: 'dry-run-officer', name: '试运行办案人员' },
      openedAt: new Date(await env.currentTimeMs()).toISOString(),
      route: path.route,
      level: path.level,
      attributes: path.attributes,
      raisedItems: raisedItems.length ? raisedItems : undefined,
    };
    if (input.route === 'application' && !path.apply) {
      const window = rulebook.steps.find((s) => s.kind === 'partyWindow');
      if (window?.kind === 'partyWindow' && window.exOfficio) input.route = undefined;
    }
    if (input.route && !INTAKE_ROUTES.includes(input.route)) throw new DryRunInvalid('path.route', 'is not an intake route');
    const handle = await env.client.workflow.start(WORKFLOW_TYPE, { args: [input], taskQueue: `dry-run-${rulebook.id}`, workflowId: input.caseId });
    const steps: DryRunResult['steps'] = [];
    const taken = new Map<ActionName, number>();
    let stoppedAt: DryRunResult['stoppedAt'];
    let state: CaseState | undefined;
    let sampleAnswer: DryRunRefusal | undefined;
    try {
      state = await rested(handle, deadline);
      for (let i = 0; i < 300 && !state.closed; i += 1) {
        const today = await world.today();
        const current: CaseState = state;
        const offered = current.availableActions;
        if (sample && offered.some((a) => a.name === sample.action) && (!sample.on || compareDates(sample.on, today) <= 0)) {
          const offer = offered.find((a) => a.name === sample.action);
          try {
            await handle.executeUpdate(actionUpdate(sample.action), { args: [{ ...sample.input, actor: actorFor(offer) } as never] });
            sampleAnswer = { label: sample.label, action: sample.action, on: today, refused: false };
          } catch (err) {
            const refusal = refusalOf(err);
            if (!refusal) throw err;
            sampleAnswer = { label: sample.label, action: sample.action, on: today, refused: true, ...refusal };
          }
          break;
        }
        const next = PATH_ACTIONS.map((name) => offered.find((a) => a.name === name))
          .filter((a): a is AvailableAction => a !== undefined)
          .filter((a) => (taken.get(a.name) ?? 0) < (TIMES[a.name] ?? 1))
          .map((a) => ({ offer: a, body: a.name === 'fileApplication' && !path.apply ? undefined : inputFor(a.name, rulebook, current, path, raisedItems, today) }))
          .find((c) => c.body !== undefined);
        // A sample that waits for a later day: let time pass to it before the next step.
        if (sample?.on && compareDates(sample.on, today) > 0 && offered.some((a) => a.name === sample.action)) {
          await env.sleep(beijingMidnight(sample.on) + 9 * 3_600_000 - (await env.currentTimeMs()));
          state = await rested(handle, deadline);
          continue;
        }
        if (next) {
          try {
            await handle.executeUpdate(actionUpdate(next.offer.name), { args: [{ ...next.body, actor: actorFor(next.offer) } as never] });
          } catch (err) {
            const refusal = refusalOf(err);
            if (!refusal) throw err;
            stoppedAt = { stage: state.stage, reason: `${next.offer.label}（${next.offer.name}）被拒绝`, refusal };
            break;
          }
          taken.set(next.offer.name, (taken.get(next.offer.name) ?? 0) + 1);
          steps.push({ action: next.offer.name, label: next.offer.label, stage: state.stage, on: today });
          state = await rested(handle, deadline);
          continue;
        }
        // Nothing to take: let time pass to the next deadline (a window running out, a reminder).
        const now = await env.currentTimeMs();
        const pending = state.deadlines.filter((d) => d.status === 'pending').map((d) => Date.parse(d.endsAt)).filter((t) => t > now);
        const wake = pending.length > 0 ? Math.min(...pending) + 1_000 : state.followUp ? now + 31 * 86_400_000 : undefined;
        if (wake === undefined) {
          stoppedAt = { stage: state.stage, reason: `案件在“${state.stage}”阶段等待，试运行路径上没有可办理的步骤（可办理：${offered.map((a) => a.name).join('、') || '无'}）` };
          break;
        }
        await env.sleep(wake - now);
        state = await rested(handle, deadline);
      }
    } catch (err) {
      if (!(err instanceof DryRunTimeout)) throw err;
      stoppedAt = { stage: state?.stage ?? 'opened', reason: '试运行超时' };
    }
    state = await handle.query(caseStateQuery);
    await handle.terminate('dry run done').catch(() => undefined);
    const closedOn = state.closed ? state.timeline.filter((t) => t.event === 'caseClosed').at(-1)?.at : undefined;
    return {
      result: {
        rulebook: { id: rulebook.id, version: rulebook.version, revision: rulebook.revision, name: rulebook.name },
        openingDate,
        path,
        completed: state.closed,
        outcome: state.outcome,
        closedOn: closedOn ? beijingDate(Date.parse(closedOn)) : undefined,
        stoppedAt: state.closed ? undefined : stoppedAt,
        steps,
        deadlines: state.deadlines.map((d) => ({
          key: d.key,
          label: d.label,
          binds: d.binds,
          from: d.from,
          amount: d.amount,
          unit: d.unit,
          lastDay: d.deadline,
          provisional: d.provisional,
          status: d.status,
          article: d.basis.article,
          quote: d.basis.quote,
        })),
        limits: state.limits.map((l) => ({ key: l.key, label: l.label, lastDay: l.deadline, article: l.basis.article })),
        documents: state.documents.map((d) => ({
          kind: d.kind,
          title: d.title,
          number: d.number,
          article: d.basis.article,
          // The case's day, not the activity's: its clock is the real one, while the case's skips ahead.
          issuedOn: beijingDate(Date.parse(issuedAt(state, d.number) ?? d.issuedAt)),
          recipients: d.recipients,
          copyTo: d.copyTo,
        })),
        engine: 'the case workflow on a time-skipping Temporal test server, with a throwaway archive and the real statutory calendar',
      },
      sample: sampleAnswer,
    };
  }
}

