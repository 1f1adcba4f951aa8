/**
 * The appeal: a party's window counted from the day the notice was served on
 * the appellant, then, if an appeal came in, the authority's deadline for its
 * decision. An appeal that reached the authority by the window's last day is
 * recorded even when entered after the window lapsed (within the recording
 * period). Execution of the conclusion is not suspended where the rule says so.
 */
import { patched } from '@temporalio/workflow';
import type { IsoDate } from '../../domain/calendar';
import { RefusalType, type CaseInput, type CaseState, type DeadlineRecord, type DocumentFacts } from '../../domain/case/contract';
import type { DeadlineRule, Outcome, StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkText, today, type CaseContext } from '../engine/context';
import { awaitLateRecording, RECORDING_PERIOD_PATCH, refuseIfLate, settleFiled, type PartyWindow } from '../engine/party-filing';
import { applyRevision, APPEAL_REVISION_PATCH, checkRevision, followRevision } from './appeal-revision';
import { documentFacts, issue } from './documents';

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
      if (!patched(RECORDING_PERIOD_PATCH)) {
        // As recorded before the recording period existed: the window closes at the lapse.
        actions.closeWindow('fileAppeal', `申诉期限已于 ${party.window.deadline} 24时届满，逾期申诉不予受理`, basis);
        deadlines.settle(party.window, 'lapsed');
        file.record('appealWindowClosed', { detail: `申诉期限 ${party.window.deadline} 届满，未提出申诉`, basis });
        return;
      }
      const late = await awaitLateRecording(ctx, party, 'fileAppeal', filed, (r) => {
        recording = r;
        offer(r);
      });
      if (!late) {
        file.record('appealWindowClosed', { detail: `申诉期限 ${party.window.deadline} 届满，登记期内未登记期限内送达的申诉`, basis });
        return;
      }
    }

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
    // Cases recorded before a revision changed the case never had one (no await added for them).
    if (file.state.determination?.revisedOnAppeal && patched(APPEAL_REVISION_PATCH)) await followRevision(ctx);
  } finally {
    if (step.alongside) file.leaveAlongside(step.stage);
  }
}
