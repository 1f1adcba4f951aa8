/**
 * An appeal decision that changes the conclusion changes the case (滨海 第十七条,
 * 焦作 程序(五)): the changed conclusion is checked like a determination, takes
 * its place (the replaced one stays on file), its documents are issued anew
 * and numbered, the parties and the bodies told, and its effect on the
 * accountability follows it.
 */
import { RefusalType, type DecideAppealInput, type Determination } from '../../domain/case/contract';
import { OUTCOME_NAMES, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkItems, checkText, type CaseContext } from '../engine/context';
import { checkTolerance } from '../engine/tolerance';
import { appealRoute } from './appeal';
import { documentFacts, issue } from './documents';
import { recipientsOf } from './recipients';


/** A revised result needs the changed conclusion, which must meet what a determination must. */
export function checkRevision(ctx: CaseContext, step: StepOf<'appeal'>, decision: DecideAppealInput): void {
  if (decision.result !== 'revised') return;
  const revision = decision.revision;
  if (!revision) refuse(RefusalType.invalidInput, 'revision：变更原结论的，须写明变更后的结论', step.decision.basis);
  const deliberation = ctx.rulebook.steps.find((s) => s.kind === 'deliberation');
  if (deliberation?.kind !== 'deliberation') return;
  if (!deliberation.outcomes.includes(revision.outcome)) refuse(RefusalType.outcomeNotAllowed, `本规则不允许认定为 ${revision.outcome}`, deliberation.basis);
  if (revision.outcome === ctx.file.state.determination?.outcome) refuse(RefusalType.invalidInput, `revision.outcome：与原结论（${OUTCOME_NAMES[revision.outcome]}）相同，应为维持原结论`);
  checkText('revision.reasons', revision.reasons);
  const catalogues = ctx.rulebook.catalogues ?? {};
  checkItems('revision.circumstances', revision.circumstances, catalogues.eligible, ctx);
  checkItems('revision.mitigating', revision.mitigating, catalogues.mitigating, ctx);
  checkItems('revision.conditions', revision.conditions, catalogues.conditions);
  checkItems('revision.exclusions', revision.exclusions, catalogues.excluded);
  checkTolerance(deliberation, ctx.rulebook, revision);
}

/** The changed conclusion takes the place of the one appealed, which stays on file. */
export function applyRevision(ctx: CaseContext, step: StepOf<'appeal'>, decision: DecideAppealInput): void {
  const { file, rulebook } = ctx;
  const revision = decision.result === 'revised' ? decision.revision : undefined;
  const original = file.state.determination;
  if (!revision || !original) return;
  (file.state.determinationHistory ??= []).push(original);
  const revised: Determination = {
    ...revision,
    decidedBy: original.decidedBy,
    decidedOn: decision.decidedOn,
    recordedBy: decision.actor,
    effects: rulebook.effects?.[revision.outcome] ?? [],
    ...(original.approvingBody ? { approvingBody: original.approvingBody } : {}),
    revisedOnAppeal: true,
  };
  file.state.determination = revised;
  file.state.outcome = revision.outcome;
  file.record('determinationRevised', {
    actor: decision.actor,
    detail: `申诉处理决定变更原结论：${OUTCOME_NAMES[original.outcome]} → ${OUTCOME_NAMES[revision.outcome]}`,
    basis: step.decision.basis,
  });
}

/**
 * The filing step that comes before the conclusion is executed (滨海 第十四条(二) "经……备案后执行"):
 * one that stands before the notice, for this case's level.
 */
function filingBeforeExecution(ctx: CaseContext): StepOf<'filing'> | undefined {
  const steps = ctx.rulebook.steps;
  const notice = steps.findIndex((s) => s.kind === 'notice');
  const filing = steps.findIndex((s) => s.kind === 'filing' && (!s.onlyForLevel || s.onlyForLevel === ctx.input.level));
  const step = steps[filing];
  return step?.kind === 'filing' && filing < notice ? step : undefined;
}

/**
 * A conclusion changed on appeal is still the authority's 容错免责意见: where the rule has such
 * opinions filed with the superior body before they are executed, the revised one is filed too,
 * before its documents are issued and its effect on the accountability takes hold.
 */
async function fileRevision(ctx: CaseContext, step: StepOf<'filing'>): Promise<void> {
  const { file, actions } = ctx;
  const revised = file.state.determination!;
  actions.offer('recordFiling', {
    label: `${step.label}（申诉变更后的结论）`,
    roles: step.roles,
    validate: (input) => checkDate('filedOn', input.filedOn, { date: revised.decidedOn, what: '申诉处理决定日' }),
    apply: (input) => {
      file.state.revisionFiling = { filedWith: step.filedWith, filedOn: input.filedOn, reference: input.reference, recordedBy: input.actor };
      actions.withdraw('recordFiling');
      file.record('revisionFiled', { actor: input.actor, detail: `${input.filedOn} 将申诉变更后的结论向${step.filedWith}备案${input.reference ? `（${input.reference}）` : ''}`, basis: step.basis });
    },
  });
  file.record('revisionFilingDue', { detail: `申诉变更后的结论（${OUTCOME_NAMES[revised.outcome]}）须向${step.filedWith}备案后执行`, basis: step.basis });
  await actions.until(() => file.state.revisionFiling !== undefined);
}

/** The changed conclusion's documents, notices and effect on the accountability. */
export async function followRevision(ctx: CaseContext): Promise<void> {
  const { file, input, rulebook } = ctx;
  const revised = file.state.determination!;
  const filing = filingBeforeExecution(ctx);
  if (filing) await fileRevision(ctx, filing);
  const notice = rulebook.steps.find((s) => s.kind === 'notice');
  if (notice?.kind === 'notice') {
    const copyTo = notice.copyTo.filter((c) => c.outcomes.includes(revised.outcome));
    for (const { document } of notice.documents.filter((d) => d.outcomes.includes(revised.outcome))) {
      await issue(ctx, `${notice.stage}-revision`, { ...document, title: `${document.title}（申诉变更）` }, recipientsOf(notice, file.state), copyTo.flatMap((c) => c.to), revised.recordedBy, documentFacts(ctx, { appeal: appealRoute(ctx, revised.outcome) }));
    }
    for (const to of recipientsOf(notice, file.state)) {
      await ctx.effects.notify({
        caseId: input.caseId,
        idempotencyKey: `${input.caseId}:${notice.stage}-revision:${to}`,
        recipient: to === 'accountabilityBody' ? { kind: 'body', name: input.accountability.body ?? input.authority } : { kind: 'party', party: to },
        subject: `容错免责结论（申诉变更）：${OUTCOME_NAMES[revised.outcome]}`,
        body: `${input.caseId} 经申诉变更结论为“${OUTCOME_NAMES[revised.outcome]}”，${file.state.documents.filter((d) => d.title.endsWith('（申诉变更）')).map((d) => d.number).join('、')}`,
      });
    }
    for (const body of copyTo.flatMap((c) => c.to)) {
      await ctx.effects.notify({
        caseId: input.caseId,
        idempotencyKey: `${input.caseId}:${notice.stage}-revision:copy:${body}`,
        recipient: { kind: 'body', name: body },
        subject: `抄送（申诉变更）：${input.caseId}`,
        body: `${input.caseId}：结论经申诉变更为“${OUTCOME_NAMES[revised.outcome]}”。`,
      });
    }
  }
  if (file.state.execution) file.record('executionRevisionDue', { detail: `原结论已于 ${file.state.execution.executedOn} 执行；执纪问责部门应依变更后的结论执行` });
  const stop = revised.effects.find((e) => e.stopsAccountability);
  const status = file.state.accountability.status;
  if ((stop && status === 'stopped') || (!stop && status !== 'stopped')) return;
  file.state.accountability.status = stop ? 'stopped' : 'proceeding';
  file.record(stop ? 'accountabilityStopped' : 'accountabilityResumed', {
    detail: `结论经申诉变更为${OUTCOME_NAMES[revised.outcome]}，通知${input.accountability.body ?? '问责部门'}${stop ? '停止执行处理程序，免于追责' : '恢复追责程序'}`,
    ...(stop ? { basis: stop.basis } : {}),
  });
  await ctx.effects.notify({
    caseId: input.caseId,
    idempotencyKey: `${input.caseId}:appeal-revision:accountability`,
    recipient: { kind: 'body', name: input.accountability.body ?? input.authority },
    subject: `${stop ? '停止执行处理程序' : '恢复追责'}：${input.accountability.reference}`,
    body: `${input.caseId} 经申诉变更结论为${OUTCOME_NAMES[revised.outcome]}，请${stop ? '停止执行' : '恢复'} ${input.accountability.reference} 的处理程序。`,
  });
}
