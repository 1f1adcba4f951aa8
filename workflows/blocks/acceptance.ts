/**
 * Taking an application up (受理): decided within the authority's deadline
 * where the rule sets one, and told to the applicant in writing. Where the rule
 * says so, acceptance suspends the accountability (暂缓追责) while other leads
 * in the same matter go on being investigated.
 */
import type { StepOf } from '../../domain/rulebooks/schema';
import { checkDate, checkText, type CaseContext } from '../engine/context';
import { documentFacts, issue } from './documents';
import { accountabilityRecipient } from './notice';

export async function acceptance(step: StepOf<'acceptance'>, ctx: CaseContext): Promise<void> {
  const { file, actions, deadlines, input } = ctx;
  if (!step.appliesTo.includes(input.route ?? 'application')) return;
  const filedAt = file.state.application?.filedAt ?? input.eventDate;
  file.enterStage(step.stage);
  const due = step.deadline
    ? await deadlines.open({ key: step.stage, label: step.label, binds: 'authority', rule: step.deadline, from: filedAt })
    : undefined;
  if (due) ctx.background(deadlines.watchAuthority(due));

  actions.offer('decideAcceptance', {
    label: step.label,
    roles: step.roles,
    ...(due ? { deadline: due } : {}),
    validate: (decision) => {
      checkDate('decidedOn', decision.decidedOn, { date: filedAt, what: '申请日' });
      if (!decision.accepted) checkText('reason', decision.reason);
    },
    apply: (decision) => {
      file.state.acceptance = { accepted: decision.accepted, decidedOn: decision.decidedOn, reason: decision.reason, decidedBy: decision.actor };
      if (due) deadlines.settle(due, 'met');
      actions.withdraw('decideAcceptance');
      file.record(decision.accepted ? 'applicationAccepted' : 'applicationRejected', {
        actor: decision.actor,
        detail: decision.accepted ? `${decision.decidedOn} 决定受理` : `${decision.decidedOn} 决定不予受理：${decision.reason}`,
        basis: step.basis,
      });
    },
  });
  await actions.until(() => file.state.acceptance !== undefined);
  const decided = file.state.acceptance!;

  if (step.document) {
    const acceptance = { accepted: decided.accepted, decidedOn: decided.decidedOn, reason: decided.reason, article: step.basis.article };
    const applicant = file.state.application?.filedBy ?? 'subject';
    await issue(ctx, step.stage, step.document, [applicant], [], decided.decidedBy, documentFacts(ctx, { acceptance }));
  }
  await ctx.effects.notify({
    caseId: input.caseId,
    idempotencyKey: `${input.caseId}:${step.stage}:applicant`,
    recipient: { kind: 'party', party: file.state.application?.filedBy ?? 'subject' },
    subject: decided.accepted ? '容错免责申请已受理' : '容错免责申请不予受理',
    body: `${file.state.caseId}：${decided.accepted ? '申请已受理' : `申请不予受理（${decided.reason}）`}（${step.basis.article}）`,
  });
  if (!decided.accepted) {
    file.close(step.onRejection.outcome, step.onRejection.explanation);
    return;
  }
  if (step.suspendsAccountability) {
    const { basis, otherLeads } = step.suspendsAccountability;
    file.state.accountability.status = 'suspended';
    file.record('accountabilitySuspended', { detail: `通知${input.accountability.body ?? '问责实施机关'}对 ${input.accountability.reference} 暂缓追责`, basis });
    file.record('otherLeadsContinue', { detail: '涉及其他问题线索的继续调查', basis: otherLeads });
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:suspend-accountability`,
      recipient: accountabilityRecipient(input),
      subject: `暂缓追责：${input.accountability.reference}`,
      body: `${file.state.caseId} 的容错免责申请已受理，请对 ${input.accountability.reference} 暂缓追责；涉及其他问题线索的继续调查（${basis.article}）。`,
    });
  }
}
