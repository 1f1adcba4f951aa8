/**
 * How a case ends before it ran its course: withdrawn (the applicant's
 * written withdrawal, or the authority ending the review), or cancelled by an
 * operator from the Temporal UI. Either way it closes properly: the timeline
 * says why, the parties and the accountability body are told, and the dossier
 * is written like any other.
 */
import { CancellationScope } from '@temporalio/workflow';
import { RefusalType } from '../../domain/case/contract';
import type { Basis, Rulebook } from '../../domain/rulebooks/schema';
import { refuse } from './actions';
import { checkDate, checkText, today, type CaseContext } from './context';

/**
 * None of the five texts has an article on withdrawal; these are the product's readings, stated
 * here so an auditor can disagree with them.
 */
export const WITHDRAWAL_BASIS = {
  /** The application is the party's right ("可……提交"), so it may give it up in writing before the decision. */
  applicant: (rulebook: Rulebook): Basis => ({
    article: `${applicationArticle(rulebook)}（原文未设撤回专条）`,
    quote: '申请容错免责系当事人的权利（“可……提出”）；当事人在作出认定前书面撤回申请的，容错免责程序终结',
  }),
  /** The authority that opened the review may end it when there is nothing left to review (accountability dropped, opened in error). */
  authority: {
    article: '本系统规则（原文未设专条）',
    quote: '问责程序终止或者案件系误立等情形，经负责的领导决定并说明理由，容错免责程序终结，书面告知当事人',
  } satisfies Basis,
  /** An operator cancelled the workflow itself; the case is closed, never left half-way. */
  cancelled: {
    article: '本系统规则（非法规条文）',
    quote: '运维人员取消的案件仍须终结并存档，不得停滞',
  } satisfies Basis,
};

function applicationArticle(rulebook: Rulebook): string {
  for (const step of rulebook.steps) {
    if (step.kind === 'partyWindow') return step.deadline.basis.article;
    if (step.kind === 'intake') {
      const route = step.routes.find((r) => r.route === 'application');
      if (route) return route.basis.article;
    }
  }
  return '申请条款';
}

/**
 * A supervisor may end the case at any point before it closes: on the applicant's written withdrawal
 * of its application (before the determination), or on the authority's own decision, with reasons.
 * The procedure scope is cancelled, so whatever step the case waited in gives way.
 */
export function offerWithdrawal(ctx: CaseContext, procedure: CancellationScope): void {
  const { actions, file, rulebook } = ctx;
  actions.offer('withdrawCase', {
    label: '撤回申请或终结程序',
    roles: ['supervisor'],
    validate: (input) => {
      checkText('reason', input.reason);
      const withdrawal = input.applicantWithdrawal;
      if (!withdrawal) return;
      const application = file.state.application;
      const basis = WITHDRAWAL_BASIS.applicant(rulebook);
      if (!application) refuse(RefusalType.wrongStage, '本案未收到容错免责申请，无可撤回的申请', basis);
      if (file.state.determination) refuse(RefusalType.wrongStage, `已于 ${file.state.determination.decidedOn} 作出认定，申请不能再撤回`, basis);
      if (withdrawal.filedBy !== application.filedBy) refuse(RefusalType.invalidInput, 'applicantWithdrawal.filedBy：只能由提出申请的一方撤回', basis);
      checkDate('applicantWithdrawal.receivedOn', withdrawal.receivedOn, { date: application.filedAt, what: '申请日' });
    },
    apply: (input) => {
      const withdrawal = input.applicantWithdrawal;
      file.state.withdrawal = {
        withdrawnOn: withdrawal?.receivedOn ?? today(),
        reason: input.reason,
        by: withdrawal ? withdrawal.filedBy : 'authority',
        recordedBy: input.actor,
      };
      file.record(withdrawal ? 'applicationWithdrawn' : 'reviewEnded', {
        actor: input.actor,
        detail: withdrawal ? `${withdrawal.receivedOn} 收到书面撤回申请：${input.reason}` : `决定终结容错免责程序：${input.reason}`,
        basis: withdrawal ? WITHDRAWAL_BASIS.applicant(rulebook) : WITHDRAWAL_BASIS.authority,
      });
      procedure.cancel();
    },
  });
}

/** Closes a case that did not run its course, and tells who must know. Runs in a non-cancellable scope. */
export async function closeEarly(ctx: CaseContext, how: 'withdrawn' | 'cancelled'): Promise<void> {
  const { file, input } = ctx;
  const { state } = file;
  // No deadline runs for a case that has ended: what was still running is superseded, not left pending.
  for (const record of state.deadlines) if (record.status === 'pending') ctx.deadlines.settle(record, 'superseded');
  if (!state.closed) {
    file.close(how, how === 'withdrawn' ? (state.withdrawal?.by === 'authority' ? '问责部门决定终结容错免责程序' : '当事人撤回容错免责申请') : '流程被运维人员取消');
  }
  if (how === 'cancelled') {
    file.record('cancelled', { detail: '工作流被取消；案件已终结并存档', basis: WITHDRAWAL_BASIS.cancelled });
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:cancelled:supervisor`,
      recipient: { kind: 'role', role: 'supervisor', authority: input.authority },
      subject: `【案件被取消】${input.caseId}`,
      body: `${input.caseId} 的工作流被运维人员取消，案件已终结并存档；如系误操作，请重新立案。`,
    });
  } else {
    for (const party of ['subject', 'subjectOrganisation'] as const) {
      await ctx.effects.notify({
        caseId: input.caseId,
        idempotencyKey: `${input.caseId}:withdrawn:${party}`,
        recipient: { kind: 'party', party },
        subject: '容错免责程序终结',
        body: `${input.caseId}：${state.withdrawal?.by === 'authority' ? `问责部门决定终结容错免责程序（${state.withdrawal.reason}）` : '已收到书面撤回申请，容错免责程序终结'}。`,
      });
    }
  }
  if (state.accountability.status === 'suspended') {
    state.accountability.status = 'proceeding';
    file.record('accountabilityResumed', { detail: `容错免责程序终结，通知${input.accountability.body ?? '问责实施机关'}恢复追责程序` });
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${how}:accountability-resume`,
      recipient: { kind: 'body', name: input.accountability.body ?? input.authority },
      subject: `恢复追责：${input.accountability.reference}`,
      body: `${input.caseId} 的容错免责程序已终结，请恢复 ${input.accountability.reference} 的处理程序。`,
    });
  }
  file.publish();
}
