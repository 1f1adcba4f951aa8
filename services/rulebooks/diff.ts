/**
 * What changed from one version of a jurisdiction's rulebook to another, as a
 * reviewer reads a revision: steps added, removed or changed (by stage), the
 * periods (every deadline, window, cap and recording period: amount, unit,
 * article), the catalogues' items (by id) and the effects of each outcome.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DeadlineRule, Rulebook, Step } from '../../domain/rulebooks/schema';

export interface FieldChange {
  path: string;
  from: unknown;
  to: unknown;
}

export interface RulebookDiff {
  from: { id: string; version: string; revision: number };
  to: { id: string; version: string; revision: number };
  steps: {
    added: { stage: string; kind: string; label: string }[];
    removed: { stage: string; kind: string; label: string }[];
    changed: { stage: string; kind: string; label: string; changes: FieldChange[] }[];
    /** The order of the stages where it changed. */
    reordered?: { from: string[]; to: string[] };
  };
  periods: { path: string; label: string; change: 'added' | 'removed' | 'changed'; from?: PeriodView; to?: PeriodView }[];
  catalogues: { catalogue: string; id: string; change: 'added' | 'removed' | 'changed'; from?: unknown; to?: unknown }[];
  effects: { outcome: string; change: 'added' | 'removed'; text: string; article: string }[];
  /** Everything else at the top of the file (name, issuing body, in-force date, attributes…). */
  other: FieldChange[];
}

interface PeriodView {
  amount: number;
  unit: string;
  article: string;
}

const view = (r: DeadlineRule): PeriodView => ({ amount: r.amount, unit: r.unit, article: r.basis.article });

/** Every period of the rulebook, by where it stands: `steps.<stage>.<field path>`, or `recordingPeriod`. */
function periodsOf(book: Rulebook): Map<string, { label: string; rule: DeadlineRule }> {
  const found = new Map<string, { label: string; rule: DeadlineRule }>();
  const walk = (value: unknown, path: string[], label: string) => {
    if (!value || typeof value !== 'object') return;
    const o = value as Record<string, unknown>;
    if (typeof o.amount === 'number' && typeof o.unit === 'string' && o.basis && typeof o.basis === 'object') {
      found.set(path.join('.'), { label, rule: o as unknown as DeadlineRule });
      return;
    }
    for (const [k, v] of Object.entries(o)) if (!Array.isArray(v)) walk(v, [...path, k], label);
  };
  for (const step of book.steps) walk(step, ['steps', step.stage], step.label);
  if (book.recordingPeriod) found.set('recordingPeriod', { label: '逾期登记期', rule: book.recordingPeriod });
  return found;
}

/** The leaves of a value by dotted path, periods left out (they are compared as periods). */
function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o.amount === 'number' && typeof o.unit === 'string' && o.basis) return out;
    for (const [k, v] of Object.entries(o)) leaves(v, path ? `${path}.${k}` : k, out);
  } else out.set(path, value);
  return out;
}

function fieldChanges(a: unknown, b: unknown, prefix = ''): FieldChange[] {
  const left = leaves(a, prefix, new Map());
  const right = leaves(b, prefix, new Map());
  const changes: FieldChange[] = [];
  for (const path of new Set([...left.keys(), ...right.keys()])) {
    if (!isDeepStrictEqual(left.get(path), right.get(path))) changes.push({ path, from: left.get(path), to: right.get(path) });
  }
  return changes;
}

const stepRef = (s: Step) => ({ stage: s.stage, kind: s.kind, label: s.label });

export function diffRulebooks(from: Rulebook, to: Rulebook): RulebookDiff {
  const before = new Map(from.steps.map((s) => [s.stage, s]));
  const after = new Map(to.steps.map((s) => [s.stage, s]));
  const steps: RulebookDiff['steps'] = {
    added: to.steps.filter((s) => !before.has(s.stage)).map(stepRef),
    removed: from.steps.filter((s) => !after.has(s.stage)).map(stepRef),
    changed: to.steps.flatMap((s) => {
      const old = before.get(s.stage);
      if (!old) return [];
      const changes = fieldChanges(old, s);
      return changes.length > 0 ? [{ ...stepRef(s), changes }] : [];
    }),
  };
  const kept = (list: Step[], other: Map<string, Step>) => list.filter((s) => other.has(s.stage)).map((s) => s.stage);
  const orderBefore = kept(from.steps, after);
  const orderAfter = kept(to.steps, before);
  if (!isDeepStrictEqual(orderBefore, orderAfter)) steps.reordered = { from: orderBefore, to: orderAfter };

  const p1 = periodsOf(from);
  const p2 = periodsOf(to);
  const periods: RulebookDiff['periods'] = [];
  for (const path of new Set([...p1.keys(), ...p2.keys()])) {
    const a = p1.get(path);
    const b = p2.get(path);
    if (a && !b) periods.push({ path, label: a.label, change: 'removed', from: view(a.rule) });
    else if (!a && b) periods.push({ path, label: b.label, change: 'added', to: view(b.rule) });
    else if (a && b && !isDeepStrictEqual(view(a.rule), view(b.rule))) periods.push({ path, label: b.label, change: 'changed', from: view(a.rule), to: view(b.rule) });
  }

  const catalogues: RulebookDiff['catalogues'] = [];
  for (const name of new Set([...Object.keys(from.catalogues), ...Object.keys(to.catalogues)]) as Set<keyof Rulebook['catalogues']>) {
    const a = new Map((from.catalogues[name]?.items ?? []).map((i) => [i.id, i]));
    const b = new Map((to.catalogues[name]?.items ?? []).map((i) => [i.id, i]));
    for (const id of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(id);
      const y = b.get(id);
      if (x && !y) catalogues.push({ catalogue: name, id, change: 'removed', from: x });
      else if (!x && y) catalogues.push({ catalogue: name, id, change: 'added', to: y });
      else if (!isDeepStrictEqual(x, y)) catalogues.push({ catalogue: name, id, change: 'changed', from: x, to: y });
    }
  }

  const effects: RulebookDiff['effects'] = [];
  for (const outcome of new Set([...Object.keys(from.effects), ...Object.keys(to.effects)]) as Set<keyof Rulebook['effects']>) {
    const a = from.effects[outcome] ?? [];
    const b = to.effects[outcome] ?? [];
    for (const e of a) if (!b.some((x) => x.text === e.text)) effects.push({ outcome, change: 'removed', text: e.text, article: e.basis.article });
    for (const e of b) if (!a.some((x) => x.text === e.text)) effects.push({ outcome, change: 'added', text: e.text, article: e.basis.article });
  }

  const top = (b: Rulebook) => {
    const { steps: _s, catalogues: _c, effects: _e, recordingPeriod: _r, ...rest } = b;
    return rest;
  };
  return {
    from: { id: from.id, version: from.version, revision: from.revision },
    to: { id: to.id, version: to.version, revision: to.revision },
    steps,
    periods,
    catalogues,
    effects,
    other: fieldChanges(top(from), top(to)),
  };
}
