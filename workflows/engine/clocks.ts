/**
 * An authority's deadline starts when the regulation starts it, not when the
 * step that meets it begins: 滨海's notice runs from the decision (第十五条)
 * while the filing before it is still pending, 银川's 认定书 from the
 * investigation report while the determination is being made. At the event,
 * the deadlines of the later steps that count from it are opened and watched;
 * the step finds its deadline already running.
 */
import type { IsoDate } from '../../domain/calendar';
import type { DeadlineRule, Step } from '../../domain/rulebooks/schema';
import type { CaseContext } from './context';

export type ClockEvent = 'investigationReport' | 'decision';

interface Clock {
  key: string;
  label: string;
  rule: DeadlineRule;
}

/** The deadline a step of the case will meet, counted from `event`; none where the step has none or will not run. */
function clockOf(step: Step, event: ClockEvent, ctx: CaseContext): Clock | undefined {
  if (step.kind === 'notice' && step.deadline && step.countsFrom === event) return { key: step.stage, label: step.label, rule: step.deadline };
  const filed = step.kind === 'filing' && (!step.onlyForLevel || ctx.input.level === step.onlyForLevel);
  if (filed && step.deadline && event === 'decision') return { key: step.stage, label: step.label, rule: step.deadline };
  return undefined;
}

/**
 * The deadlines to start at `event`: those of later steps that count from it and are not running
 * yet. None for cases started before clocks started at their event. Synchronous, so a case with
 * none to start (every case recorded before) issues its commands as before: call `startClocks` only
 * when this found some.
 */
export function clocksAt(ctx: CaseContext, event: ClockEvent): Clock[] {
  const clocks = ctx.rulebook.steps.map((s) => clockOf(s, event, ctx)).filter((c): c is Clock => c !== undefined && !ctx.deadlines.find(c.key));
  return clocks;
}

/** Opens and watches the deadlines from `date`, the day of their event. */
export async function startClocks(ctx: CaseContext, clocks: Clock[], date: IsoDate): Promise<void> {
  for (const clock of clocks) {
    const due = await ctx.deadlines.open({ key: clock.key, label: clock.label, binds: 'authority', rule: clock.rule, from: date });
    ctx.background(ctx.deadlines.watchAuthority(due));
  }
}
