/** A report of the decision to the superior body the rule names (备案); where it precedes the notice, execution waits for it. */
import type { StepOf } from '../../domain/rulebooks/schema';
import { checkDate, type CaseContext } from '../engine/context';

export async function filing(step: StepOf<'filing'>, ctx: CaseContext): Promise<void> {
  const { file, actions, deadlines } = ctx;
  if (step.onlyForLevel && ctx.input.level !== step.onlyForLevel) return;
  file.enterStage(step.stage);
  const decidedOn = file.state.determination?.decidedOn;
  // Running since the decision (engine/clocks.ts), or, in cases started before that, opened now.
  const running = step.deadline ? deadlines.find(step.stage) : undefined;
  const due = running ?? (step.deadline && decidedOn ? await deadlines.open({ key: step.stage, label: step.label, binds: 'authority', rule: step.deadline, from: decidedOn }) : undefined);
  if (due && !running) ctx.background(deadlines.watchAuthority(due));
  actions.offer('recordFiling', {
    label: step.label,
    roles: step.roles,
    ...(due ? { deadline: due } : {}),
    validate: (input) => checkDate('filedOn', input.filedOn, { date: file.state.determination?.decidedOn, what: '决定日' }),
    apply: (input) => {
      file.state.filing = { filedWith: step.filedWith, filedOn: input.filedOn, reference: input.reference, recordedBy: input.actor };
      if (due) deadlines.settle(due, 'met');
      actions.withdraw('recordFiling');
      file.record('filed', { actor: input.actor, detail: `${input.filedOn} 向${step.filedWith}备案${input.reference ? `（${input.reference}）` : ''}`, basis: step.basis });
    },
  });
  await actions.until(() => file.state.filing !== undefined);
}
