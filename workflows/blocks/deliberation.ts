/**
 * The collective decision (集体研究认定). The deciding body is the one the
 * rule names, a referral moves the decision up where the rule allows it, a
 * complex case is reported upward first where the rule says so, and the
 * decision may be deferred within the rule's cap. A tolerance outcome needs
 * what the rule requires: an eligible circumstance, every condition affirmed,
 * no exclusion found.
 */
import { addDays, addMonthsClamped, compareDates, type IsoDate } from '../../domain/calendar';
import { RefusalType, type LimitRecord } from '../../domain/case/contract';
import { OUTCOME_NAMES, type DeadlineRule, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { clocksAt, startClocks } from '../engine/clocks';
import { checkTolerance } from '../engine/tolerance';
import { checkAdvanceSteps } from './advance-steps';
import { checkDate, checkItems, checkText, today, type CaseContext } from '../engine/context';

/**
 * The last day a deferral decided on `decidedOn` may run to: calendar months or days from that day,
 * not extended to a working day. The cap limits how long the authority may hold its decision back; 民法典
 * 第二百零三条 protects one who must act by a period's last day and has no work here.
 */
export function deferralCap(decidedOn: IsoDate, max: DeadlineRule): IsoDate {
  return max.unit === 'months' ? addMonthsClamped(decidedOn, max.amount) : addDays(decidedOn, max.amount);
}

/** The deadline for the whole verification (杭州 第九条(四)), opened at the start and met by the decision. */
export const VERIFICATION = 'verification';
const DEFERRED = 'deferredDecision';

/** The deadline of the written conclusion, where it already runs before the decision (counted from the report). */
function conclusionDue(ctx: CaseContext) {
  const notice = ctx.rulebook.steps.find((s) => s.kind === 'notice' && s.countsFrom === 'investigationReport');
  return notice ? ctx.deadlines.find(notice.stage) : undefined;
}

export async function deliberation(step: StepOf<'deliberation'>, ctx: CaseContext): Promise<void> {
  const { file, actions, deadlines, rulebook } = ctx;
  file.enterStage(step.stage);
  const catalogues = rulebook.catalogues ?? {};
  const reportedOn = file.state.investigationReport?.submittedOn;

  if (step.advanceFiling) {
    const filing = ctx.input.advanceFiling;
    file.state.advanceFilingShown = { present: filing !== undefined, reference: filing?.reference };
    file.record('advanceFilingShown', {
      detail: filing ? `事先报备：${filing.reference}（${filing.filedOn} 报${filing.filedWith}）` : '事先报备：无',
      basis: step.advanceFiling,
    });
  }

  if (step.referral && step.deciders.some((d) => d.id === 'partyCommittee')) {
    const basis = step.referral;
    actions.offer('referToCommittee', {
      label: '提交同级党委(党组)审议',
      roles: step.roles,
      validate: (input) => {
        if (file.state.referral) refuse(RefusalType.wrongStage, '已提交同级党委(党组)审议', basis);
        checkDate('referredOn', input.referredOn, { date: reportedOn, what: '调查报告日' });
        checkText('reason', input.reason);
      },
      apply: (input) => {
        file.state.referral = { referredOn: input.referredOn, reason: input.reason, referredBy: input.actor };
        actions.withdraw('referToCommittee');
        file.record('referredToCommittee', { actor: input.actor, detail: input.reason, basis });
      },
    });
  }

  if (step.upwardReport) {
    const basis = step.upwardReport;
    actions.offer('reportUpward', {
      label: '向上级纪检监察机关或组织人事部门报告',
      roles: step.roles,
      validate: (input) => {
        checkDate('reportedOn', input.reportedOn, { date: reportedOn, what: '调查报告日' });
        checkText('reportedTo', input.reportedTo);
        checkText('reason', input.reason);
      },
      apply: (input) => {
        file.state.upwardReport = { reportedOn: input.reportedOn, reportedTo: input.reportedTo, reason: input.reason, reportedBy: input.actor };
        actions.withdraw('reportUpward');
        file.record('reportedUpward', { actor: input.actor, detail: `报告${input.reportedTo}：${input.reason}`, basis });
      },
    });
  }

  if (step.deferral) {
    const max = step.deferral.max;
    // The deferral itself is capped, from the day it is decided (杭州 第九条(四) "暂缓时间不超过3个月").
    let cap: LimitRecord | undefined;
    actions.offer('deferDecision', {
      label: '暂缓作出决定',
      roles: step.roles,
      validate: (input) => {
        checkText('reason', input.reason);
        if (compareDates(input.until, today()) <= 0) refuse(RefusalType.invalidInput, `until：${input.until} 须晚于今日`);
        const previous = file.state.deferrals.at(-1);
        if (previous && compareDates(input.until, previous.until) <= 0) refuse(RefusalType.invalidInput, `until：须晚于已暂缓至的 ${previous.until}`);
        // A deferral is the alternative to deciding within the verification period: it is decided while that runs.
        const due = deadlines.find(VERIFICATION);
        if (!previous && due?.status === 'lapsed') {
          refuse(RefusalType.wrongStage, `核实认定期限已于 ${due.deadline} 届满，不能再决定暂缓；应即作出决定`, max.basis);
        }
        const limit = cap?.deadline ?? deferralCap(today(), max);
        if (compareDates(input.until, limit) > 0) {
          refuse(RefusalType.limitExceeded, `暂缓至 ${input.until} 超过最长期限 ${limit}`, max.basis);
        }
      },
      apply: (input) => {
        if (!cap) {
          // The first deferral fixes the cap: later ones move the day within it, never the cap itself.
          cap = { key: 'deferralLimit', label: '暂缓作出决定的最后期限', deadline: deferralCap(today(), max), provisional: false, basis: max.basis, from: today() };
          file.state.limits.push(cap);
          file.record('limitSet', { detail: `${cap.label}：${cap.deadline}（自决定暂缓之日 ${today()} 起算）`, basis: max.basis });
        }
        file.state.deferrals.push({ from: today(), until: input.until, reason: input.reason, deferredBy: input.actor });
        for (const key of [VERIFICATION, DEFERRED]) {
          const earlier = deadlines.find(key);
          if (earlier && (earlier.status === 'pending' || (earlier.status === 'lapsed' && !earlier.metAt))) deadlines.settle(earlier, 'superseded');
        }
        const deferred = deadlines.openUntil({ key: DEFERRED, label: '暂缓后作出决定', binds: 'authority', basis: max.basis, from: today(), until: input.until });
        ctx.background(deadlines.watchAuthority(deferred));
        file.record('decisionDeferred', { actor: input.actor, detail: `暂缓至 ${input.until}：${input.reason}`, basis: max.basis });
      },
    });
  }

  actions.offer('recordDetermination', {
    label: step.label,
    roles: step.roles,
    // The decision is due by the verification (or deferred) date, or else by the deadline of the
    // written conclusion already running from the report (银川 程序(三)).
    deadline: deadlines.find(DEFERRED) ?? deadlines.find(VERIFICATION) ?? conclusionDue(ctx),
    validate: (input) => {
      if (!step.outcomes.includes(input.outcome)) {
        refuse(RefusalType.outcomeNotAllowed, `本规则不允许认定为 ${input.outcome}；可认定为 ${step.outcomes.map((o) => OUTCOME_NAMES[o]).join('、')}`, step.basis);
      }
      const decider = step.deciders.find((d) => d.id === input.decidedBy);
      if (!decider) refuse(RefusalType.notPermitted, `decidedBy：须由 ${step.deciders.map((d) => d.name).join('或')} 集体研究`, step.basis);
      if (file.state.referral && input.decidedBy !== 'partyCommittee') {
        refuse(RefusalType.notPermitted, '已提交同级党委(党组)审议，须由其领导班子审议决定', step.referral);
      }
      if (step.deciders.length > 1 && input.decidedBy === 'partyCommittee' && !file.state.referral) {
        refuse(RefusalType.wrongStage, '须先由问责部门提交同级党委(党组)审议', step.referral);
      }
      if (input.complex && step.upwardReport && !file.state.upwardReport) {
        refuse(RefusalType.wrongStage, '情况复杂的案件须先向上级报告后再作出决定', step.upwardReport);
      }
      checkDate('decidedOn', input.decidedOn, { date: file.state.upwardReport?.reportedOn ?? file.state.referral?.referredOn ?? reportedOn, what: '前一程序日' });
      checkText('reasons', input.reasons);
      if (step.approval) {
        const approval = input.approval;
        if (!approval || !step.approval.by.includes(approval.by)) {
          refuse(RefusalType.wrongStage, `须先报经${step.approval.by.join('或')}批准`, step.approval.basis);
        }
        checkDate('approval.approvedOn', approval.approvedOn, { date: reportedOn, what: '调查报告日' });
        if (approval.approvedOn > input.decidedOn) refuse(RefusalType.invalidInput, 'approval.approvedOn：批准日不能晚于决定日');
      }
      if (input.withAccountabilityDecision && !step.jointWithAccountability) {
        refuse(RefusalType.invalidInput, 'withAccountabilityDecision：本规则未规定容错决定可与问责决定一并作出');
      }
      checkItems('circumstances', input.circumstances, catalogues.eligible, ctx);
      checkItems('mitigating', input.mitigating, catalogues.mitigating, ctx);
      checkItems('conditions', input.conditions, catalogues.conditions);
      checkItems('exclusions', input.exclusions, catalogues.excluded);
      checkTolerance(step, rulebook, input);
      checkAdvanceSteps(ctx, input.outcome);
    },
    apply: (input) => {
      file.state.determination = {
        outcome: input.outcome,
        decidedBy: input.decidedBy,
        decidedOn: input.decidedOn,
        circumstances: input.circumstances,
        mitigating: input.mitigating,
        conditions: input.conditions,
        exclusions: input.exclusions,
        reasons: input.reasons,
        recordedBy: input.actor,
        effects: rulebook.effects?.[input.outcome] ?? [],
        approvingBody: input.approval?.by ?? step.deciders.find((d) => d.id === input.decidedBy)!.name,
      };
      file.state.outcome = input.outcome;
      for (const key of [VERIFICATION, DEFERRED]) {
        const open = deadlines.find(key);
        if (open && (open.status === 'pending' || (open.status === 'lapsed' && !open.metAt))) deadlines.settle(open, 'met');
      }
      actions.withdraw('recordDetermination', 'referToCommittee', 'reportUpward', 'deferDecision', 'recordAdvanceStep');
      file.record('determined', {
        actor: input.actor,
        detail: `${step.deciders.find((d) => d.id === input.decidedBy)?.name}于 ${input.decidedOn} 集体研究认定：${OUTCOME_NAMES[input.outcome]}${input.approval ? `（经${input.approval.by}于 ${input.approval.approvedOn} 批准）` : ''}${input.withAccountabilityDecision ? '（与问责决定一并研究）' : ''}`,
        basis: input.withAccountabilityDecision && step.jointWithAccountability ? step.jointWithAccountability : step.basis,
      });
    },
  });
  await actions.until(() => file.state.determination !== undefined);
  const clocks = clocksAt(ctx, 'decision');
  if (clocks.length > 0) await startClocks(ctx, clocks, file.state.determination!.decidedOn);
}
