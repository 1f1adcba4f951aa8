/**
 * The rulebooks are data files (rulebooks/<id>/<version>.json): they pass the
 * checks an upload must pass, against their regulation's text; the JSON Schema
 * beside them is the one generated from the rulebook schema and accepts them;
 * every step cites its article. The checks name the place of each problem in
 * a file, and the days versions are in force never overlap.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Validator } from '@cfworker/json-schema';
import { parse } from 'yaml';
import { RULEBOOK_FILES, rulebooks, rulebookSchema, inForceOn, overlapOf, lastDayOf, type Rulebook, type VersionWindow } from '../../domain/rulebooks';
import { rulebookJsonSchema } from '../../domain/rulebooks/json-schema';
import { RULEBOOK_SCHEMA_FILE, rulebookSchemaText } from '../../scripts/rulebook-schema';
import { basesOf, checkRulebook } from '../../services/rulebooks/checks';
import { fixture } from './fixtures/qingshan/authority';

const root = path.resolve(__dirname, '..', '..');
const regulations = path.resolve(root, '..', 'shared', 'regulations');

describe('the shipped rulebook files', () => {
  it('are the five jurisdictions, each in its own file, with no TypeScript rulebook left', () => {
    expect(RULEBOOK_FILES.map((f) => f.path)).toEqual(rulebooks.map((b) => `rulebooks/${b.id}/${b.version}.json`));
    expect(rulebooks.map((b) => b.id).sort()).toEqual(['binhai', 'hangzhou-education', 'jiaozuo', 'yangjiang', 'yinchuan']);
    for (const f of RULEBOOK_FILES) expect(JSON.parse(fs.readFileSync(path.join(root, f.path), 'utf8'))).toEqual(f.data);
    const modules = fs.readdirSync(path.join(root, 'domain', 'rulebooks')).filter((f) => f.endsWith('.ts'));
    // binhai.ts and yangjiang.ts only name their file's data for the tests that import them by name.
    for (const m of ['binhai.ts', 'yangjiang.ts']) expect(fs.readFileSync(path.join(root, 'domain', 'rulebooks', m), 'utf8')).toMatch(/rulebookFileData\('rulebooks\//);
    expect(modules.sort()).toEqual(['binhai.ts', 'in-force.ts', 'index.ts', 'json-schema.ts', 'schema.ts', 'yangjiang.ts']);
  });

  it.each(RULEBOOK_FILES.map((f) => [f.path, f] as const))('%s passes every check an upload must pass, against its regulation’s text', (file, entry) => {
    const source = (entry.data as { source: string }).source;
    const result = checkRulebook({ fileText: fs.readFileSync(path.join(root, file), 'utf8'), regulationText: fs.readFileSync(path.join(regulations, source), 'utf8'), regulationFile: source });
    expect(result.problems).toEqual([]);
    expect(result.rulebook).toEqual(rulebooks.find((b) => `rulebooks/${b.id}/${b.version}.json` === file));
  });

  it('reads like its regulation: every step cites the article and the words it rests on', () => {
    for (const book of rulebooks) {
      for (const step of book.steps) {
        const cited = basesOf(step);
        expect([book.id, step.stage, cited.length > 0]).toEqual([book.id, step.stage, true]);
        for (const { basis } of cited) expect([basis.article.length >= 2, basis.quote.length >= 2]).toEqual([true, true]);
      }
    }
  });

  it('has beside it the JSON Schema generated from the rulebook schema, which accepts every file and refuses a misspelt field', () => {
    expect(fs.readFileSync(RULEBOOK_SCHEMA_FILE, 'utf8')).toBe(rulebookSchemaText());
    const validator = new Validator(rulebookJsonSchema() as never, '2020-12', false);
    for (const f of RULEBOOK_FILES) expect([f.path, validator.validate(f.data).valid]).toEqual([f.path, true]);
    expect(validator.validate(parse(fixture('2026.yaml').text)).valid).toBe(true);
    const misspelt = structuredClone(RULEBOOK_FILES[0]!.data) as { steps: Record<string, unknown>[] };
    misspelt.steps[1]!.deadlnie = { amount: 7 };
    expect(validator.validate(misspelt).valid).toBe(false);
  });
});

describe('the checks of an upload', () => {
  const regulation = fixture('qingshan-2026.txt');
  const good = fixture('2026.yaml').text;
  const problemsOf = (text: string) => checkRulebook({ fileText: text, regulationText: regulation.text, regulationFile: regulation.name }).problems;
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('passes the sixth 办法 as written', () => {
    expect(problemsOf(good)).toEqual([]);
  });

  it.each([
    ['a file that does not parse', good.replace('steps:\n', 'steps: [\n'), { check: 'syntax' }],
    ['an unknown step kind', good.replace('kind: archive', 'kind: archiving'), { check: 'schema', path: 'steps.5.kind', message: expect.stringContaining('is not a step kind') }],
    ['an unknown document kind', good.replace('kind: appealDecision', 'kind: appealLetter'), { check: 'schema', path: 'steps.4.document.kind', message: expect.stringContaining('is not a document kind') }],
    ['an unknown role', good.replace('decisionRoles: [supervisor]', 'decisionRoles: [director]'), { check: 'schema', path: 'steps.4.decisionRoles.0', message: expect.stringContaining('is not a role') }],
    ['a deadline without its unit', good.replace('      amount: 30\n      unit: days\n', '      amount: 30\n'), { check: 'deadline', path: 'steps.4.decision.unit' }],
    ['a misspelt field', good.replace('    filers: [subject]', '    filers: [subject]\n    fillers: [subject]'), { check: 'unknownField', path: 'steps.0.fillers', line: lineOf(good, 'filers: [subject]') + 1 }],
    ['a choice without its reason', good.replace(/    reading: 第五条、第九条只规定提出期限.*\n/, ''), { check: 'choice', path: 'recordingPeriod.basis.reading' }],
    ['a quote not in the text', good.replace('区纪委常委会对核实报告集体研究', '区纪委常委会对核实报告集中研究'), { check: 'quote', path: 'steps.2.basis.quote', article: '第七条', line: lineOf(good, '区纪委常委会对核实报告集体研究') }],
    ['a catalogue item relying on a fact the rulebook does not record', good.replace('{ id: qs-3-5,', '{ id: qs-3-5, requiresAttribute: inZone,'), { check: 'reference', path: 'catalogues.eligible.items.4.requiresAttribute' }],
    ['two catalogue items with one id', good.replace('{ id: qs-3-5,', '{ id: qs-3-4,'), { check: 'reference', path: 'catalogues.eligible.items.4.id' }],
    ['a stage twice', good.replace('stage: archive', 'stage: appeal'), { check: 'reference', path: 'steps.5.stage' }],
    ['an exclusion rule without an exclusion catalogue', good.replace(/  excluded:\n(    .*\n)+?(?=\neffects)/, ''), { check: 'reference', path: 'steps.2.toleranceRequires.noExclusion' }],
    ['another regulation file named', good.replace('source: qingshan-2026.txt', 'source: qingshan.txt'), { check: 'source', path: 'source' }],
  ])('refuses %s, naming its place', (_what, text, expected) => {
    expect(text).not.toBe(good);
    expect(problemsOf(text)).toEqual(expect.arrayContaining([expect.objectContaining(expected)]));
  });
});

describe('the days a version is in force', () => {
  const book = (revision: number, version = '2026') => rulebookSchema.parse({ ...(parse(fixture('2026.yaml').text) as object), version, revision }) as Rulebook;
  const w = (rulebook: Rulebook, from: string, until?: string): VersionWindow => ({ rulebook, from, until });

  it('ends a version where the next begins, never reviving one that ended', () => {
    const first = w(book(1, '2025'), '2025-01-01');
    const second = w(book(1), '2026-03-01', '2026-06-30');
    const all = [first, second];
    expect(lastDayOf(first, all)).toBe('2026-02-28');
    expect(inForceOn(all, 'qingshan', '2026-02-28')).toBe(first);
    expect(inForceOn(all, 'qingshan', '2026-03-01')).toBe(second);
    expect(inForceOn(all, 'qingshan', '2026-07-01')).toBeUndefined();
    expect(inForceOn(all, 'qingshan', '2024-12-31')).toBeUndefined();
  });

  it('finds two versions in force on one day', () => {
    const first = w(book(1, '2025'), '2025-01-01');
    const second = w(book(1), '2026-03-01');
    expect(overlapOf(second, [first, second])).toBeUndefined();
    const sameDay = w(book(2), '2026-03-01');
    expect(overlapOf(sameDay, [first, second, sameDay])).toEqual({ other: second, day: '2026-03-01' });
    const reaching = w(book(2, '2025b'), '2025-06-01', '2026-03-01');
    expect(overlapOf(reaching, [first, second, reaching])).toEqual({ other: second, day: '2026-03-01' });
  });
});
