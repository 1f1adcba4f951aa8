/** The authority carries the decision out; a refusal records the accountability result and a rectification order (焦作). */
import type { StepOf } from '../../domain/rulebooks/schema';
import { checkDate, checkText, type CaseContext } from '../engine/context';

export async function execution(step: StepOf<'execution'>, ctx: CaseContext): Promise<void> {
  const { file, actions } = ctx;
  const denied = file.state.determination?.outcome === 'denied';
  file.enterStage(step.stage);
  actions.offer('recordExecution', {
    label: step.label,
    roles: step.roles,
    validate: (input) => {
      checkDate('executedOn', input.executedOn, { date: file.state.determination?.decidedOn, what: '决定日' });
      if (denied && step.onDenied) {
        checkText('accountabilityResult', input.accountabilityResult);
        checkText('rectificationOrder', input.rectificationOrder);
      }
    },
    apply: (input) => {
      file.state.execution = {
        executedOn: input.executedOn,
        accountabilityResult: input.accountabilityResult,
        rectificationOrder: input.rectificationOrder,
        recordedBy: input.actor,
      };
      actions.withdraw('recordExecution');
      file.record('executed', { actor: input.actor, detail: `${input.executedOn} 执行`, basis: step.basis });
      if (denied && step.onDenied) {
        file.record('accountabilityRecorded', {
          actor: input.actor,
          detail: `按照问责决定予以问责：${input.accountabilityResult}；责令整改：${input.rectificationOrder}`,
          basis: step.onDenied.basis,
        });
      }
    },
  });
  await actions.until(() => file.state.execution !== undefined);
}
