/**
 * 容错免责: one case, from the authority's notice to the subject until it
 * closes, as the jurisdiction's rulebook prescribes. The rulebook version
 * arrives in the input, so a later amendment never changes a running case.
 */
import { allHandlersFinished, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { beijingDate, compareDates } from '../domain/calendar/dates';
import {
  calendarUpdatedSignal,
  caseStateQuery,
  fileApplicationUpdate,
  RefusalType,
  type CaseInput,
  type CaseState,
  type FileApplicationInput,
} from '../domain/case/contract';
import type { PartyWindowStep } from '../domain/rulebooks/schema';
import { CaseFile } from './case-file';
import { Deadlines } from './deadlines';

export async function exemptionReview(input: CaseInput): Promise<CaseState> {
  const file = new CaseFile(input);
  const deadlines = new Deadlines(file);

  setHandler(caseStateQuery, () => file.state);
  setHandler(calendarUpdatedSignal, async ({ year, source }) => {
    await deadlines.onYearLoaded(year, source);
  });

  for (const step of input.rulebook.steps) {
    switch (step.kind) {
      case 'partyWindow':
        await partyWindow(step, input, file, deadlines);
        break;
    }
    if (file.state.closed) break;
  }

  await condition(allHandlersFinished);
  return file.state;
}

/**
 * A window that belongs to a party: the filing is recorded through an update
 * while the window is open; when it lapses the window closes for good and the
 * rulebook says what becomes of the case.
 */
async function partyWindow(step: PartyWindowStep, input: CaseInput, file: CaseFile, deadlines: Deadlines): Promise<void> {
  file.enterStage(step.stage);
  const window = await deadlines.open({
    key: step.stage,
    label: step.label,
    binds: 'party',
    rule: step.deadline,
    from: input.eventDate,
  });

  const validate = (filing: FileApplicationInput): void => {
    if (file.state.stage !== step.stage) {
      throw ApplicationFailure.create({
        type: RefusalType.wrongStage,
        message: `案件当前阶段为 ${file.state.stage}，不接受${step.label}`,
        nonRetryable: true,
      });
    }
    const today = beijingDate(Date.now());
    if (Date.now() >= Date.parse(window.endsAt) || compareDates(filing.receivedOn, window.deadline) > 0) {
      throw ApplicationFailure.create({
        type: RefusalType.windowClosed,
        message: `${step.label}期限已于 ${window.deadline} 24时届满（${step.deadline.basis.article}），逾期申请不予受理`,
        details: [{ deadline: window.deadline, basis: step.deadline.basis }],
        nonRetryable: true,
      });
    }
    const problems: string[] = [];
    if (!step.filers.includes(filing.filedBy)) problems.push(`filedBy：只能由 ${step.filers.join('、')} 提交`);
    if (compareDates(filing.receivedOn, input.eventDate) < 0) problems.push(`receivedOn：早于告知日 ${input.eventDate}`);
    if (compareDates(filing.receivedOn, today) > 0) problems.push(`receivedOn：晚于今日 ${today}`);
    if (filing.summary.trim().length === 0) problems.push('summary：申请内容不能为空');
    if (problems.length > 0) {
      throw ApplicationFailure.create({ type: RefusalType.invalidInput, message: problems.join('；'), nonRetryable: true });
    }
  };

  setHandler(
    fileApplicationUpdate,
    (filing) => {
      file.state.application = {
        filedBy: filing.filedBy,
        filedAt: filing.receivedOn,
        recordedBy: filing.actor,
        summary: filing.summary,
      };
      deadlines.settle(window, 'met');
      file.record('applicationFiled', {
        actor: filing.actor,
        detail: `${filing.filedBy === 'subject' ? '被调查对象' : '所在党组织'}于 ${filing.receivedOn} 提交`,
        basis: step.deadline.basis,
      });
      file.publish();
      return file.state;
    },
    { validator: validate },
  );

  const result = await deadlines.waitFor(window, () => file.state.application !== undefined);
  if (result === 'lapsed') {
    deadlines.settle(window, 'lapsed');
    file.record('windowLapsed', { detail: `${step.label}期限 ${window.deadline} 届满，未收到申请`, basis: step.deadline.basis });
    file.close(step.onLapse.outcome, step.onLapse.explanation);
    return;
  }
  // The steps that follow an application (investigation onward) are the procedure engine's, issue #4.
  file.enterStage('investigation');
  await condition(() => file.state.closed);
}
