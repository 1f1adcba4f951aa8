/** The bound case file goes to the archive (建档 / 归档). */
import type { StepOf } from '../../domain/rulebooks/schema';
import { checkDate, checkText, type CaseContext } from '../engine/context';

export async function archive(step: StepOf<'archive'>, ctx: CaseContext): Promise<void> {
  const { file, actions } = ctx;
  file.enterStage(step.stage);
  actions.offer('archiveCase', {
    label: step.label,
    roles: step.roles,
    validate: (input) => {
      checkDate('archivedOn', input.archivedOn, { date: file.state.notice?.servedOn ?? file.state.determination?.decidedOn, what: '告知日' });
      checkText('reference', input.reference);
    },
    apply: (input) => {
      file.state.archive = {
        archivedOn: input.archivedOn,
        reference: input.reference,
        archivedBy: input.actor,
        ...(input.retention ? { retention: input.retention } : {}),
        ...(input.classification ? { classification: input.classification } : {}),
      };
      actions.withdraw('archiveCase');
      file.record('archived', { actor: input.actor, detail: `${input.archivedOn} 归档，卷号 ${input.reference}`, basis: step.basis });
    },
  });
  await actions.until(() => file.state.archive !== undefined);
}
