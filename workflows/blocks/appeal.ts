/**
 * The appeal: a party's window counted from the day the notice was served,
 * then, if an appeal came in, the authority's deadline for its decision.
 * Execution of the conclusion is not suspended where the rule says so.
 */
import { compareDates } from '../../domain/calendar';
import { RefusalType } from '../../domain/case/contract';
import type { StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkText, type CaseContext } from '../engine/context';
import { documentFacts, issue } from './documents';

export async function appeal(step: StepOf<'appeal'>, ctx: CaseContext): Promise<void> {
  const { file, actions, deadlines, input } = ctx;
  const outcome = file.state.determination?.outcome;
  if (step.appliesTo && (!outcome || !step.appliesTo.includes(outcome))) return;
  const servedOn = file.state.notice!.servedOn;
  file.enterStage(step.stage);
  const window = await deadlines.open({ key: 'appealWindow', label: `${step.label}期限`, binds: 'party', rule: step.window, from: servedOn });

  actions.offer('fileAppeal', {
    label: '登记书面申诉',
    roles: step.roles,
    deadline: window,
    validate: (filing) => {
      if (Date.now() >= Date.parse(window.endsAt) || compareDates(filing.receivedOn, window.deadline) > 0) {
        refuse(RefusalType.windowClosed, `申诉期限已于 ${window.deadline} 24时届满，逾期申诉不予受理`, step.window.basis);
      }
      checkDate('receivedOn', filing.receivedOn, { date: servedOn, what: '送达日' });
      checkText('summary', filing.summary);
    },
    apply: (filing) => {
      file.state.appeal = { receivedOn: filing.receivedOn, summary: filing.summary, recordedBy: filing.actor };
      deadlines.settle(window, 'met');
      actions.withdraw('fileAppeal');
      file.record('appealFiled', { actor: filing.actor, detail: `${filing.receivedOn} 收到书面申诉`, basis: step.window.basis });
    },
  });

  if ((await deadlines.waitFor(window, () => file.state.appeal !== undefined, actions)) === 'lapsed') {
    actions.closeWindow('fileAppeal', `申诉期限已于 ${window.deadline} 24时届满，逾期申诉不予受理`, step.window.basis);
    deadlines.settle(window, 'lapsed');
    file.record('appealWindowClosed', { detail: `申诉期限 ${window.deadline} 届满，未提出申诉`, basis: step.window.basis });
    return;
  }

  const received = file.state.appeal!;
  if (!step.suspendsExecution) {
    file.record('executionNotSuspended', { detail: '申诉期间不停止容错免责结论的执行', basis: step.window.basis });
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
    },
    apply: (decision) => {
      received.decision = { decidedOn: decision.decidedOn, result: decision.result, reasons: decision.reasons, decidedBy: decision.actor };
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
  for (const party of ['subject', 'subjectOrganisation'] as const) {
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:decision:${party}`,
      recipient: { kind: 'party', party },
      subject: '申诉处理决定',
      body: `${file.state.caseId}：申诉处理决定已作出（${decided.result === 'upheld' ? '维持原结论' : '变更原结论'}）。`,
    });
  }
}
