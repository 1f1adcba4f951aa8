/**
 * Fact finding: an investigation group where the rule requires one (members
 * none of whom may be the subject or have to recuse, each declaring no
 * conflict), the applicant's statements and hearings where the rule allows
 * them, and a written report with a preliminary recommendation.
 */
import { RefusalType } from '../../domain/case/contract';
import { samePerson } from '../../domain/case/persons';
import { OUTCOMES, type Party, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { clocksAt, startClocks } from '../engine/clocks';
import { offerAdvanceSteps } from './advance-steps';
import { checkDate, checkItems, checkText, type CaseContext } from '../engine/context';

const REPORT = 'investigationReport';
const PARTY_NAMES = { subject: '被调查对象本人', subjectOrganisation: '所在单位（党组织）' } as const;

/** Who must be heard: the subject, or the applicant (the subject where it applied itself or nobody applied). */
function heardParty(from: 'subject' | 'applicant', applicant: Party | undefined): Party {
  return from === 'applicant' ? (applicant ?? 'subject') : 'subject';
}

/**
 * The written report is due within the rule's period; an extension moves the
 * day, within the rule's total cap (counted from the same start) or, where the
 * rule sets none, with the approval it names and a reason.
 */
async function offerReportDeadline(step: StepOf<'investigation'>, ctx: CaseContext, started: string): Promise<void> {
  const { file, actions, deadlines } = ctx;
  const due = await deadlines.open({ key: REPORT, label: '出具书面调查报告', binds: 'authority', rule: step.deadline!, from: started });
  ctx.background(deadlines.watchAuthority(due));
  const extensions = step.extensions;
  if (!extensions) return;
  // The cap is a live record: recounted when a provisional year is loaded, read afresh by each extension.
  const cap = extensions.cap ? await deadlines.openLimit({ key: 'extensionLimit', label: '延长调查核实的最后期限', rule: extensions.cap, from: started }) : undefined;
  actions.offer('extendInvestigation', {
    label: '延长调查核实时间',
    roles: step.roles,
    validate: (ext) => {
      checkText('reason', ext.reason);
      if (extensions.requiresApprover) checkText('approvedBy', ext.approvedBy);
      const collective = extensions.collectiveDecision;
      if (collective) {
        if (!ext.groupDecision) refuse(RefusalType.invalidInput, `groupDecision：须经${collective.by}研究同意，登记研究日期和决定内容`, extensions.basis);
        checkDate('groupDecision.metOn', ext.groupDecision.metOn, { date: started, what: '调查开始日' });
        checkText('groupDecision.decision', ext.groupDecision.decision);
      }
      const current = deadlines.find(REPORT)!;
      if (ext.until <= current.deadline) refuse(RefusalType.invalidInput, `until：${ext.until} 须晚于现有期限 ${current.deadline}`);
      if (cap && ext.until > cap.deadline) {
        refuse(RefusalType.limitExceeded, `延长至 ${ext.until} 超过最长期限 ${cap.deadline}`, extensions.cap!.basis);
      }
    },
    apply: (ext) => {
      const current = deadlines.find(REPORT)!;
      if (current.status === 'pending' || (current.status === 'lapsed' && !current.metAt)) deadlines.settle(current, 'superseded');
      const extended = deadlines.openUntil({ key: REPORT, label: '出具书面调查报告（延长后）', binds: 'authority', basis: extensions.basis, from: started, until: ext.until });
      ctx.background(deadlines.watchAuthority(extended));
      const collective = extensions.collectiveDecision && ext.groupDecision ? { by: extensions.collectiveDecision.by, ...ext.groupDecision } : undefined;
      const approvedBy = collective?.by ?? ext.approvedBy ?? '';
      file.state.extensions.push({ until: ext.until, reason: ext.reason, approvedBy, ...(collective ? { groupDecision: collective } : {}), recordedBy: ext.actor });
      const approval = collective ? `经${collective.by}于 ${collective.metOn} 研究同意：${collective.decision}` : `${approvedBy}同意`;
      file.record('investigationExtended', { actor: ext.actor, detail: `延长至 ${ext.until}（${approval}）：${ext.reason}`, basis: extensions.basis });
    },
  });
}

export async function investigation(step: StepOf<'investigation'>, ctx: CaseContext): Promise<void> {
  const { file, actions, rulebook, deadlines, input } = ctx;
  file.enterStage(step.stage);
  const started = file.state.startApproval?.approvedOn ?? file.state.acceptance?.decidedOn ?? file.state.application?.filedAt ?? file.state.exOfficio?.decidedOn ?? input.eventDate;

  if (step.deadline) await offerReportDeadline(step, ctx, started);
  offerAdvanceSteps(ctx, step.roles);
  if (step.participants) {
    const { kinds, basis } = step.participants;
    actions.offer('recordParticipant', {
      label: '邀请参与调查核实',
      roles: step.roles,
      validate: (p) => {
        if (!kinds.includes(p.kind as (typeof kinds)[number])) refuse(RefusalType.invalidInput, `kind：本规则可邀请 ${kinds.join('、')}`, basis);
        checkText('name', p.name);
        checkText('summary', p.summary);
      },
      apply: (p) => {
        file.state.participants.push({ kind: p.kind, name: p.name, summary: p.summary, recordedBy: p.actor });
        file.record('participantRecorded', { actor: p.actor, detail: `${p.kind}：${p.name}`, basis });
      },
    });
  }

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
          // The same person twice does not make a group of two.
          const twice = input.members.findIndex((other) => samePerson(other, member));
          if (twice < i) refuse(RefusalType.invalidInput, `members.${i}：与 members.${twice} 是同一人`, group.basis);
          if (samePerson(member, { name: file.state.subject.name }) || (member.sub && member.sub === file.state.subject.userId)) {
            refuse(RefusalType.recused, `members.${i}：被调查对象本人不得参加调查组`, rulebook.recusal);
          }
          if (!member.declaresNoConflict) {
            refuse(RefusalType.recused, `members.${i}：${member.name} 未声明与被调查对象无亲属关系、利害关系`, rulebook.recusal);
          }
          if (actions.mustRecuse(member)) refuse(RefusalType.recused, `members.${i}：${member.name} 应当回避`, rulebook.recusal);
        }
      },
      apply: (input) => {
        const earlier = file.state.investigationGroup;
        file.state.investigationGroup = {
          members: input.members,
          appointedOn: input.appointedOn,
          appointedBy: input.actor,
          ...(earlier?.recused ? { recused: earlier.recused } : {}),
        };
        file.record('investigationGroupAppointed', { actor: input.actor, detail: `${earlier ? '重新组成调查组，' : ''}调查组成员：${input.members.map((m) => m.name).join('、')}`, basis: group.basis });
      },
    });
  }
  const hearing = step.hearSubject ? { basis: step.hearSubject.basis, party: heardParty(step.hearSubject.from, file.state.application?.filedBy) } : undefined;
  if (step.statements || hearing) {
    const basis = hearing?.basis ?? step.statements!;
    actions.offer('recordStatement', {
      label: hearing ? `听取${PARTY_NAMES[hearing.party]}意见` : '听取当事人申诉意见',
      roles: step.roles,
      // The party heard may also give its statement in writing, online (书面陈述).
      filers: [hearing?.party ?? file.state.application?.filedBy ?? 'subject'],
      validate: (input) => {
        checkDate('receivedOn', input.receivedOn, { date: started, what: '启动日' });
        checkText('summary', input.summary);
      },
      apply: (input) => {
        const by = input.by ?? 'subject';
        file.state.statements.push({
          receivedOn: input.receivedOn,
          summary: input.summary,
          recordedBy: input.actor,
          ...(input.by ? { by } : {}),
          ...(input.declined ? { declined: true } : {}),
          ...(input.form ? { form: input.form } : {}),
        });
        file.record('statementRecorded', { actor: input.actor, detail: `${input.receivedOn} ${input.declined ? `${PARTY_NAMES[by]}拒绝陈述，已记录` : `听取${PARTY_NAMES[by]}意见`}`, basis });
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
      const group = file.state.investigationGroup;
      if (step.group && group && group.members.length < step.group.minMembers) {
        const left = (group.recused ?? []).map((r) => r.member.name).join('、');
        refuse(RefusalType.wrongStage, `调查组现有${group.members.length}人，少于${step.group.minMembers}人${left ? `（${left} 已回避）` : ''}，须重新组成调查组后方可提交调查报告`, step.group.basis);
      }
      if (hearing && !file.state.statements.some((s) => (s.by ?? 'subject') === hearing.party)) {
        refuse(RefusalType.wrongStage, `尚未听取${PARTY_NAMES[hearing.party]}的意见（或记录其拒绝陈述），不能提交调查报告`, hearing.basis);
      }
      checkDate('submittedOn', input.submittedOn, { date: file.state.investigationGroup?.appointedOn ?? started, what: '调查开始日' });
      checkText('findings', input.findings);
      if (!OUTCOMES.includes(input.recommendation)) refuse(RefusalType.invalidInput, `recommendation：须为 ${OUTCOMES.join('、')} 之一`);
      checkItems('circumstances', input.circumstances, rulebook.catalogues?.eligible, ctx);
      checkItems('mitigating', input.mitigating, rulebook.catalogues?.mitigating, ctx);
      if (step.scopeLimited) {
        const raised = ctx.input.raisedItems ?? [ctx.input.matter];
        const covered = (input.itemFindings ?? []).map((f) => f.item);
        const beyond = covered.filter((item) => !raised.includes(item));
        const missing = raised.filter((item) => !covered.includes(item));
        if (beyond.length > 0) refuse(RefusalType.invalidInput, `itemFindings：超出提出的事项：${beyond.join('、')}`, step.scopeLimited);
        if (missing.length > 0) refuse(RefusalType.invalidInput, `itemFindings：缺少对提出事项的核查结论：${missing.join('、')}`, step.scopeLimited);
      }
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
      const due = deadlines.find(REPORT);
      if (due && (due.status === 'pending' || (due.status === 'lapsed' && !due.metAt))) deadlines.settle(due, 'met');
      actions.withdraw('appointInvestigationGroup', 'recordStatement', 'recordHearing', 'submitInvestigationReport', 'extendInvestigation', 'recordParticipant');
      file.record('investigationReported', { actor: input.actor, detail: `初步建议：${input.recommendation}`, basis: step.basis });
    },
  });
  await actions.until(() => file.state.investigationReport !== undefined);
  const clocks = clocksAt(ctx, 'investigationReport');
  if (clocks.length > 0) await startClocks(ctx, clocks, file.state.investigationReport!.submittedOn);
}
