/**
 * The review starts only when the person the rule names approves it (杭州
 * 第九条(二): 局党委主要负责人). Approval may open the authority's deadline for
 * the whole verification.
 */
import { RefusalType } from '../../domain/case/contract';
import type { StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, type CaseContext } from '../engine/context';
import { VERIFICATION } from './deliberation';

export async function startApproval(step: StepOf<'startApproval'>, ctx: CaseContext): Promise<void> {
  const { file, actions, deadlines } = ctx;
  file.enterStage(step.stage);
  actions.offer('approveStart', {
    label: step.label,
    roles: step.roles,
    validate: (input) => {
      if (input.capacity !== step.approverCapacity) {
        refuse(RefusalType.notPermitted, `须由${step.approverCapacity}审批启动，而非“${input.capacity}”`, step.basis);
      }
      checkDate('approvedOn', input.approvedOn, { date: file.state.application?.filedAt, what: '申请日' });
      if (!input.approved && !input.reason?.trim()) refuse(RefusalType.invalidInput, 'reason：不批准启动须说明理由');
    },
    apply: (input) => {
      file.state.startApproval = { approved: input.approved, approvedOn: input.approvedOn, approvedBy: input.actor, capacity: input.capacity, reason: input.reason };
      actions.withdraw('approveStart');
      file.record(input.approved ? 'startApproved' : 'startRefused', { actor: input.actor, detail: `${input.capacity}${input.approved ? '批准启动' : `不予启动：${input.reason}`}`, basis: step.basis });
    },
  });
  await actions.until(() => file.state.startApproval !== undefined);
  const approval = file.state.startApproval!;
  if (!approval.approved) {
    file.close(step.onRefusal.outcome, step.onRefusal.explanation);
    return;
  }
  if (step.opensVerificationDeadline) {
    const verification = await deadlines.open({
      key: VERIFICATION,
      label: '核实认定',
      binds: 'authority',
      rule: step.opensVerificationDeadline,
      from: approval.approvedOn,
    });
    ctx.background(deadlines.watchAuthority(verification));
  }
}
