/**
 * The checks an uploaded rulebook version must pass before it is stored, each
 * answered as a list of problems naming the place in the file (its path, and
 * its line where the file is YAML or JSON text): the file parses; it fits the
 * rulebook schema and holds no field the schema does not know; every quote is
 * found verbatim in the regulation's text uploaded with it (the check
 * test/rulebooks/citations.test.ts makes of the shipped files); every step
 * kind, document kind, role and catalogue reference is known; every deadline
 * has its unit and basis; every value the text does not set is marked as the
 * rulebook's own choice, with the reason. Whether the revision is new is the
 * caller's check (it needs the archive).
 */
import { LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { PRODUCT_CHOICE, rulebookSchema, type Basis, type Rulebook } from '../../domain/rulebooks/schema';

export type CheckName = 'syntax' | 'schema' | 'unknownField' | 'quote' | 'reference' | 'deadline' | 'choice' | 'version' | 'source' | 'inForce';

export interface RulebookProblem {
  /** The place in the file: a dotted path (`steps.2.deadline.basis.quote`); empty for the file as a whole. */
  path: string;
  /** The line of the file it is on, where the path leads to one. */
  line?: number | undefined;
  check: CheckName;
  /** The article the problem concerns, where it concerns one. */
  article?: string | undefined;
  message: string;
  zh: string;
}

/** At most this much of a file or a regulation: a rulebook is tens of kilobytes, a regulation's text a few hundred. */
export const MAX_FILE_CHARS = 400_000;
export const MAX_REGULATION_CHARS = 1_000_000;

/** Compare text without punctuation, spaces or OCR line breaks, which differ between copies (as test/rulebooks/citations.test.ts). */
export const normaliseForQuotes = (text: string) => text.replace(/[\s\p{P}\p{S}“”‘’]/gu, '');

/** The article of a period the text leaves to 有关规定 (焦作), which must say the text sets none. */
const BY_OTHER_RULES = '按有关规定';

export interface Parsed {
  data?: unknown;
  doc?: Document.Parsed;
  lines?: LineCounter;
  problems: RulebookProblem[];
}

/** Parses YAML or JSON (JSON is YAML), keeping where each value stands; aliases bounded, keys unique. */
export function parseRulebookFile(text: string): Parsed {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true });
  const problems: RulebookProblem[] = doc.errors.map((e) => {
    const line = e.linePos?.[0]?.line ?? (e.pos ? lines.linePos(e.pos[0]).line : undefined);
    return { path: '', line, check: 'syntax' as const, message: `the file does not parse: ${e.message.split('\n')[0]}`, zh: `文件格式有误（第 ${line ?? '?'} 行）：${e.message.split('\n')[0]}` };
  });
  if (problems.length > 0) return { problems };
  try {
    return { data: doc.toJS({ maxAliasCount: 100 }), doc, lines, problems };
  } catch (err) {
    return { problems: [{ path: '', check: 'syntax', message: `the file does not parse: ${(err as Error).message}`, zh: `文件格式有误：${(err as Error).message}` }] };
  }
}

/** The line a path leads to: the deepest node of it that the file has. */
function lineOf(parsed: Parsed, path: (string | number)[]): number | undefined {
  if (!parsed.doc || !parsed.lines) return undefined;
  for (let n = path.length; n >= 0; n -= 1) {
    const node = parsed.doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    const range = node && typeof node === 'object' && 'range' in node ? node.range : undefined;
    // A scalar's node carries its range as a collection's does.
    if (range) return parsed.lines.linePos(range[0]).line;
  }
  return undefined;
}

const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.');

const STEP_KINDS = (rulebookSchema.shape.steps.element.options as readonly { shape: { kind: { value: string } } }[]).map((o) => o.shape.kind.value);

/** A schema issue in the file's words: what is wrong at the place, and what would be right. */
function schemaProblem(issue: z.core.$ZodIssue, parsed: Parsed): RulebookProblem {
  const path = [...issue.path] as (string | number)[];
  const tail = path.at(-1);
  let message = issue.message;
  let zh = `不符合规则格式：${issue.message}`;
  let check: CheckName = 'schema';
  if (issue.code === 'invalid_union' && 'discriminator' in issue && issue.discriminator === 'kind') {
    if (tail !== 'kind') path.push('kind');
    message = `is not a step kind; the kinds are ${STEP_KINDS.join(', ')}`;
    zh = `不是已知的步骤类型（kind），可用的有：${STEP_KINDS.join('、')}`;
  } else if (issue.code === 'invalid_value' && tail === 'kind' && path.includes('document')) {
    message = `is not a document kind; the kinds are ${(issue.values as unknown[]).join(', ')}`;
    zh = `不是已知的文书类型，可用的有：${(issue.values as unknown[]).join('、')}`;
  } else if (issue.code === 'invalid_value' && path.some((p) => /roles$/i.test(String(p)))) {
    message = `is not a role; the roles are ${(issue.values as unknown[]).join(', ')}`;
    zh = `不是已知的角色，可用的有：${(issue.values as unknown[]).join('、')}`;
  } else if (tail === 'unit' || (tail === 'basis' && path.some((p) => ['deadline', 'window', 'decision', 'cap', 'max', 'opensVerificationDeadline', 'recordingPeriod'].includes(String(p))))) {
    check = 'deadline';
    message = tail === 'unit' ? 'a deadline needs its unit: workingDays, days or months' : 'a deadline needs its basis: the article and the quoted words that set it';
    zh = tail === 'unit' ? '期限须写明单位：workingDays（工作日）、days（日）或 months（个月）' : '期限须写明依据：条款及其原文';
  }
  return { path: dotted(path), line: lineOf(parsed, path), check, message, zh };
}

/** Fields the file has that the schema does not know (zod drops them silently): each is named where it stands. */
function unknownFields(input: unknown, output: unknown, path: (string | number)[], parsed: Parsed, found: RulebookProblem[]): void {
  if (Array.isArray(input) && Array.isArray(output)) {
    input.forEach((v, i) => unknownFields(v, output[i], [...path, i], parsed, found));
    return;
  }
  if (!input || typeof input !== 'object' || !output || typeof output !== 'object') return;
  const out = output as Record<string, unknown>;
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (key === '$comment' || (key === '$schema' && path.length === 0)) continue;
    if (!(key in out)) {
      found.push({ path: dotted([...path, key]), line: lineOf(parsed, [...path, key]), check: 'unknownField', message: 'is not a field the rulebook schema knows (misspelt?)', zh: '不是规则格式中的字段（拼写有误？）' });
      continue;
    }
    unknownFields(value, out[key], [...path, key], parsed, found);
  }
}

interface PlacedBasis {
  basis: Basis & { ocrFragments?: string[] | undefined };
  path: (string | number)[];
}

/** Every basis the rulebook cites, with where it stands. */
export function basesOf(value: unknown, path: (string | number)[] = [], found: PlacedBasis[] = []): PlacedBasis[] {
  if (Array.isArray(value)) value.forEach((v, i) => basesOf(v, [...path, i], found));
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (typeof o.article === 'string' && typeof o.quote === 'string') found.push({ basis: o as unknown as PlacedBasis['basis'], path });
    else for (const [k, v] of Object.entries(o)) basesOf(v, [...path, k], found);
  }
  return found;
}

function quoteProblems(rulebook: Rulebook, regulationText: string, parsed: Parsed): RulebookProblem[] {
  const source = normaliseForQuotes(regulationText);
  const problems: RulebookProblem[] = [];
  for (const { basis, path } of basesOf(rulebook)) {
    if (basis.article === PRODUCT_CHOICE) {
      if (!basis.reading) {
        problems.push({
          path: dotted([...path, 'reading']),
          line: lineOf(parsed, path),
          check: 'choice',
          article: basis.article,
          message: `a value the text does not set (${PRODUCT_CHOICE}) must give the reason for the choice in \`reading\``,
          zh: `原文未规定、由本规则设定的值，须在 reading 中说明理由`,
        });
      }
      continue;
    }
    if (basis.article === BY_OTHER_RULES) {
      if (!basis.quote.includes('原文未规定期限')) {
        problems.push({ path: dotted([...path, 'quote']), line: lineOf(parsed, [...path, 'quote']), check: 'choice', article: basis.article, message: 'a period left to 有关规定 must say 原文未规定期限', zh: '“按有关规定”的期限须注明“原文未规定期限”' });
      }
      continue;
    }
    const fragments = basis.ocrFragments ?? basis.quote.split('……');
    const fragmentsPath = basis.ocrFragments ? 'ocrFragments' : 'quote';
    for (const [i, fragment] of fragments.entries()) {
      if (source.includes(normaliseForQuotes(fragment))) continue;
      const at = basis.ocrFragments ? [...path, fragmentsPath, i] : [...path, fragmentsPath];
      problems.push({
        path: dotted(at),
        line: lineOf(parsed, at),
        check: 'quote',
        article: basis.article,
        message: `${basis.article}: the quoted words are not in the regulation's text: “${fragment.slice(0, 80)}”`,
        zh: `${basis.article} 的引文在所附条文中找不到：“${fragment.slice(0, 80)}”`,
      });
    }
  }
  return problems;
}

/** References inside the rulebook that must lead somewhere: catalogues, attributes, the steps a step depends on. */
function referenceProblems(rulebook: Rulebook, parsed: Parsed): RulebookProblem[] {
  const problems: RulebookProblem[] = [];
  const at = (path: (string | number)[], message: string, zh: string, article?: string) => problems.push({ path: dotted(path), line: lineOf(parsed, path), check: 'reference', article, message, zh });

  const ids = new Map<string, string>();
  for (const [name, catalogue] of Object.entries(rulebook.catalogues)) {
    for (const [i, item] of (catalogue?.items ?? []).entries()) {
      const seen = ids.get(item.id);
      if (seen) at(['catalogues', name, 'items', i, 'id'], `${item.id} is already the id of ${seen}`, `编号 ${item.id} 已用于 ${seen}`, item.article);
      ids.set(item.id, `catalogues.${name}.items.${i}`);
      if (item.requiresAttribute && !rulebook.caseAttributes.some((a) => a.id === item.requiresAttribute)) {
        at(['catalogues', name, 'items', i, 'requiresAttribute'], `${item.requiresAttribute} is not one of the rulebook's caseAttributes`, `${item.requiresAttribute} 不是本规则 caseAttributes 中的案件情况`, item.article);
      }
    }
  }
  for (const [i, r] of rulebook.advanceRequirements.entries()) {
    if (!rulebook.caseAttributes.some((a) => a.id === r.appliesWhenAttribute)) {
      at(['advanceRequirements', i, 'appliesWhenAttribute'], `${r.appliesWhenAttribute} is not one of the rulebook's caseAttributes`, `${r.appliesWhenAttribute} 不是本规则 caseAttributes 中的案件情况`, r.basis.article);
    }
  }

  const stages = new Map<string, number>();
  const decidable = new Set<string>();
  let noticeSeen = false;
  for (const [i, step] of rulebook.steps.entries()) {
    const first = stages.get(step.stage);
    if (first !== undefined) at(['steps', i, 'stage'], `${step.stage} is already the stage of steps.${first}`, `阶段名 ${step.stage} 已用于第 ${first + 1} 个步骤`);
    stages.set(step.stage, i);
    if (step.kind === 'deliberation') {
      step.outcomes.forEach((o) => decidable.add(o));
      const rules = step.toleranceRequires === undefined ? [] : Array.isArray(step.toleranceRequires) ? step.toleranceRequires : [step.toleranceRequires];
      rules.forEach((rule, r) => {
        const rulePath = Array.isArray(step.toleranceRequires) ? ['steps', i, 'toleranceRequires', r] : ['steps', i, 'toleranceRequires'];
        const needs: [boolean, keyof Rulebook['catalogues'], string, string][] = [
          [rule.eligibleCircumstance, 'eligible', 'eligibleCircumstance', '可以免责的情形'],
          [rule.allConditions, 'conditions', 'allConditions', '条件'],
          [rule.noExclusion, 'excluded', 'noExclusion', '不予免责的情形'],
        ];
        for (const [needed, catalogue, field, name] of needs) {
          if (needed && !rulebook.catalogues[catalogue]) at([...rulePath, field], `needs the catalogue catalogues.${catalogue}, which the rulebook does not have`, `须有 catalogues.${catalogue}（${name}），本规则没有`, rule.basis.article);
        }
        rule.outcomes.forEach((o, k) => {
          if (!step.outcomes.includes(o)) at([...rulePath, 'outcomes', k], `${o} is not one of this deliberation's outcomes`, `${o} 不是本认定步骤可作出的结论`, rule.basis.article);
        });
      });
    }
    if (step.kind === 'notice') {
      noticeSeen = true;
      if (decidable.size === 0) at(['steps', i], 'a notice needs a deliberation before it: there is no conclusion to tell', '书面告知之前须有集体研究认定步骤');
      step.documents.forEach((d, k) =>
        d.outcomes.forEach((o, m) => {
          if (!decidable.has(o)) at(['steps', i, 'documents', k, 'outcomes', m], `${o} is not an outcome any deliberation before this notice may decide`, `${o} 不是此前认定步骤可作出的结论`, d.document.basis.article);
        }),
      );
    }
    if (step.kind === 'appeal' && !noticeSeen) at(['steps', i], 'an appeal needs a notice before it: its window counts from the service of the conclusion', '申诉之前须有书面告知步骤：申诉期限自送达之日起算');
  }
  for (const outcome of Object.keys(rulebook.effects)) {
    if (decidable.size > 0 && !decidable.has(outcome)) at(['effects', outcome], `no deliberation of this rulebook decides ${outcome}`, `本规则的认定步骤不会作出“${outcome}”的结论`);
  }
  return problems;
}

export interface CheckInput {
  fileText: string;
  regulationText: string;
  /** The name the regulation's text was uploaded under, which the rulebook's `source` must name. */
  regulationFile: string;
}

export interface CheckResult {
  rulebook?: Rulebook;
  /** The file as parsed, for the caller's checks that place problems in it. */
  parsed: Parsed;
  problems: RulebookProblem[];
}

/** Every check but the ones that need the archive. No problems: `rulebook` is the version as a case would pin it. */
export function checkRulebook(input: CheckInput): CheckResult {
  const parsed = parseRulebookFile(input.fileText);
  if (parsed.problems.length > 0) return { parsed, problems: parsed.problems };
  const result = rulebookSchema.safeParse(parsed.data);
  if (!result.success) return { parsed, problems: result.error.issues.map((i) => schemaProblem(i, parsed)) };
  const rulebook = result.data;
  const problems: RulebookProblem[] = [];
  unknownFields(parsed.data, rulebook, [], parsed, problems);
  if (rulebook.source !== input.regulationFile) {
    problems.push({
      path: 'source',
      line: lineOf(parsed, ['source']),
      check: 'source',
      message: `names ${rulebook.source}, but the regulation's text was uploaded as ${input.regulationFile}`,
      zh: `写明的条文文件为 ${rulebook.source}，但所附条文文件名为 ${input.regulationFile}`,
    });
  }
  problems.push(...quoteProblems(rulebook, input.regulationText, parsed), ...referenceProblems(rulebook, parsed));
  return problems.length > 0 ? { parsed, problems } : { rulebook, parsed, problems };
}

/** Where a path of the file is, for problems the caller finds (a revision already there). */
export function placeIn(parsed: Parsed, path: (string | number)[]): number | undefined {
  return lineOf(parsed, path);
}

