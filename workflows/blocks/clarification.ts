/**
 * Clearing the name of a cadre falsely or maliciously reported (澄清正名: 滨海
 * 第二十二条(三), 杭州 第十三条, 银川 支持保障(二), 阳江 二(三)5). The finding may be
 * recorded at any point of the case; the authority then issues the
 * clarification to the bodies the accusation reached, tells each of them, and
 * refers a malicious accusation for 查处 where the rule says so. The outcome
 * of the review is not changed by it.
 */
import type { StepOf } from '../../domain/rulebooks/schema';
import { checkDate, checkText, today, type CaseContext } from '../engine/context';
import { documentFacts, issue } from './documents';

export async function clarification(step: StepOf<'clarification'>, ctx: CaseContext): Promise<void> {
  const { file, actions, input } = ctx;
  actions.offer('recordAccusationFalse', {
    label: step.label,
    roles: step.roles,
    validate: (found) => {
      checkDate('foundOn', found.foundOn, { date: input.eventDate, what: '立案所依事件之日' });
      checkText('finding', found.finding);
      checkText('means', found.means);
      if (found.clarifyTo.length === 0) checkText('clarifyTo', undefined);
      found.clarifyTo.forEach((to, i) => checkText(`clarifyTo.${i}`, to));
    },
    apply: (found) => {
      file.state.clarification = { foundOn: found.foundOn, finding: found.finding, malicious: found.malicious, clarifyTo: found.clarifyTo, means: found.means, recordedBy: found.actor };
      actions.withdraw('recordAccusationFalse');
      file.record('accusationFoundFalse', { actor: found.actor, detail: `${found.foundOn} 查明：${found.finding}${found.malicious ? '（恶意举报）' : ''}`, basis: step.basis });
    },
  });
  // Waits the whole case for a finding; none when the case has run its course.
  await actions.until(() => file.state.clarification !== undefined || ctx.mainLineDone());
  const found = file.state.clarification;
  if (!found) {
    actions.withdraw('recordAccusationFalse');
    return;
  }
  file.enterAlongside(step.stage);
  const clarification = { foundOn: found.foundOn, finding: found.finding, malicious: found.malicious, means: found.means };
  await issue(ctx, step.stage, step.document, found.clarifyTo.map((body) => ({ body })), [], found.recordedBy, documentFacts(ctx, { clarification }));
  for (const body of found.clarifyTo) {
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:${body}`,
      recipient: { kind: 'body', name: body },
      subject: `澄清：${input.caseId}`,
      body: `${input.caseId}：经查，反映的问题失实（${found.finding}），请在影响范围内以${found.means}方式澄清，消除负面影响（${step.basis.article}）。`,
    });
  }
  if (found.malicious && step.referMalicious) {
    const refer = step.referMalicious;
    file.record('maliciousAccusationReferred', { detail: `恶意举报移送${refer.to}查处`, basis: refer.basis });
    await ctx.effects.notify({
      caseId: input.caseId,
      idempotencyKey: `${input.caseId}:${step.stage}:refer`,
      recipient: { kind: 'body', name: refer.to },
      subject: `移送查处：${input.caseId} 恶意举报`,
      body: `${input.caseId}：经查系恶意举报（${found.finding}），请依纪依法查处（${refer.basis.article}）。`,
    });
  }
  found.clarifiedOn = today();
  file.record('clarified', { detail: `已向${found.clarifyTo.join('、')}澄清`, basis: step.basis });
  file.leaveAlongside(step.stage);
}
