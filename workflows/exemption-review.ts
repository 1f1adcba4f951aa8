/**
 * 容错免责: one case, from the authority's notice to the subject until it
 * closes, as the jurisdiction's rulebook prescribes. The workflow interprets
 * the rulebook's steps with a small set of building blocks; the rulebook
 * version arrives in the input, so a later amendment never changes a running
 * case or its replay.
 *
 * However it ends (its course run, withdrawn, or cancelled from the Temporal
 * UI) the case closes with its dossier written; a terminated one is written
 * by the dossier sweep (activities/dossiers.ts).
 */
import { allHandlersFinished, CancellationScope, isCancellation, setHandler } from '@temporalio/workflow';
import { calendarUpdatedSignal, caseProgressQuery, caseStateQuery, RefusalType, type CaseInput, type CaseState } from '../domain/case/contract';
import { runsAlongside, type Step, type StepOf } from '../domain/rulebooks/schema';
import { acceptance } from './blocks/acceptance';
import { appeal, startAppealAtService } from './blocks/appeal';
import { archive } from './blocks/archive';
import { clarification } from './blocks/clarification';
import { correction } from './blocks/correction';
import { renderArchivalCopies } from './blocks/documents';
import { deliberation } from './blocks/deliberation';
import { execution } from './blocks/execution';
import { filing } from './blocks/filing';
import { followUp } from './blocks/follow-up';
import { intake } from './blocks/intake';
import { investigation } from './blocks/investigation';
import { notice } from './blocks/notice';
import { partyWindow } from './blocks/party-window';
import { publication } from './blocks/publication';
import { startApproval } from './blocks/start-approval';
import { Actions, recusalBasis, refuse } from './engine/actions';
import { CaseFile } from './engine/case-file';
import { applyingAt, now } from './engine/clock';
import { checkArrived, HAND_OVER_BOUNDS, handOver, readyToHandOver, type CaseRun, type HandOverBounds } from './engine/hand-over';
import { Journal } from './engine/journal';
import { checkText, today, type CaseContext } from './engine/context';
import { samePerson } from '../domain/case/persons';
import { Deadlines } from './engine/deadlines';
import { Effects } from './engine/effects';
import { closeEarly, offerWithdrawal } from './engine/ending';
import { offerAttachPapers } from './engine/papers';
import { offerAssignment, unassignRecused } from './engine/assignment';
import { tellWhenWaiting } from './engine/work-notices';

type Blocks = { [K in Step['kind']]: (step: Extract<Step, { kind: K }>, ctx: CaseContext) => Promise<void> };

const blocks: Blocks = {
  intake,
  acceptance,
  partyWindow,
  startApproval,
  investigation,
  deliberation,
  filing,
  notice,
  appeal,
  publication,
  archive,
  execution,
  correction,
  followUp,
  clarification,
};

/** Anyone with kinship or interest is recorded as recused, at any point of the case, and may not act on it. */
function offerRecusal(ctx: CaseContext): void {
  const { actions, file, rulebook } = ctx;
  const basis = recusalBasis(rulebook);
  actions.offer('recordRecusal', {
    label: '登记回避',
    roles: ['officer', 'supervisor'],
    validate: (input) => {
      checkText('person.name', input.person?.name);
      checkText('reason', input.reason);
    },
    apply: (input) => {
      file.state.recusals.push({ person: input.person, reason: input.reason, recordedBy: input.actor });
      file.record('recusalRecorded', { actor: input.actor, detail: `${input.person.name} 回避：${input.reason}`, basis });
      // A member who must recuse leaves the group (滨海 第二十四条(二)); a group left too small is re-formed before it reports.
      const group = file.state.investigationGroup;
      const leaving = group?.members.filter((m) => samePerson(m, input.person)) ?? [];
      if (group && leaving.length > 0) {
        group.members = group.members.filter((m) => !leaving.includes(m));
        (group.recused ??= []).push(...leaving.map((member) => ({ member, on: today(), reason: input.reason })));
        file.record('groupMemberRecused', { actor: input.actor, detail: `${leaving.map((m) => m.name).join('、')} 回避，退出调查组；调查组现有 ${group.members.length} 人`, basis });
      }
      // Nor does anyone who must recuse hold the case (承办人) or work on it.
      unassignRecused(ctx, input.person, input.actor);
    },
  });
}

/**
 * The subject's own account, bound by an officer of the case's authority: the subject's notices go
 * to that inbox, it acknowledges service there, and it may never act on its own case.
 */
function offerSubjectAccount({ actions, file, rulebook }: CaseContext): void {
  actions.offer('bindSubjectAccount', {
    label: '绑定被调查对象账户',
    roles: ['officer'],
    validate: (input) => {
      const bound = file.state.subject.userId;
      if (bound && bound !== input.userId) refuse(RefusalType.invalidInput, `userId：被调查对象已绑定账户 ${bound}`);
      if (input.userId === input.actor.sub) refuse(RefusalType.invalidInput, 'userId：不得绑定办理人本人的账户');
      if (input.userId === file.state.partyAccounts?.subjectOrganisation) refuse(RefusalType.invalidInput, 'userId：该账户已绑定为所在单位');
      if (file.state.investigationGroup?.members.some((m) => m.sub === input.userId)) {
        refuse(RefusalType.recused, 'userId：该账户是调查组成员，被调查对象本人不得参加调查组', rulebook.recusal);
      }
    },
    apply: (input) => {
      if (file.state.subject.userId === input.userId) return;
      file.state.subject = { ...file.state.subject, userId: input.userId };
      file.record('subjectAccountBound', { actor: input.actor, detail: `被调查对象账户：${input.userId}` });
    },
  });
}

/**
 * The account of the subject's organisation (unit), bound by an officer like the subject's: the
 * organisation's notices go to that inbox, it files where the rule lets it (an application, an
 * appeal), and it never acts for the authority.
 */
function offerOrganisationAccount({ actions, file }: CaseContext): void {
  actions.offer('bindOrganisationAccount', {
    label: '绑定所在单位账户',
    roles: ['officer'],
    validate: (input) => {
      const bound = file.state.partyAccounts?.subjectOrganisation;
      if (bound && bound !== input.userId) refuse(RefusalType.invalidInput, `userId：所在单位已绑定账户 ${bound}`);
      if (input.userId === input.actor.sub) refuse(RefusalType.invalidInput, 'userId：不得绑定办理人本人的账户');
      if (input.userId === file.state.subject.userId) refuse(RefusalType.invalidInput, 'userId：该账户已绑定为被调查对象本人');
      if (file.state.investigationGroup?.members.some((m) => m.sub === input.userId)) refuse(RefusalType.invalidInput, 'userId：该账户是调查组成员');
    },
    apply: (input) => {
      if (file.state.partyAccounts?.subjectOrganisation === input.userId) return;
      file.state.partyAccounts = { ...file.state.partyAccounts, subjectOrganisation: input.userId };
      file.record('organisationAccountBound', { actor: input.actor, detail: `所在单位账户：${input.userId}` });
    },
  });
}

/** The appeal that follows a notice, if the rulebook has one. */
function appealAfter(steps: Step[], notice: Step): StepOf<'appeal'> | undefined {
  const next = steps.slice(steps.indexOf(notice) + 1).find((s) => s.kind === 'appeal');
  return next?.kind === 'appeal' ? next : undefined;
}

function run(step: Step, ctx: CaseContext): Promise<void> {
  return (blocks[step.kind] as (s: Step, c: CaseContext) => Promise<void>)(step, ctx);
}

/** Starts a step beside the main line, with waits of its own; the case closes once it is done too. */
function runAlongside(step: Step, ctx: CaseContext): Promise<void> {
  const lane = ctx.actions.inLane();
  const task = run(step, { ...ctx, actions: lane.actions }).finally(lane.leave);
  // Awaited when the main line is done; until then a withdrawal's cancellation must not surface
  // as an unhandled rejection.
  task.catch(() => undefined);
  return task;
}

/**
 * A case. `run` is absent when the case is opened; a run that continues a long case as new carries
 * the hand-over of the run before (engine/hand-over.ts), which this run applies before it takes
 * anything new.
 */
export async function exemptionReview(input: CaseInput, run: CaseRun = {}): Promise<CaseState> {
  const bounds: HandOverBounds = { ...HAND_OVER_BOUNDS, ...run.bounds };
  const taken = run.handOver;
  // A new run starts the procedure at the time the case's first run did, and catches up from there.
  const startedAt = taken?.startedAt ?? now();
  if (taken) applyingAt(startedAt);
  const journal = new Journal();
  const file = new CaseFile(input, journal);
  const actions = new Actions(file, input.rulebook, journal);
  const effects = new Effects(file, actions, journal);
  const deadlines = new Deadlines(file, effects);
  const background: Promise<void>[] = [];
  let mainLineDone = false;
  const ctx: CaseContext = {
    input,
    rulebook: input.rulebook,
    file,
    deadlines,
    actions,
    effects,
    background: (task) => {
      background.push(task);
      // Awaited only when the case ends; until then its cancellation (a withdrawal, a cancel from
      // the UI) must not surface as an unhandled rejection, which would fail every workflow task.
      task.catch(() => undefined);
    },
    mainLineDone: () => mainLineDone,
  };

  // The steps run in a scope of their own: withdrawing the case cancels it, and whatever step the
  // case waited in gives way. A cancel from the Temporal UI reaches every scope from the root.
  const procedure = new CancellationScope();
  tellWhenWaiting(ctx);
  offerRecusal(ctx);
  offerSubjectAccount(ctx);
  offerOrganisationAccount(ctx);
  offerAssignment(ctx);
  offerWithdrawal(ctx, procedure);
  offerAttachPapers(file, input.rulebook, actions);
  setHandler(caseStateQuery, () => file.state);
  setHandler(caseProgressQuery, () => ({ atRest: actions.atRest, effectsInFlight: effects.inFlight, closed: file.state.closed, offered: actions.offered() }));
  journal.handleSignal(calendarUpdatedSignal, async ({ year, source }) => {
    await deadlines.onYearLoaded(year, source);
  });

  if (taken) journal.takeOver(taken.journal);
  const course = runCourse(ctx, procedure, background, () => {
    mainLineDone = true;
  });
  if (taken) {
    await journal.catchUp();
    checkArrived(ctx, taken);
    file.caughtUp();
  }
  // Inputs are taken one at a time for the rest of the run, whatever is cancelled (a closing case still takes its effects' answers).
  void CancellationScope.nonCancellable(() => journal.serve());
  const ready = CancellationScope.nonCancellable(() => readyToHandOver(ctx, bounds));
  const ended = await Promise.race([course.then((state) => ({ state })), ready.then(() => undefined)]);
  if (!ended) return handOver(ctx, input, run, startedAt, bounds);
  return ended.state;
}

/** The case from its opening to its dossier; throws the cancellation where an operator cancelled it. */
async function runCourse(ctx: CaseContext, procedure: CancellationScope, background: Promise<void>[], endMainLine: () => void): Promise<CaseState> {
  const { input, file, actions, effects } = ctx;
  let cancelled: unknown;
  try {
    await procedure.run(async () => {
      // Steps beside the main line start where they stand in the rulebook.
      const alongside: Promise<void>[] = [];
      // Steps started ahead of their place, at the event they count from (an appeal at each party's service).
      const early = new Map<Step, ReturnType<typeof startAppealAtService>>();
      for (const step of input.rulebook.steps) {
        const started = early.get(step);
        if (started) {
          early.delete(step);
          if (runsAlongside(step)) alongside.push(started.task);
          else await started.join();
          if (file.state.closed) break;
          continue;
        }
        if (runsAlongside(step)) {
          alongside.push(runAlongside(step, ctx));
          continue;
        }
        if (step.kind === 'notice') {
          const appealStep = appealAfter(input.rulebook.steps, step);
          if (appealStep) early.set(appealStep, startAppealAtService(appealStep, ctx));
        }
        await run(step, ctx);
        if (file.state.closed) break;
      }
      // A step started early whose place the case never reached (it closed first) is awaited like one beside it.
      for (const started of early.values()) alongside.push(started.task);
      if (alongside.length > 0) {
        endMainLine();
        actions.endMainLine();
        await Promise.all(alongside);
      }
    });
    if (!file.state.closed) file.close(file.state.outcome ?? 'completed', '程序终结');
    await Promise.all(background);
    await file.journal.until(allHandlersFinished);
  } catch (err) {
    if (!isCancellation(err)) throw err;
    if (!file.state.withdrawal) cancelled = err;
    await CancellationScope.nonCancellable(async () => {
      await closeEarly(ctx, cancelled ? 'cancelled' : 'withdrawn');
      await Promise.allSettled(background);
      await file.journal.until(allHandlersFinished);
    });
  }

  // The archival PDF copies belong to the dossier (建档): rendered before it is written.
  await CancellationScope.nonCancellable(() => renderArchivalCopies(ctx));
  // 建档: the documents (with their archival copies) and the materials bound into one PDF/A, before the dossier that records its digests.
  await CancellationScope.nonCancellable(() => effects.bindCaseFile(file.state));
  await CancellationScope.nonCancellable(() => effects.archiveDossier(file.state));
  // An operator's cancel ends the workflow as cancelled, once the dossier is written.
  if (cancelled) throw cancelled;
  return file.state;
}
