/**
 * Opening a case: number it, pin the rulebook version in force, start its
 * workflow. With an Idempotency-Key a retry gets the same case, never a second.
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { addDays, beijingDate, compareDates } from '../../domain/calendar';
import { loadStatutoryCalendar } from '../calendar/statutory-calendar';
import { CASE_MEMO, searchAttributes as sa, WORKFLOW_TYPE, type Actor, type CaseInput } from '../../domain/case/contract';
import { rulebookInForce, type IntakeRoute, type Rulebook, type RulebookParameters } from '../../domain/rulebooks';
import { currentPayloadKeyId } from '../codec/codec';
import { canonicalHash, IdempotencyConflict } from './idempotency';
import { numberNewCase } from '../../store/case-numbers';
import { saveCaseContacts, type CaseContacts } from '../../store/case-contacts';
import { findCaseRequest } from '../../store/case-requests';
import type { Db } from '../../store/db';
import type { MatterIndex } from './search-terms';

export interface OpenCaseRequest {
  jurisdiction: string;
  subject: CaseInput['subject'];
  matter: string;
  accountability: CaseInput['accountability'];
  eventDate: string;
  route?: CaseInput['route'];
  level?: CaseInput['level'];
  advanceFiling?: CaseInput['advanceFiling'];
  raisedItems?: CaseInput['raisedItems'];
  attributes?: CaseInput['attributes'];
  advanceMatters?: CaseInput['advanceMatters'];
  contacts?: CaseContacts['addresses'];
  confirmLapsedWindow?: true | undefined;
}

export interface OpenCaseDeps {
  db: Db;
  client: Client;
  taskQueue: string;
  matterIndex: MatterIndex;
  now?: () => number;
  /** The deploying body's periods where a regulation leaves them open (RULEBOOK_PARAMETERS). */
  rulebookParameters?: RulebookParameters | undefined;
  /** The version in force on a day: the shipped files' unless given (the API's catalogue adds the approved versions). */
  rulebookInForce?: ((jurisdiction: string, date: string) => Rulebook | undefined) | undefined;
}

export class NoRulebookInForce extends Error {}
export class RouteNotAllowed extends Error {}
/** The first party window counted from the event date has already run out, and the opener did not confirm it. */
export class WindowAlreadyLapsed extends Error {
  constructor(
    readonly window: { label: string; deadline: string; article: string },
    readonly eventDate: string,
  ) {
    super(`the ${window.label} window counted from ${eventDate} ended on ${window.deadline} (${window.article})`);
  }
}

/**
 * Refuses, unless confirmed, to open a case whose first party window (counted from the event date)
 * has already run out: most such openings are a mistyped year, and the case would open lapsed.
 */
async function checkFirstWindow(deps: OpenCaseDeps, rulebook: Rulebook, request: OpenCaseRequest, openedOn: string): Promise<void> {
  if (request.confirmLapsedWindow) return;
  const window = rulebook.steps.find((s) => s.kind === 'partyWindow');
  if (window?.kind !== 'partyWindow' || request.route === 'exOfficio') return;
  const { amount, unit } = window.deadline;
  // N working days or days never end before N calendar days (months: N×28): no count is needed while that is still ahead.
  if (compareDates(addDays(request.eventDate, unit === 'months' ? amount * 28 : amount), openedOn) >= 0) return;
  const counted = (await loadStatutoryCalendar({ db: deps.db })).deadline(request.eventDate, { amount, unit });
  if (compareDates(counted.deadline, openedOn) < 0) {
    throw new WindowAlreadyLapsed({ label: window.label, deadline: counted.deadline, article: window.deadline.basis.article }, request.eventDate);
  }
}

/** The routes a case may come in by: the intake's, or an application, and ex officio where the window allows it. */
function routesOf(rulebook: Rulebook): IntakeRoute[] {
  const intake = rulebook.steps.find((s) => s.kind === 'intake');
  if (intake?.kind === 'intake') return intake.routes.map((r) => r.route);
  const window = rulebook.steps.find((s) => s.kind === 'partyWindow');
  return window?.kind === 'partyWindow' && window.exOfficio ? ['application', 'exOfficio'] : ['application'];
}

export async function openCase(
  deps: OpenCaseDeps,
  actor: Actor & { authority: string },
  request: OpenCaseRequest,
  idempotencyKey?: string,
): Promise<{ caseId: string; replayed: boolean }> {
  const now = deps.now?.() ?? Date.now();
  const openedOn = beijingDate(now);
  const rulebook = (deps.rulebookInForce ?? rulebookInForce)(request.jurisdiction, openedOn);
  if (!rulebook) throw new NoRulebookInForce(`no ${request.jurisdiction} rulebook is in force on ${openedOn}`);
  const routes = routesOf(rulebook);
  if (request.route && !routes.includes(request.route)) throw new RouteNotAllowed(`${rulebook.name} accepts cases by ${routes.join(', ')}, not ${request.route}`);
  await checkFirstWindow(deps, rulebook, request, openedOn);
  const bodySha256 = canonicalHash(request);

  let caseId: string;
  let replayed = false;
  try {
    // The number, the request and where the case's notices go commit together: no number without its contacts.
    caseId = await numberNewCase(deps.db, {
      jurisdiction: request.jurisdiction,
      year: Number(openedOn.slice(0, 4)),
      request: idempotencyKey ? { by: actor, key: idempotencyKey, bodySha256 } : undefined,
      contacts: contactsOf(actor, request),
    });
  } catch (err) {
    // The key was used before, by a retry's first try or a concurrent request that won the race: answer
    // as that request did. Its statement failed whole, so no number was used up.
    const earlier = idempotencyKey ? await findCaseRequest(deps.db, actor, idempotencyKey) : undefined;
    if (!earlier) throw err;
    if (earlier.bodySha256 !== bodySha256) throw new IdempotencyConflict(idempotencyKey!);
    caseId = earlier.caseId;
    replayed = true;
  }

  const input: CaseInput = {
    caseId,
    rulebook,
    authority: actor.authority,
    subject: request.subject,
    matter: request.matter,
    accountability: request.accountability,
    eventDate: request.eventDate,
    route: request.route,
    level: request.level,
    advanceFiling: request.advanceFiling,
    raisedItems: request.raisedItems,
    attributes: request.attributes,
    advanceMatters: request.advanceMatters,
    // Pinned with the rulebook: a later change of the deployment's parameters never moves a running case.
    parameters: deps.rulebookParameters?.[rulebook.id],
    openedBy: { sub: actor.sub, name: actor.name },
    openedAt: new Date(now).toISOString(),
  };
  // Before the workflow starts, so its first notice already finds them. A retry finds them saved with its
  // number, unless that first try was made before they were saved together; the first row is kept.
  if (replayed) await saveCaseContacts(deps.db, { caseId, ...contactsOf(actor, request) });
  // USE_EXISTING: a retry after a start that did happen finds that workflow, not an error.
  // REJECT_DUPLICATE: a case id names one case for ever, never a second run after it closed.
  try {
    await startCaseWorkflow(deps, caseId, input, rulebook.id, actor.authority, request.matter);
  } catch (err) {
    // Only a retry can meet its own case already closed; a fresh number never names a closed case.
    if (!(err instanceof WorkflowExecutionAlreadyStartedError && replayed)) throw err;
  }
  return { caseId, replayed };
}

function contactsOf(actor: Actor & { authority: string }, request: OpenCaseRequest): Omit<CaseContacts, 'caseId'> {
  return { authority: actor.authority, responsible: { sub: actor.sub, name: actor.name }, subjectUserId: request.subject.userId, addresses: request.contacts ?? {} };
}

function startCaseWorkflow(deps: OpenCaseDeps, caseId: string, input: CaseInput, jurisdiction: string, authority: string, matter: string) {
  const payloadKey = currentPayloadKeyId(deps.client.options.loadedDataConverter);
  return deps.client.workflow.start(WORKFLOW_TYPE, {
    workflowId: caseId,
    taskQueue: deps.taskQueue,
    args: [input],
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    // Search attributes are stored in clear: hashes of the matter's terms, never its words.
    typedSearchAttributes: [
      { key: sa.caseId, value: caseId },
      { key: sa.jurisdiction, value: jurisdiction },
      { key: sa.authority, value: authority },
      { key: sa.stage, value: 'opened' },
      { key: sa.matterTerms, value: deps.matterIndex.terms(authority, matter) },
      ...(payloadKey ? [{ key: sa.payloadKey, value: payloadKey }] : []),
    ],
    // The memo is a payload, so it is encrypted: the case list shows the matter from it.
    memo: { [CASE_MEMO.matter]: matter },
    staticSummary: `${input.rulebook.name} ${caseId}`,
  });
}
