/**
 * What a tolerance outcome needs, as the rule says it: an item cited that may
 * ground that outcome (an item grounds the outcomes its catalogue allows, or
 * those it names itself), every condition affirmed (one per group of
 * alternatives), and no excluded circumstance found where the rule bars it.
 * Used by the determination and by an appeal decision that revises it.
 */
import { RefusalType } from '../../domain/case/contract';
import { OUTCOME_NAMES, type CatalogueItem, type Outcome, type Rulebook, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from './actions';

export interface ToleranceInput {
  outcome: Outcome;
  circumstances: string[];
  mitigating: string[];
  conditions: string[];
  exclusions: string[];
}

type Rule = Exclude<NonNullable<StepOf<'deliberation'>['toleranceRequires']>, unknown[]>;

/** The rule's requirements, one per group of outcomes (a rulebook of the first release has one). */
export function toleranceRules(step: StepOf<'deliberation'>): Rule[] {
  const requires = step.toleranceRequires;
  return !requires ? [] : Array.isArray(requires) ? requires : [requires];
}

/** The outcomes an item may ground: its own list, else its catalogue's (an exempting item grounds the lesser outcomes too). */
function supports(item: CatalogueItem, catalogue: 'eligible' | 'mitigating'): Outcome[] {
  return item.supports ?? (catalogue === 'eligible' ? ['exempt', 'mitigated', 'lenient'] : ['mitigated', 'lenient']);
}

export function checkTolerance(step: StepOf<'deliberation'>, rulebook: Rulebook, input: ToleranceInput): void {
  const catalogues = rulebook.catalogues ?? {};
  const name = OUTCOME_NAMES[input.outcome];
  for (const rule of toleranceRules(step).filter((r) => r.outcomes.includes(input.outcome))) {
    if (rule.noExclusion && input.exclusions.length > 0) {
      refuse(RefusalType.outcomeNotAllowed, `存在不予容错情形 ${input.exclusions.join('、')}，不能认定为${name}`, rule.basis);
    }
    if (rule.eligibleCircumstance) {
      const cited = [
        ...(catalogues.eligible?.items ?? []).filter((i) => input.circumstances.includes(i.id)).map((i) => supports(i, 'eligible')),
        ...(catalogues.mitigating?.items ?? []).filter((i) => input.mitigating.includes(i.id)).map((i) => supports(i, 'mitigating')),
      ];
      if (!cited.some((outcomes) => outcomes.includes(input.outcome))) {
        refuse(RefusalType.outcomeNotAllowed, `认定为${name}须援引至少一项可作为${name}依据的情形`, rule.basis);
      }
    }
    if (rule.allConditions) {
      // Conditions of one group are alternatives (焦作: 集体决策, or an emergency's 临时处置); every group must be met.
      const groups = new Map<string, CatalogueItem[]>();
      for (const item of catalogues.conditions?.items ?? []) groups.set(item.group ?? item.id, [...(groups.get(item.group ?? item.id) ?? []), item]);
      const missing = [...groups.values()].filter((items) => !items.some((i) => input.conditions.includes(i.id)));
      if (missing.length > 0) {
        refuse(RefusalType.outcomeNotAllowed, `认定为${name}须同时符合全部条件，未确认：${missing.map((items) => items.map((i) => i.article).join('或')).join('、')}`, rule.basis);
      }
    }
  }
}
