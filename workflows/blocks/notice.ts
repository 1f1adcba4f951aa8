/**
 * The written conclusion to the parties within the authority's deadline from
 * the decision: the documents the rule prescribes for the outcome are issued,
 * an officer records when they were served, copies go where the rule says,
 * and the outcome's effects on the accountability take hold.
 */
import type { IsoDate } from '../../domain/calendar';
import { acknowledgeServiceUpdate, RefusalType, type AcknowledgeServiceInput, type Actor, type CaseInput, type CaseState, type DeadlineRecord, type NotifyRequest } from '../../domain/case/contract';
import { OUTCOME_NAMES, type Basis, type Recipient, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, type CaseContext } from '../engine/context';
import { appealRoute } from './appeal';
import { awaitCorrectionList, issueCorrectionDocument } from './correction';
import { documentFacts, issue } from './documents';
import { RECIPIENT_NAMES, recipientsOf } from './recipients';

/**
 * The body holding the accountability, by the name the case gives it; where
 * the case names none, the authority holds it itself and its officers are
 * told (never a body "named" by the authority's id).
 */
export function accountabilityRecipient(input: CaseInput): NotifyRequest['recipient'] {
  return input.accountability.body ? { kind: 'body', name: input.accountability.body } : { kind: 'role', role: 'officer', authority: input.authority };
}

/** The correction step whose list is issued with the notice, if the rulebook has one. */
function correctionIssuedWithNotice(ctx: CaseContext): StepOf<'correction'> | undefined {
  const step = ctx.rulebook.steps.find((s) => s.kind === 'correction' && s.issuedWith === 'notice');
  return step?.kind === 'correction' ? step : undefined;
}

export async function notice(step: StepOf<'notice'>, ctx: CaseContext): Promise<void> {
  const { file, deadlines, input } = ctx;
  const determination = file.state.determination!;
  const outcome = determination.outcome;
  const recipients = recipientsOf(step, file.state);
  file.enterStage(step.stage);
  const from = step.countsFrom === 'investigationReport' ? (file.state.investigationReport?.submittedOn ?? determination.decidedOn) : determination.decidedOn;
  // Running since its event (engine/clocks.ts), or, in cases started before that, opened now. Inline,
  // with the one await it always had, so those cases issue their commands as they did.
  const running = step.deadline ? deadlines.find(step.stage) : undefined;
  const due = running ?? (step.deadline ? await deadlines.open({ key: step.stage, label: step.label, binds: 'authority', rule: step.deadline, from }) : undefined);
  if (due && !running) ctx.background(deadlines.watchAuthority(due));
  const basis = step.deadline?.basis ?? step.documents[0]?.document.basis;

  const copyTo = step.copyTo.filter((c) => c.outcomes.includes(outcome));
  // Where the correction list goes out with the conclusion (阳江 二(五)4 纠错建议与调查认定一并反馈), the
  // notice waits for it, and the list is issued first so the notice can name it as its enclosure.
  const withList = correctionIssuedWithNotice(ctx);
  if (withList) {
    await awaitCorrectionList(withList, ctx);
    await issueCorrectionDocument(withList, ctx);
  }
  const enclosures = withList ? ctx.file.state.documents.filter((d) => d.kind === withList.document.kind).map((d) => ({ title: d.title, number: d.number })) : [];
  const facts = documentFacts(ctx, {
    appeal: appealRoute(ctx, outcome),
    ...(withList ? { enclosures, ...(file.state.correctionList?.noneReason ? { correctionNone: file.state.correctionList.noneReason } : {}) } : {}),
  });
  for (const { document } of step.documents.filter((d) => d.outcomes.includes(outcome))) {
    await issue(ctx, step.stage, document, recipients, copyTo.flatMap((c) => c.to), determination.recordedBy, facts);
  }

  await serveByInboxOrOfficer(step, ctx, recipients, due, basis);

  for (const copy of copyTo) {
    for (const body of copy.to) {
      await ctx.effects.notify({
        caseId: input.caseId,
        idempotencyKey: `${input.caseId}:${step.stage}:copy:${body}`,
        recipient: { kind: 'body', name: body },
        subject: `抄送：${file.state.documents.map((d) => d.title).join('、')}`,
        body: `${file.state.caseId}：${file.state.documents.map((d) => `${d.title}${d.number}`).join('、')}（${copy.basis.article}）`,
      });
    }
  }
  const stop = determination.effects.find((e) => e.stopsAccountability);
  if (!stop && file.state.accountability.status === 'suspended') {
    file.state.accountability.status = 'proceeding';
    file.record('accountabilityResumed', { detail: `认定为${OUTCOME_NAMES[outcome]}，通知${input.accountability.body ?? '问责实施机关'}恢复追责程序` });
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:accountability-resume`,
      recipient: accountabilityRecipient(input),
      subject: `恢复追责：${input.accountability.reference}`,
      body: `${file.state.caseId} 认定为${OUTCOME_NAMES[outcome]}，请依认定书恢复 ${input.accountability.reference} 的处理程序。`,
    });
  }
  if (stop) {
    file.state.accountability.status = 'stopped';
    file.record('accountabilityStopped', { detail: `通知${input.accountability.body ?? '问责部门'}停止执行处理程序，免于追责`, basis: stop.basis });
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:accountability-stop`,
      recipient: accountabilityRecipient(input),
      subject: `停止执行处理程序：${input.accountability.reference}`,
      body: `${file.state.caseId} 已认定免责，请停止执行 ${input.accountability.reference} 的处理程序。`,
    });
  }
}

/** What the conclusion says to a party, and its identity as a notice. */
function conclusionNotice(step: StepOf<'notice'>, ctx: CaseContext, to: Recipient): NotifyRequest {
  const { file, input } = ctx;
  const outcome = file.state.determination!.outcome;
  return {
    caseId: input.caseId,
    idempotencyKey: `${input.caseId}:${step.stage}:${to}`,
    recipient: to === 'accountabilityBody' ? accountabilityRecipient(input) : { kind: 'party', party: to },
    subject: `容错免责结论：${OUTCOME_NAMES[outcome]}`,
    body: `${file.state.caseId} 认定结论为“${OUTCOME_NAMES[outcome]}”，${file.state.documents.map((d) => d.number).join('、')}`,
  };
}

/** The conclusion is served on every recipient: the authority's deadline is met and the step ends. */
function recordNoticeServed(ctx: CaseContext, due: DeadlineRecord | undefined, basis: Basis | undefined, servedOn: IsoDate, servedTo: Recipient[], by: Actor): void {
  const { file, actions } = ctx;
  file.state.notice = { servedOn, servedTo, recordedBy: by };
  if (due) ctx.deadlines.settle(due, 'met');
  actions.withdraw('serveNotice');
  file.record('noticeServed', { actor: by, detail: `${servedOn} 送达：${OUTCOME_NAMES[file.state.determination!.outcome]}`, ...(basis ? { basis } : {}) });
}

/**
 * The conclusion goes to every recipient's inbox (and e-mail) first; each is
 * served when it acknowledges receipt there, or when an officer records
 * serving it in person. The notice counts as served once every recipient is,
 * on the latest of their dates, so no party's window starts before that
 * party was served.
 */
async function serveByInboxOrOfficer(step: StepOf<'notice'>, ctx: CaseContext, recipients: Recipient[], due: DeadlineRecord | undefined, basis: Basis | undefined): Promise<void> {
  const { file, actions, input } = ctx;
  const determination = file.state.determination!;
  const receipts = (file.state.noticeReceipts = []) as NonNullable<CaseState['noticeReceipts']>;
  const receiptOf = (party: Recipient) => receipts.find((r) => r.party === party);

  const serve = (party: Recipient, servedOn: IsoDate, via: 'inbox' | 'officer', by: Actor) => {
    receipts.push({ party, servedOn, via, by });
    file.record(via === 'inbox' ? 'serviceAcknowledged' : 'servedByOfficer', { actor: by, detail: `${servedOn} 送达${RECIPIENT_NAMES[party]}`, ...(basis ? { basis } : {}) });
    if (!recipients.every((p) => receiptOf(p))) return file.publish();
    recordNoticeServed(ctx, due, basis, receipts.map((r) => r.servedOn).sort().at(-1)!, [...recipients], by);
  };

  actions.offer('serveNotice', {
    label: step.label,
    roles: step.roles,
    ...(due ? { deadline: due } : {}),
    validate: (served) => {
      checkDate('servedOn', served.servedOn, { date: determination.decidedOn, what: '决定日' });
      if (served.servedTo.length === 0) refuse(RefusalType.invalidInput, 'servedTo：至少登记一个受送达人', basis);
      for (const party of served.servedTo) {
        if (!recipients.includes(party)) refuse(RefusalType.invalidInput, `servedTo：${RECIPIENT_NAMES[party]} 不是本结论的受送达人`, basis);
        const receipt = receiptOf(party);
        if (receipt) refuse(RefusalType.invalidInput, `servedTo：${RECIPIENT_NAMES[party]} 已于 ${receipt.servedOn} 送达`, basis);
      }
    },
    apply: (served) => {
      for (const party of served.servedTo) serve(party, served.servedOn, 'officer', served.actor);
    },
  });

  ctx.file.journal.handleUpdate(
    acknowledgeServiceUpdate,
    (ack: AcknowledgeServiceInput) => {
      // A repeated acknowledgement (a retried request) changes nothing.
      if (!receiptOf(ack.party)) serve(ack.party, ack.servedOn, 'inbox', ack.actor);
      return file.stepResult();
    },
    (ack: AcknowledgeServiceInput) => {
      if (!recipients.includes(ack.party)) refuse(RefusalType.invalidInput, `party：${ack.party} 不是本结论的受送达人`, basis);
      // The account bound to the case now: at its opening, or later by an officer (bindSubjectAccount).
      if (ack.party === 'subject' && ack.actor.sub !== file.state.subject.userId) refuse(RefusalType.notPermitted, '只有被调查对象本人可以签收送达给本人的结论', basis);
      const receipt = receiptOf(ack.party);
      if (receipt && receipt.servedOn !== ack.servedOn) refuse(RefusalType.invalidInput, `${RECIPIENT_NAMES[ack.party]} 已于 ${receipt.servedOn} 送达`, basis);
      if (!receipt) checkDate('servedOn', ack.servedOn, { date: determination.decidedOn, what: '决定日' });
    },
  );

  for (const to of recipients) await ctx.effects.notify({ ...conclusionNotice(step, ctx, to), service: { stage: step.stage, party: to } });
  await actions.until(() => file.state.notice !== undefined);
}
