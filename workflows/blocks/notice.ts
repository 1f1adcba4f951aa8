/**
 * The written conclusion to the parties within the authority's deadline from
 * the decision: the documents the rule prescribes for the outcome are issued,
 * an officer records when they were served, copies go where the rule says,
 * and the outcome's effects on the accountability take hold.
 */
import { condition } from '@temporalio/workflow';
import { RefusalType } from '../../domain/case/contract';
import { OUTCOME_NAMES, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, effects, type CaseContext } from '../engine/context';
import { issue } from './documents';

const UNIT_NAMES = { days: '日', workingDays: '个工作日', months: '个月' } as const;
const RECIPIENT_NAMES = { subject: '被调查对象', subjectOrganisation: '所在党组织', accountabilityBody: '问责实施机关' } as const;

export async function notice(step: StepOf<'notice'>, ctx: CaseContext): Promise<void> {
  const { file, actions, deadlines, input, rulebook } = ctx;
  const determination = file.state.determination!;
  const outcome = determination.outcome;
  file.enterStage(step.stage);
  const from = step.countsFrom === 'investigationReport' ? (file.state.investigationReport?.submittedOn ?? determination.decidedOn) : determination.decidedOn;
  const due = step.deadline ? await deadlines.open({ key: step.stage, label: step.label, binds: 'authority', rule: step.deadline, from }) : undefined;
  if (due) ctx.background(deadlines.watchAuthority(due));
  const basis = step.deadline?.basis ?? step.documents[0]?.document.basis;

  const copyTo = step.copyTo.filter((c) => c.outcomes.includes(outcome));
  const appealStep = rulebook.steps.find((s) => s.kind === 'appeal');
  const appealNote =
    appealStep?.kind === 'appeal' && (!appealStep.appliesTo || appealStep.appliesTo.includes(outcome))
      ? `如对本结论有不同意见，可自接到告知之日起${appealStep.window.amount}${UNIT_NAMES[appealStep.window.unit]}内向${input.authority}提出书面申诉（${appealStep.window.basis.article}）${appealStep.suspendsExecution ? '' : '；申诉期间不停止本结论的执行'}。`
      : undefined;
  for (const { document } of step.documents.filter((d) => d.outcomes.includes(outcome))) {
    await issue(ctx, step.stage, document, step.recipients.map((p) => RECIPIENT_NAMES[p]), copyTo.flatMap((c) => c.to), determination.recordedBy, appealNote);
  }

  actions.offer('serveNotice', {
    label: step.label,
    roles: step.roles,
    ...(due ? { deadline: due } : {}),
    validate: (served) => {
      checkDate('servedOn', served.servedOn, { date: determination.decidedOn, what: '决定日' });
      const missing = step.recipients.filter((p) => !served.servedTo.includes(p));
      if (missing.length > 0) refuse(RefusalType.invalidInput, `servedTo：须书面告知 ${missing.map((p) => RECIPIENT_NAMES[p]).join('、')}`, basis);
    },
    apply: (served) => {
      file.state.notice = { servedOn: served.servedOn, servedTo: served.servedTo, recordedBy: served.actor };
      if (due) deadlines.settle(due, 'met');
      actions.withdraw('serveNotice');
      file.record('noticeServed', { actor: served.actor, detail: `${served.servedOn} 送达：${OUTCOME_NAMES[outcome]}`, ...(basis ? { basis } : {}) });
    },
  });
  await condition(() => file.state.notice !== undefined);

  for (const to of step.recipients) {
    await effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:${to}`,
      recipient: to === 'accountabilityBody' ? { kind: 'body', name: input.accountability.body ?? input.authority } : { kind: 'party', party: to },
      subject: `容错免责结论：${OUTCOME_NAMES[outcome]}`,
      body: `${file.state.caseId} 认定结论为“${OUTCOME_NAMES[outcome]}”，${file.state.documents.map((d) => d.number).join('、')}`,
    });
  }
  for (const copy of copyTo) {
    for (const body of copy.to) {
      await effects.notify({
        caseId: input.caseId,
        idempotencyKey: `${input.caseId}:${step.stage}:copy:${body}`,
        recipient: { kind: 'body', name: body },
        subject: `抄送：${file.state.documents.map((d) => d.title).join('、')}`,
        body: `${file.state.caseId}：${file.state.documents.map((d) => `${d.title}${d.number}`).join('、')}（${copy.basis.article}）`,
      });
    }
  }
  const stop = determination.effects.find((e) => e.stopsAccountability);
  if (!stop && file.state.accountability.status === 'suspended') {
    file.state.accountability.status = 'proceeding';
    file.record('accountabilityResumed', { detail: `认定为${OUTCOME_NAMES[outcome]}，通知${input.accountability.body ?? '问责实施机关'}恢复追责程序` });
    await effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:accountability-resume`,
      recipient: { kind: 'body', name: input.accountability.body ?? input.authority },
      subject: `恢复追责：${input.accountability.reference}`,
      body: `${file.state.caseId} 认定为${OUTCOME_NAMES[outcome]}，请依认定书恢复 ${input.accountability.reference} 的处理程序。`,
    });
  }
  if (stop) {
    file.state.accountability.status = 'stopped';
    file.record('accountabilityStopped', { detail: `通知${input.accountability.body ?? '问责部门'}停止执行处理程序，免于追责`, basis: stop.basis });
    await effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:accountability-stop`,
      recipient: { kind: 'body', name: input.accountability.body ?? input.authority },
      subject: `停止执行处理程序：${input.accountability.reference}`,
      body: `${file.state.caseId} 已认定免责，请停止执行 ${input.accountability.reference} 的处理程序。`,
    });
  }
}
