/**
 * Follow-up visits for a cadre the outcome applies to (杭州 第十四条 回访): the
 * subject's party organisation is reminded at each interval of the period the
 * rulebook sets, and officers record the talks held.
 */
import { addMonthsClamped, beijingMidnight } from '../../domain/calendar';
import type { StepOf } from '../../domain/rulebooks/schema';
import { checkDate, checkText, today, type CaseContext } from '../engine/context';

export async function followUp(step: StepOf<'followUp'>, ctx: CaseContext): Promise<void> {
  const { file, actions, input } = ctx;
  const outcome = file.state.determination?.outcome;
  if (!outcome || !step.outcomes.includes(outcome)) return;
  file.enterStage(step.stage);
  const start = today();
  const until = addMonthsClamped(start, step.periodMonths);
  const followUp = { until, reminders: [] as string[], visits: [] as { visitedOn: string; summary: string; recordedBy: typeof input.openedBy }[] };
  file.state.followUp = followUp;
  file.record('followUpStarted', { detail: `回访至 ${until}，每${step.intervalMonths}个月提醒一次（${step.choice}）`, basis: step.basis });
  actions.offer('recordFollowUpVisit', {
    label: '记录回访谈心谈话',
    roles: step.roles,
    validate: (visit) => {
      checkDate('visitedOn', visit.visitedOn, { date: start, what: '回访开始日' });
      checkText('summary', visit.summary);
    },
    apply: (visit) => {
      followUp.visits.push({ visitedOn: visit.visitedOn, summary: visit.summary, recordedBy: visit.actor });
      file.record('followUpVisited', { actor: visit.actor, detail: `${visit.visitedOn} 回访谈话`, basis: step.basis });
    },
  });

  for (let n = 1; n * step.intervalMonths <= step.periodMonths; n += 1) {
    const due = addMonthsClamped(start, n * step.intervalMonths);
    // Reminders go out at 09:00 Beijing time on the day.
    const at = beijingMidnight(due) + 9 * 3_600_000;
    const resting = actions.rest();
    await file.journal.wait(() => false, at, `follow-up reminder ${due}`);
    resting();
    followUp.reminders.push(due);
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:reminder:${due}`,
      recipient: { kind: 'party', party: 'subjectOrganisation' },
      subject: `容错回访提醒：${file.state.caseId}`,
      body: `请于近期对当事人进行谈心谈话（${step.basis.article}），回访期至 ${until}。`,
    });
    file.record('followUpReminded', { detail: `第${n}次回访提醒（${due}）`, basis: step.basis });
  }
  actions.withdraw('recordFollowUpVisit');
}
