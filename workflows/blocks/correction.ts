/**
 * The correction list (阳江 纠错建议清单): issued with the feedback of the
 * determination, every item with an owner and a due date. The unit reports on
 * each item (整改报告) or a supervisor waives it with a reason; an item still
 * open at the end of its due date is escalated to the discipline body. The
 * correction phase closes only when every item is reported or waived.
 */
import { endOfDayBeijing } from '../../domain/calendar';
import { RefusalType, type CorrectionItem } from '../../domain/case/contract';
import type { StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkText, today, type CaseContext } from '../engine/context';
import { documentFacts, issue } from './documents';

/**
 * Offers the correction list and waits until it is issued (the items, or why none are needed). Where
 * the list goes out with the notice (`issuedWith`), the notice calls this before its documents.
 */
export function awaitCorrectionList(step: StepOf<'correction'>, ctx: CaseContext): Promise<void> {
  const { file, actions } = ctx;
  // The condition's own promise, not one more await around it: cases recorded before this was a
  // function of its own issue their commands in the order they were recorded with.
  if (file.state.correctionList) return Promise.resolve();
  actions.offer('issueCorrectionList', {
    label: step.label,
    roles: step.roles,
    validate: (list) => {
      if (list.items.length === 0 && !list.noneReason?.trim()) refuse(RefusalType.invalidInput, 'items：清单至少列出一项，或在 noneReason 中说明无需整改的理由', step.basis);
      const ids = new Set<string>();
      for (const [i, item] of list.items.entries()) {
        if (ids.has(item.id)) refuse(RefusalType.invalidInput, `items.${i}.id：${item.id} 重复`);
        ids.add(item.id);
        checkText(`items.${i}.description`, item.description);
        checkText(`items.${i}.owner`, item.owner);
        if (item.dueOn <= today()) refuse(RefusalType.invalidInput, `items.${i}.dueOn：${item.dueOn} 须晚于今日`);
      }
    },
    apply: (list) => {
      file.state.correctionList = { items: list.items.map((i) => ({ ...i, status: 'open', overdue: false })), ...(list.items.length === 0 ? { noneReason: list.noneReason! } : {}) };
      actions.withdraw('issueCorrectionList');
      file.record('correctionListIssued', {
        actor: list.actor,
        detail: list.items.length === 0 ? `无需整改：${list.noneReason}` : list.items.map((i) => `${i.id} ${i.owner} ${i.dueOn}`).join('；'),
        basis: step.basis,
      });
    },
  });
  return actions.until(() => file.state.correctionList !== undefined);
}

/** The list's document to the owners of its items (none where nothing needs correcting); issued once. Answers the issue's own promise (see above). */
export function issueCorrectionDocument(step: StepOf<'correction'>, ctx: CaseContext): Promise<unknown> {
  const { file, input } = ctx;
  const list = file.state.correctionList!;
  if (list.items.length === 0 || file.state.documents.some((d) => d.kind === step.document.kind)) return Promise.resolve();
  const owners = [...new Set(list.items.map((i) => i.owner))].map((body) => ({ body }));
  const correctionItems = list.items.map(({ id, description, owner, dueOn }) => ({ id, description, owner, dueOn }));
  return issue(ctx, step.stage, step.document, owners, [], file.state.determination?.recordedBy ?? input.openedBy, documentFacts(ctx, { correctionItems }));
}

export async function correction(step: StepOf<'correction'>, ctx: CaseContext): Promise<void> {
  const { file, actions } = ctx;
  if (step.alongside) file.enterAlongside(step.stage);
  else file.enterStage(step.stage);

  const openItem = (itemId: string): CorrectionItem => {
    const item = file.state.correctionList?.items.find((i) => i.id === itemId);
    if (!item) refuse(RefusalType.invalidInput, `itemId：清单中没有 ${itemId}`);
    if (item.status !== 'open') refuse(RefusalType.wrongStage, `${itemId} 已${item.status === 'reported' ? '提交整改报告' : '免于整改'}`);
    return item;
  };

  await awaitCorrectionList(step, ctx);
  const list = file.state.correctionList!;
  if (list.items.length === 0) {
    list.closedOn = today();
    if (step.alongside) file.leaveAlongside(step.stage);
    return;
  }
  await issueCorrectionDocument(step, ctx);

  actions.offer('fileRectificationReport', {
    label: '提交整改报告',
    roles: step.roles,
    validate: (report) => {
      openItem(report.itemId);
      checkDate('reportedOn', report.reportedOn, { date: file.state.notice?.servedOn, what: '清单下发日' });
      checkText('summary', report.summary);
    },
    apply: (report) => {
      const item = list.items.find((i) => i.id === report.itemId)!;
      item.status = 'reported';
      item.report = { reportedOn: report.reportedOn, summary: report.summary, recordedBy: report.actor };
      file.record('rectificationReported', { actor: report.actor, detail: `${item.id}（${item.owner}）${report.reportedOn} 提交整改报告${item.overdue ? '（逾期）' : ''}`, basis: step.basis });
    },
  });
  actions.offer('waiveCorrectionItem', {
    label: '免于整改',
    roles: step.waiverRoles,
    validate: (waiver) => {
      openItem(waiver.itemId);
      checkText('reason', waiver.reason);
    },
    apply: (waiver) => {
      const item = list.items.find((i) => i.id === waiver.itemId)!;
      item.status = 'waived';
      item.waiver = { reason: waiver.reason, waivedBy: waiver.actor };
      file.record('correctionWaived', { actor: waiver.actor, detail: `${item.id} 免于整改：${waiver.reason}`, basis: step.basis });
    },
  });

  const resting = actions.rest();
  await Promise.all(list.items.map((item) => watchItem(item, step, ctx)));
  resting();
  actions.withdraw('fileRectificationReport', 'waiveCorrectionItem');
  list.closedOn = today();
  file.record('correctionClosed', { detail: '纠错建议清单各项均已整改报告或说明理由免于整改', basis: step.basis });
  if (step.alongside) file.leaveAlongside(step.stage);
}

/** Waits for an item to be reported or waived; past its due date, escalates once and keeps waiting. */
async function watchItem(item: CorrectionItem, step: StepOf<'correction'>, ctx: CaseContext): Promise<void> {
  const journal = ctx.file.journal;
  if (await journal.wait(() => item.status !== 'open', endOfDayBeijing(item.dueOn), `correction item ${item.id} due ${item.dueOn}`)) return;
  item.overdue = true;
  const basis = step.escalateBasis ?? step.basis;
  ctx.file.record('correctionOverdue', { detail: `${item.id}（${item.owner}）整改期限 ${item.dueOn} 已过，未提交整改报告，报${step.escalateTo}`, basis });
  await ctx.effects.notify({
    caseId: ctx.input.caseId,
    idempotencyKey: `${ctx.input.caseId}:${step.stage}:${item.id}:overdue`,
    recipient: { kind: 'body', name: step.escalateTo },
    subject: `【整改逾期】${ctx.input.caseId} ${item.id}`,
    body: `${item.owner} 未按期（${item.dueOn}）提交“${item.description}”的整改报告（${basis.article}），请督促。`,
  });
  await journal.until(() => item.status !== 'open');
}
