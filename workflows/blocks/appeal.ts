/**
 * The appeal: a party's window counted from the day the notice was served on
 * the appellant, then, if an appeal came in, the authority's deadline for its
 * decision. An appeal that reached the authority by the window's last day is
 * recorded even when entered after the window lapsed (within the recording
 * period). Execution of the conclusion is not suspended where the rule says so.
 */
import type { IsoDate } from '../../domain/calendar';
import { RefusalType, type CaseInput, type CaseState, type DeadlineRecord, type DocumentFacts } from '../../domain/case/contract';
import type { Basis, DeadlineRule, Outcome, Party, StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkText, today, type CaseContext } from '../engine/context';
import { awaitLateRecording, refuseIfLate, settleFiled, type PartyWindow } from '../engine/party-filing';
import { applyRevision, checkRevision, followRevision } from './appeal-revision';
import { documentFacts, issue } from './documents';
import { recipientsOf } from './recipients';

/**
 * The day the appellant was served. Where the rule names a single appellant, its own service counts
 * (a later service on another recipient does not lengthen its window); otherwise the notice's, the
 * latest service on every recipient.
 */
function servedOnAppellant(step: StepOf<'appeal'>, state: CaseState): IsoDate {
  const only = step.filers?.length === 1 ? step.filers[0] : undefined;
  return (only && state.noticeReceipts?.find((r) => r.party === only)?.servedOn) || state.notice!.servedOn;
}

/** The appeal window: the rulebook's, or where the text sets none the deploying body's parameter, or none at all. */
export function appealWindowOf(step: StepOf<'appeal'>, input: CaseInput): DeadlineRule | undefined {
  return step.window ?? (step.windowParameter ? input.parameters?.[step.windowParameter.name] : undefined);
}

/**
 * The right to appeal an outcome, for the documents that tell it: the window and its article where
 * one is set, where the appeal goes (the deciding authority), and whether execution waits.
 */
export function appealRoute(ctx: CaseContext, outcome: Outcome): DocumentFacts['appeal'] {
  const step = ctx.rulebook.steps.find((s) => s.kind === 'appeal');
  if (step?.kind !== 'appeal' || (step.appliesTo && !step.appliesTo.includes(outcome))) return undefined;
  const window = appealWindowOf(step, ctx.input);
  return window
    ? { amount: window.amount, unit: window.unit, article: window.basis.article, suspendsExecution: step.suspendsExecution }
    : { article: step.document.basis.article, suspendsExecution: step.suspendsExecution };
}

export async function appeal(step: StepOf<'appeal'>, ctx: CaseContext): Promise<void> {
  const { file, actions, deadlines, input } = ctx;
  const outcome = file.state.determination?.outcome;
  if (step.appliesTo && (!outcome || !step.appliesTo.includes(outcome))) return;
  const servedOn = servedOnAppellant(step, file.state);
  const rule = appealWindowOf(step, input);
  if (step.alongside) file.enterAlongside(step.stage);
  else file.enterStage(step.stage);
  // (No await is added around the course below: cases recorded before it issue their commands as they did.)
  try {
    const window = rule ? await deadlines.open({ key: 'appealWindow', label: `${step.label}期限`, binds: 'party', rule, from: servedOn }) : undefined;
    const basis = rule?.basis ?? step.document.basis;
    const party: PartyWindow | undefined = window && { window, basis, label: step.label, what: '申诉' };
    let recording: DeadlineRecord | undefined;

    const offer = (deadline: DeadlineRecord | undefined) =>
      actions.offer('fileAppeal', {
        label: '登记书面申诉',
        roles: step.roles,
        // The appellants the rule names may also appeal themselves, online.
        filers: step.filers ?? ['subject'],
        ...(deadline ? { deadline } : {}),
        validate: (filing) => {
          if (party) refuseIfLate(party, filing.receivedOn);
          if (step.filers && !step.filers.includes(filing.filedBy ?? 'subject')) {
            refuse(RefusalType.invalidInput, `filedBy：只能由 ${step.filers.join('、')} 提出申诉`, basis);
          }
          checkDate('receivedOn', filing.receivedOn, { date: servedOn, what: '送达日' });
          checkText('summary', filing.summary);
        },
        apply: (filing) => {
          const recordedOn = today();
          file.state.appeal = { receivedOn: filing.receivedOn, recordedOn, ...(filing.filedBy ? { filedBy: filing.filedBy } : {}), summary: filing.summary, recordedBy: filing.actor };
          if (party) settleFiled(ctx, party, recording);
          actions.withdraw('fileAppeal');
          file.record('appealFiled', { actor: filing.actor, detail: `${filing.receivedOn} 收到书面申诉${window ? `（期限最后一日 ${window.deadline}）` : ''}，${recordedOn} 登记`, basis });
        },
      });
    offer(window);

    const filed = () => file.state.appeal !== undefined;
    if (!party) {
      // No period in the text and none set: the appeal is taken until the case has run its course.
      await actions.until(() => filed() || ctx.mainLineDone());
      if (!filed()) {
        actions.withdraw('fileAppeal');
        return;
      }
    } else if ((await deadlines.waitFor(party.window, filed, actions)) === 'lapsed') {
      const late = await awaitLateRecording(ctx, party, 'fileAppeal', filed, (r) => {
        recording = r;
        offer(r);
      });
      if (!late) {
        file.record('appealWindowClosed', { detail: `申诉期限 ${party.window.deadline} 届满，登记期内未登记期限内送达的申诉`, basis });
        return;
      }
    }

    await decide(step, ctx, basis);
  } finally {
    if (step.alongside) file.leaveAlongside(step.stage);
  }
}

/**
 * An appeal came in: the authority's deadline for its decision runs from its receipt, the decision is
 * issued to the appellant and its organisation, and a revised conclusion changes the case.
 */
async function decide(step: StepOf<'appeal'>, ctx: CaseContext, basis: Basis): Promise<void> {
  const { file, actions, deadlines, input } = ctx;
  const received = file.state.appeal!;
  if (!step.suspendsExecution) {
    file.record('executionNotSuspended', { detail: '申诉期间不停止容错免责结论的执行', basis });
  }
  const due = await deadlines.open({ key: 'appealDecision', label: '作出申诉处理决定', binds: 'authority', rule: step.decision, from: received.receivedOn });
  ctx.background(deadlines.watchAuthority(due));
  actions.offer('decideAppeal', {
    label: '作出申诉处理决定',
    roles: step.decisionRoles,
    deadline: due,
    validate: (decision) => {
      checkDate('decidedOn', decision.decidedOn, { date: received.receivedOn, what: '收到申诉日' });
      checkText('reasons', decision.reasons);
      checkRevision(ctx, step, decision);
    },
    apply: (decision) => {
      received.decision = { decidedOn: decision.decidedOn, result: decision.result, reasons: decision.reasons, decidedBy: decision.actor };
      applyRevision(ctx, step, decision);
      deadlines.settle(due, 'met');
      actions.withdraw('decideAppeal');
      file.record('appealDecided', { actor: decision.actor, detail: `${decision.decidedOn} ${decision.result === 'upheld' ? '维持原结论' : '变更原结论'}：${decision.reasons}`, basis: step.decision.basis });
    },
  });
  await actions.until(() => received.decision !== undefined);
  const decided = received.decision!;
  const appealDecision = {
    receivedOn: received.receivedOn,
    summary: received.summary,
    decidedOn: decided.decidedOn,
    result: decided.result,
    reasons: decided.reasons,
    article: step.decision.basis.article,
    earlier: file.state.documents.map((d) => `《${d.title}》（${d.number}）`),
  };
  await issue(ctx, step.stage, step.document, ['subject', 'subjectOrganisation'], [], decided.decidedBy, documentFacts(ctx, { appealDecision }));
  for (const to of ['subject', 'subjectOrganisation'] as const) {
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:decision:${to}`,
      recipient: { kind: 'party', party: to },
      subject: '申诉处理决定',
      body: `${file.state.caseId}：申诉处理决定已作出（${decided.result === 'upheld' ? '维持原结论' : '变更原结论'}）。`,
    });
  }
  if (file.state.determination?.revisedOnAppeal) await followRevision(ctx);
}

const PARTY_NAMES = { subject: '被调查对象', subjectOrganisation: '所在党组织' } as const;

/** Where an appeal started beside the notice stands: beside the main line, or (once the main line reaches it) on it. */
export interface AppealPlacement {
  beside: boolean;
}

/** Who may appeal in this case: the rule's appellants, or every party the conclusion is served on. */
function appellantsOf(step: StepOf<'appeal'>, ctx: CaseContext): Party[] {
  const notice = ctx.rulebook.steps.find((s) => s.kind === 'notice');
  const served = (notice?.kind === 'notice' ? recipientsOf(notice, ctx.file.state) : ['subject' as const]).filter((r): r is Party => r === 'subject' || r === 'subjectOrganisation');
  // A window counts from the appellant's own service: an appellant the conclusion is not served on has none to count.
  const appellants = step.filers ? step.filers.filter((p) => served.includes(p)) : served;
  return appellants.length > 0 ? appellants : served;
}

/** The day the conclusion was served on `party`, if it has been. */
function servedOn(state: CaseState, party: Party): IsoDate | undefined {
  return state.noticeReceipts?.find((r) => r.party === party)?.servedOn ?? (state.notice?.servedTo.includes(party) ? state.notice.servedOn : undefined);
}

/** A party's own window, and whether it closed for good. */
interface AppellantWindow {
  party: PartyWindow | undefined;
  recording?: DeadlineRecord | undefined;
  closed?: string;
}

/**
 * The appeal, as cases started from here on run it: each appellant's window opens when that party is
 * served and lapses on its own (with its recording period); the first appeal filed is the case's
 * appeal (one conclusion, one appeal decision: the other windows end with it); once every window has
 * closed with no appeal, the right is spent.
 */
export async function appealFromEachService(step: StepOf<'appeal'>, ctx: CaseContext, placement: AppealPlacement): Promise<void> {
  const { file, actions, deadlines, input } = ctx;
  const outcome = file.state.determination?.outcome;
  if (step.appliesTo && (!outcome || !step.appliesTo.includes(outcome))) return;
  const appellants = appellantsOf(step, ctx);
  const rule = appealWindowOf(step, input);
  const basis = rule?.basis ?? step.document.basis;
  const windows = new Map<Party, AppellantWindow>();
  const filed = () => file.state.appeal !== undefined;
  const key = (party: Party) => (appellants.length === 1 ? 'appealWindow' : `appealWindow${party[0]!.toUpperCase()}${party.slice(1)}`);
  const label = (party: Party) => (appellants.length === 1 ? `${step.label}期限` : `${step.label}期限（${PARTY_NAMES[party]}）`);

  if (placement.beside) file.enterAlongside(step.stage);
  else file.enterStage(step.stage);
  try {
    /** The filing is offered while any window runs, due by the earliest of them. */
    const offer = () => {
      const due = [...windows.values()]
        .flatMap((w) => [w.party?.window, w.recording])
        .filter((d): d is DeadlineRecord => d?.status === 'pending')
        .sort((a, b) => a.endsAt.localeCompare(b.endsAt))[0];
      actions.offer('fileAppeal', {
        label: '登记书面申诉',
        roles: step.roles,
        // The appellants may also appeal themselves, online, each once served.
        filers: appellants,
        ...(due ? { deadline: due } : {}),
        validate: (filing) => {
          const by = filing.filedBy ?? 'subject';
          if (!appellants.includes(by)) refuse(RefusalType.invalidInput, `filedBy：只能由 ${appellants.map((p) => PARTY_NAMES[p]).join('、')} 提出申诉`, basis);
          const served = servedOn(file.state, by);
          if (!served) refuse(RefusalType.wrongStage, `${PARTY_NAMES[by]}尚未接到告知，其申诉期限自接到告知之日起算`, basis);
          checkDate('receivedOn', filing.receivedOn, { date: served, what: `${PARTY_NAMES[by]}接到告知之日` });
          const own = windows.get(by);
          if (own?.closed) refuse(RefusalType.windowClosed, own.closed, basis);
          if (own?.party) refuseIfLate(own.party, filing.receivedOn);
          checkText('summary', filing.summary);
        },
        apply: (filing) => {
          const by = filing.filedBy ?? 'subject';
          const recordedOn = today();
          file.state.appeal = { receivedOn: filing.receivedOn, recordedOn, filedBy: by, summary: filing.summary, recordedBy: filing.actor };
          const own = windows.get(by);
          if (own?.party) settleFiled(ctx, own.party, own.recording);
          // One conclusion, one appeal: the other appellants' windows end with it (their appeal is heard with it).
          for (const [party, other] of windows) {
            if (party === by) continue;
            for (const d of [other.party?.window, other.recording]) if (d?.status === 'pending') deadlines.settle(d, 'superseded');
          }
          actions.withdraw('fileAppeal');
          const window = own?.party?.window;
          file.record('appealFiled', {
            actor: filing.actor,
            detail: `${PARTY_NAMES[by]}于 ${filing.receivedOn} 提出书面申诉${window ? `（期限自 ${window.from} 接到告知起算，最后一日 ${window.deadline}）` : ''}，${recordedOn} 登记`,
            basis,
          });
        },
      });
    };
    offer();

    /** One appellant's window, in a line of its own (so the case is at rest only when every line waits). */
    const follow = async (party: Party): Promise<void> => {
      const lane = actions.inLane();
      const own: AppellantWindow = { party: undefined };
      try {
        await lane.actions.until(() => servedOn(file.state, party) !== undefined || filed());
        if (filed()) return;
        if (!rule) {
          // No period in the text and none set: the appeal is taken until the case has run its course.
          await lane.actions.until(() => filed() || ctx.mainLineDone());
          return;
        }
        const window = await deadlines.open({ key: key(party), label: label(party), binds: 'party', rule, from: servedOn(file.state, party)! });
        own.party = { window, basis, label: label(party), what: '申诉' };
        windows.set(party, own);
        if (!filed()) offer();
        if ((await deadlines.waitFor(window, filed, lane.actions)) === 'done') return;
        const late = await awaitLateRecording(
          { ...ctx, actions: lane.actions },
          own.party,
          (message) => {
            own.closed = message;
          },
          filed,
          (recording) => {
            own.recording = recording;
            if (!filed()) offer();
          },
        );
        if (!late && !filed()) file.record('appealWindowClosed', { detail: `${PARTY_NAMES[party]}的申诉期限 ${window.deadline} 届满，登记期内未登记期限内送达的申诉`, basis });
      } finally {
        lane.leave();
      }
    };
    const following = Promise.all(appellants.map(follow));
    const resting = actions.rest();
    await following.finally(resting);
    if (!filed()) {
      actions.closeWindow('fileAppeal', [...windows.values()].map((w) => w.closed).filter(Boolean).join('；') || '申诉期限已届满', basis);
      return;
    }
    await decide(step, ctx, basis);
  } finally {
    if (placement.beside) file.leaveAlongside(step.stage);
  }
}

/**
 * Starts the appeal when the notice starts, beside it: each appellant's window opens as that party is
 * served. Answers the running appeal and how the main line takes it over when it reaches the step.
 */
export function startAppealAtService(step: StepOf<'appeal'>, ctx: CaseContext): { task: Promise<void>; join: () => Promise<void> } {
  const placement: AppealPlacement = { beside: true };
  const lane = ctx.actions.inLane();
  let done = false;
  const task = (async () => {
    await lane.actions.until(() => appellantsOf(step, ctx).some((p) => servedOn(ctx.file.state, p) !== undefined) || ctx.file.state.closed);
    if (ctx.file.state.closed) return;
    await appealFromEachService(step, { ...ctx, actions: lane.actions }, placement);
  })().finally(() => {
    done = true;
    lane.leave();
  });
  // Awaited when the main line reaches the step or the case ends; a withdrawal's cancellation must not surface before.
  task.catch(() => undefined);
  const join = async () => {
    // The main line reaches the step: the appeal, if still running, is the case's stage now.
    if (!done && !step.alongside && placement.beside) {
      ctx.file.leaveAlongside(step.stage);
      placement.beside = false;
      ctx.file.enterStage(step.stage);
    }
    const resting = ctx.actions.rest();
    try {
      await task;
    } finally {
      resting();
    }
  };
  return { task, join };
}
