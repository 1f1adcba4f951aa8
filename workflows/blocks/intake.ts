/**
 * How the case came in: on the written application, which is then awaited
 * (with no window where the rule sets none), or ex officio / on a body's
 * opinion, which starts the review with the opening of the case.
 */
import { openingEventOf, type StepOf } from '../../domain/rulebooks/schema';
import { checkApplicationContents, checkDate, checkText, missingNote, type CaseContext } from '../engine/context';

export async function intake(step: StepOf<'intake'>, ctx: CaseContext): Promise<void> {
  const { file, actions, input } = ctx;
  const route = input.route ?? 'application';
  const allowed = step.routes.find((r) => r.route === route);
  file.enterStage(step.stage);
  if (!allowed) {
    file.close('invalidRoute', `本规则不受理以 ${route} 方式启动的案件`);
    return;
  }
  file.state.intake = { route, basis: allowed.basis };
  file.record('intake', { actor: input.openedBy, detail: allowed.label, basis: allowed.basis });
  if (route !== 'application') return;

  actions.offer('fileApplication', {
    label: allowed.label,
    roles: step.roles,
    // Whoever applies (the rule names no applicant): the subject or its organisation, online too.
    filers: ['subject', 'subjectOrganisation'],
    validate: (filing) => {
      checkDate('receivedOn', filing.receivedOn, { date: input.eventDate, what: openingEventOf(ctx.rulebook, route).label });
      checkText('summary', filing.summary);
      checkApplicationContents(ctx.rulebook, filing.contents);
    },
    apply: (filing) => {
      const missing = checkApplicationContents(ctx.rulebook, filing.contents);
      file.state.application = {
        filedBy: filing.filedBy,
        filedAt: filing.receivedOn,
        recordedBy: filing.actor,
        summary: filing.summary,
        ...(filing.contents ? { contents: filing.contents } : {}),
        ...(missing.length > 0 ? { missing } : {}),
      };
      actions.withdraw('fileApplication');
      file.record('applicationFiled', { actor: filing.actor, detail: `${filing.receivedOn} 收到书面申请${missingNote(ctx, missing)}`, basis: allowed.basis });
    },
  });
  await actions.until(() => file.state.application !== undefined);
}
