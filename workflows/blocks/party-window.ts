/**
 * A window that belongs to a party (the application): the filing is recorded
 * while the window is open; when it lapses the window closes for good and the
 * rulebook says what becomes of the case.
 */
import { compareDates } from '../../domain/calendar';
import { RefusalType } from '../../domain/case/contract';
import { openingEventOf, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkText, type CaseContext } from '../engine/context';

export async function partyWindow(step: StepOf<'partyWindow'>, ctx: CaseContext): Promise<void> {
  const { file, deadlines, actions, input } = ctx;
  file.enterStage(step.stage);
  const window = await deadlines.open({ key: step.stage, label: step.label, binds: 'party', rule: step.deadline, from: input.eventDate });

  actions.offer('fileApplication', {
    label: step.label,
    // Histories recorded before roles were part of the step carry none: an officer records filings.
    roles: step.roles ?? ['officer'],
    deadline: window,
    validate: (filing) => {
      if (Date.now() >= Date.parse(window.endsAt) || compareDates(filing.receivedOn, window.deadline) > 0) {
        refuse(RefusalType.windowClosed, `${step.label}期限已于 ${window.deadline} 24时届满，逾期申请不予受理`, step.deadline.basis);
      }
      if (!step.filers.includes(filing.filedBy)) refuse(RefusalType.invalidInput, `filedBy：只能由 ${step.filers.join('、')} 提交`);
      checkDate('receivedOn', filing.receivedOn, { date: input.eventDate, what: openingEventOf(ctx.rulebook, input.route).label });
      checkText('summary', filing.summary);
    },
    apply: (filing) => {
      file.state.application = { filedBy: filing.filedBy, filedAt: filing.receivedOn, recordedBy: filing.actor, summary: filing.summary };
      deadlines.settle(window, 'met');
      actions.withdraw('fileApplication');
      file.record('applicationFiled', {
        actor: filing.actor,
        detail: `${filing.filedBy === 'subject' ? '被调查对象' : '所在党组织'}于 ${filing.receivedOn} 提交`,
        basis: step.deadline.basis,
      });
    },
  });

  const result = await deadlines.waitFor(window, () => file.state.application !== undefined, actions);
  if (result === 'lapsed') {
    actions.closeWindow('fileApplication', `${step.label}期限已于 ${window.deadline} 24时届满，逾期申请不予受理`, step.deadline.basis);
    deadlines.settle(window, 'lapsed');
    file.record('windowLapsed', { detail: `${step.label}期限 ${window.deadline} 届满，未收到申请`, basis: step.deadline.basis });
    file.close(step.onLapse.outcome, step.onLapse.explanation);
  }
}
