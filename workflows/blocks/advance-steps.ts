/**
 * Steps the rule requires before a measure was implemented, for the mistake to
 * be tolerated (焦作 特事特办: 要经同级人民政府同意后，在实施前向上级业务主管部门报告
 * 并征得同意). Each is recorded with the document that shows it and its date;
 * a tolerance outcome is refused while one is missing or came after the
 * measure was implemented.
 */
import { compareDates } from '../../domain/calendar';
import { RefusalType } from '../../domain/case/contract';
import { OUTCOME_NAMES, type Outcome } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkDate, checkText, type CaseContext } from '../engine/context';

/** The requirements that apply to this case: those whose attribute it has. */
function applicable(ctx: Pick<CaseContext, 'input' | 'rulebook'>) {
  return (ctx.rulebook.advanceRequirements ?? []).filter((r) => ctx.input.attributes?.[r.appliesWhenAttribute]);
}

/** Offers the recording of advance steps, until the determination (which withdraws it). */
export function offerAdvanceSteps(ctx: CaseContext, roles: readonly string[]): void {
  const { file, actions } = ctx;
  const requirements = applicable(ctx);
  if (requirements.length === 0) return;
  actions.offer('recordAdvanceStep', {
    label: `登记${requirements.map((r) => r.label).join('、')}的事前程序`,
    roles,
    validate: (step) => {
      const requirement = requirements.find((r) => r.id === step.requirement);
      if (!requirement) refuse(RefusalType.invalidInput, `requirement：本案适用的事前程序为 ${requirements.map((r) => r.id).join('、')}`);
      if (!requirement.items.some((i) => i.id === step.item)) refuse(RefusalType.invalidInput, `item：${requirement.label}的事前程序为 ${requirement.items.map((i) => i.id).join('、')}`, requirement.basis);
      checkText('reference', step.reference);
      checkText('by', step.by);
      checkDate('on', step.on);
    },
    apply: (step) => {
      const requirement = requirements.find((r) => r.id === step.requirement)!;
      const item = requirement.items.find((i) => i.id === step.item)!;
      (file.state.advanceSteps ??= []).push({ requirement: step.requirement, item: step.item, reference: step.reference, by: step.by, on: step.on, recordedBy: step.actor });
      file.record('advanceStepRecorded', { actor: step.actor, detail: `${requirement.label}：${item.label}（${step.by}，${step.reference}，${step.on}）`, basis: requirement.basis });
    },
  });
}

/**
 * Refuses a tolerance outcome while a required advance step is missing, came after the measure was
 * implemented, or (where the rule orders them) came before the step it must follow.
 */
export function checkAdvanceSteps(ctx: CaseContext, outcome: Outcome): void {
  for (const requirement of applicable(ctx).filter((r) => r.outcomes.includes(outcome))) {
    const implementedOn = ctx.input.advanceMatters?.[requirement.id]?.implementedOn;
    /** The day of the item before, in an ordered requirement: the next may not come earlier. */
    let previous: { label: string; on: string } | undefined;
    for (const item of requirement.items) {
      const taken = (ctx.file.state.advanceSteps ?? []).filter((s) => s.requirement === requirement.id && s.item === item.id);
      if (taken.length === 0) refuse(RefusalType.outcomeNotAllowed, `${requirement.label}未${item.label}，不能认定为${OUTCOME_NAMES[outcome]}`, requirement.basis);
      const inTime = implementedOn ? taken.filter((s) => compareDates(s.on, implementedOn) <= 0) : taken;
      if (implementedOn && inTime.length === 0) {
        refuse(RefusalType.outcomeNotAllowed, `${requirement.label}须在实施（${implementedOn}）前${item.label}，登记的日期晚于实施日，不能认定为${OUTCOME_NAMES[outcome]}`, requirement.basis);
      }
      if (!requirement.ordered) continue;
      const after = inTime.filter((s) => !previous || compareDates(s.on, previous.on) >= 0).map((s) => s.on).sort();
      if (after.length === 0) {
        refuse(RefusalType.outcomeNotAllowed, `${requirement.label}须先${previous!.label}（${previous!.on}），后${item.label}；登记的${item.label}日期早于前一程序，不能认定为${OUTCOME_NAMES[outcome]}`, requirement.basis);
      }
      previous = { label: item.label, on: after[0]! };
    }
  }
}
