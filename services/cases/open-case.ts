/**
 * Opening a case: number it, pin the rulebook version in force, start its
 * workflow, as one operation: the number commits with the case's sealed input
 * in the outbox of openings (store/case-openings.ts), and the workflow starts
 * from there (services/cases/opening-relay.ts). With an Idempotency-Key a
 * retry gets the same case, never a second, and never a second run.
 */
import type { Client } from '@temporalio/client';
import { addDays, beijingDate, compareDates } from '../../domain/calendar';
import { loadStatutoryCalendar } from '../calendar/statutory-calendar';
import type { Actor, CaseInput } from '../../domain/case/contract';
import { rulebookInForce, type IntakeRoute, type Rulebook, type RulebookParameters } from '../../domain/rulebooks';
import { canonicalHash, IdempotencyConflict } from './idempotency';
import { numberNewCase } from '../../store/case-numbers';
import { saveCaseContacts, type CaseContacts } from '../../store/case-contacts';
import { saveCaseOpening } from '../../store/case-openings';
import { recordCaseKey } from '../../store/case-payload-keys';
import { currentPayloadKeyId } from '../codec/codec';
import { findCaseRequest } from '../../store/case-requests';
import type { Db } from '../../store/db';
import { sealCaseInput, startCaseOpening, type OpeningLogger } from './opening-relay';
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
  /** Told why a start failed (the relay starts the case later). */
  logger?: OpeningLogger | undefined;
  /**
   * Runs once the number is committed and before the workflow starts: the crash test kills the process
   * here (test/cases/opening-crash.test.ts). Nothing else sets it.
   */
  afterNumbering?: ((caseId: string) => Promise<void>) | undefined;
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
): Promise<{ caseId: string; replayed: boolean; started: boolean }> {
  const now = deps.now?.() ?? Date.now();
  const openedOn = beijingDate(now);
  const rulebook = (deps.rulebookInForce ?? rulebookInForce)(request.jurisdiction, openedOn);
  if (!rulebook) throw new NoRulebookInForce(`no ${request.jurisdiction} rulebook is in force on ${openedOn}`);
  const routes = routesOf(rulebook);
  if (request.route && !routes.includes(request.route)) throw new RouteNotAllowed(`${rulebook.name} accepts cases by ${routes.join(', ')}, not ${request.route}`);
  await checkFirstWindow(deps, rulebook, request, openedOn);
  const bodySha256 = canonicalHash(request);
  const year = Number(openedOn.slice(0, 4));
  const inputOf = (caseId: string): CaseInput => ({
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
  });

  let caseId: string;
  let replayed = false;
  let fresh: { input: CaseInput; matterTerms: string[] } | undefined;
  try {
    // One transaction: the number, the request, where the case's notices go, and the case's sealed input in
    // the outbox of openings. Either all of it commits, and the case will be started from its opening, or none
    // of it, and the number stays free: no number is ever left without its case.
    caseId = await deps.db.transaction(async (tx) => {
      const id = await numberNewCase(tx, {
        jurisdiction: request.jurisdiction,
        year,
        request: idempotencyKey ? { by: actor, key: idempotencyKey, bodySha256 } : undefined,
        contacts: contactsOf(actor, request),
      });
      fresh = { input: inputOf(id), matterTerms: deps.matterIndex.terms(actor.authority, request.matter) };
      await saveCaseOpening(tx, { caseId: id, sealedInput: await sealCaseInput(deps.client, id, fresh.input), matterTerms: fresh.matterTerms });
      // The key the case is opened with, with its number: the start-up key check knows it from the first moment.
      const keyId = currentPayloadKeyId(deps.client.options.loadedDataConverter);
      if (keyId) await recordCaseKey(tx, id, keyId);
      return id;
    });
  } catch (err) {
    // The key was used before, by a retry's first try or a concurrent request that won the race: answer
    // as that request did. Its transaction failed whole, so no number was used up.
    const earlier = idempotencyKey ? await findCaseRequest(deps.db, actor, idempotencyKey) : undefined;
    if (!earlier) throw err;
    if (earlier.bodySha256 !== bodySha256) throw new IdempotencyConflict(idempotencyKey!);
    caseId = earlier.caseId;
    replayed = true;
    fresh = undefined;
  }
  // A retry finds the contacts saved with its number, unless that first try was made before they were
  // saved together; the first row is kept.
  if (replayed) await saveCaseContacts(deps.db, { caseId, ...contactsOf(actor, request) });
  await deps.afterNumbering?.(caseId);
  // Started from its opening, as the relay would: a retry starts the case its first try numbered (if that
  // start never happened), and never one whose opening says it was started, whatever Temporal still holds.
  const started = await startCaseOpening({ db: deps.db, client: deps.client, taskQueue: deps.taskQueue, ...(deps.logger ? { logger: deps.logger } : {}) }, caseId, fresh);
  return { caseId, replayed, started };
}

function contactsOf(actor: Actor & { authority: string }, request: OpenCaseRequest): Omit<CaseContacts, 'caseId'> {
  return { authority: actor.authority, responsible: { sub: actor.sub, name: actor.name }, subjectUserId: request.subject.userId, addresses: request.contacts ?? {} };
}
