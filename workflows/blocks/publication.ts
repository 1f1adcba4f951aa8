/** Making the conclusion known within a scope, unless it is unsuitable for publication, with the reason. */
import { RefusalType } from '../../domain/case/contract';
import type { StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkText, type CaseContext } from '../engine/context';

export async function publication(step: StepOf<'publication'>, ctx: CaseContext): Promise<void> {
  const { file, actions } = ctx;
  file.enterStage(step.stage);
  actions.offer('recordPublication', {
    label: step.label,
    roles: step.roles,
    validate: (input) => {
      if (input.published) {
        if (!input.publishedOn) refuse(RefusalType.invalidInput, 'publishedOn：公开须注明日期');
        checkDate('publishedOn', input.publishedOn, { date: file.state.notice?.servedOn, what: '告知日' });
        checkText('scope', input.scope);
      } else {
        checkText('reason', input.reason);
      }
    },
    apply: (input) => {
      file.state.publication = { published: input.published, publishedOn: input.publishedOn, scope: input.scope, reason: input.reason, recordedBy: input.actor };
      actions.withdraw('recordPublication');
      file.record(input.published ? 'published' : 'notPublished', {
        actor: input.actor,
        detail: input.published ? `${input.publishedOn} 在${input.scope}范围内公开` : `不予公开：${input.reason}`,
        basis: step.basis,
      });
    },
  });
  await actions.until(() => file.state.publication !== undefined);
}
