/**
 * Fact finding: an investigation group where the rule requires one (members
 * none of whom may be the subject or have to recuse, each declaring no
 * conflict), the applicant's statements and hearings where the rule allows
 * them, and a written report with a preliminary recommendation.
 */
import { condition } from '@temporalio/workflow';
import { RefusalType } from '../../domain/case/contract';
import { OUTCOMES, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkItems, checkText, type CaseContext } from '../engine/context';

export async function investigation(step: StepOf<'investigation'>, ctx: CaseContext): Promise<void> {
  const { file, actions, rulebook } = ctx;
  file.enterStage(step.stage);
  const started = file.state.startApproval?.approvedOn ?? file.state.application?.filedAt;

  if (step.group) {
    const group = step.group;
    actions.offer('appointInvestigationGroup', {
      label: '成立调查组',
      roles: step.roles,
      validate: (input) => {
        checkDate('appointedOn', input.appointedOn, { date: started, what: '申请日' });
        if (input.members.length < group.minMembers) {
          refuse(RefusalType.invalidInput, `members：调查组须由${group.minMembers}人以上组成，现为${input.members.length}人`, group.basis);
        }
        for (const [i, member] of input.members.entries()) {
          if (member.name === file.state.subject.name || (member.sub && member.sub === file.state.subject.userId)) {
            refuse(RefusalType.recused, `members.${i}：被调查对象本人不得参加调查组`, rulebook.recusal);
          }
          if (!member.declaresNoConflict) {
            refuse(RefusalType.recused, `members.${i}：${member.name} 未声明与被调查对象无亲属关系、利害关系`, rulebook.recusal);
          }
          if (actions.mustRecuse(member)) refuse(RefusalType.recused, `members.${i}：${member.name} 应当回避`, rulebook.recusal);
        }
      },
      apply: (input) => {
        file.state.investigationGroup = { members: input.members, appointedOn: input.appointedOn, appointedBy: input.actor };
        file.record('investigationGroupAppointed', { actor: input.actor, detail: `调查组成员：${input.members.map((m) => m.name).join('、')}`, basis: group.basis });
      },
    });
  }
  if (step.statements) {
    const basis = step.statements;
    actions.offer('recordStatement', {
      label: '听取当事人申诉意见',
      roles: step.roles,
      validate: (input) => {
        checkDate('receivedOn', input.receivedOn, { date: started, what: '启动日' });
        checkText('summary', input.summary);
      },
      apply: (input) => {
        file.state.statements.push({ receivedOn: input.receivedOn, summary: input.summary, recordedBy: input.actor });
        file.record('statementRecorded', { actor: input.actor, detail: `${input.receivedOn} 听取申诉意见`, basis });
      },
    });
  }
  if (step.hearing) {
    const basis = step.hearing;
    actions.offer('recordHearing', {
      label: '召开听证会',
      roles: step.roles,
      validate: (input) => {
        checkDate('heldOn', input.heldOn, { date: started, what: '启动日' });
        checkText('summary', input.summary);
      },
      apply: (input) => {
        file.state.hearings.push({ heldOn: input.heldOn, summary: input.summary, recordedBy: input.actor });
        file.record('hearingHeld', { actor: input.actor, detail: `${input.heldOn} 召开听证会`, basis });
      },
    });
  }
  actions.offer('submitInvestigationReport', {
    label: '提交书面调查报告',
    roles: step.roles,
    validate: (input) => {
      if (step.group && !file.state.investigationGroup) refuse(RefusalType.wrongStage, '尚未成立调查组', step.group.basis);
      checkDate('submittedOn', input.submittedOn, { date: file.state.investigationGroup?.appointedOn ?? started, what: '调查开始日' });
      checkText('findings', input.findings);
      if (!OUTCOMES.includes(input.recommendation)) refuse(RefusalType.invalidInput, `recommendation：须为 ${OUTCOMES.join('、')} 之一`);
      checkItems('circumstances', input.circumstances, rulebook.catalogues?.eligible);
      checkItems('mitigating', input.mitigating, rulebook.catalogues?.mitigating);
    },
    apply: (input) => {
      file.state.investigationReport = {
        submittedOn: input.submittedOn,
        findings: input.findings,
        recommendation: input.recommendation,
        circumstances: input.circumstances,
        mitigating: input.mitigating,
        submittedBy: input.actor,
      };
      actions.withdraw('appointInvestigationGroup', 'recordStatement', 'recordHearing', 'submitInvestigationReport');
      file.record('investigationReported', { actor: input.actor, detail: `初步建议：${input.recommendation}`, basis: step.basis });
    },
  });
  await condition(() => file.state.investigationReport !== undefined);
}
