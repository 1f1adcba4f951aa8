/**
 * Chinese everywhere a person reads: every field, option and yes-or-no of every step's form (the
 * body schemas /openapi.json publishes, which the console's forms are generated from) has its Chinese
 * name in the one home of labels (domain/labels/zh.ts); every message a field error can carry, and
 * every problem's `detail.zh` the API can give, is Chinese, with no field path, role or enum id in it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { actionBodies } from '../../api/case-actions';
import { fieldsProblem, problems } from '../../api/problem';
import { ACTION_NAMES } from '../../domain/case/contract';
import { rulebooks } from '../../domain/rulebooks';
import { OUTCOMES } from '../../domain/rulebooks/schema';
import {
  ACTION_LABELS,
  BOOLEAN_CHOICES,
  ENUM_NAMES,
  fieldMessage,
  fieldName,
  OUTCOME_NAMES,
  plainRefusal,
  plainWords,
  ROLE_NAMES,
} from '../../domain/labels/zh';

type Json = { type?: string; enum?: unknown[]; properties?: Record<string, Json>; items?: Json; anyOf?: Json[]; additionalProperties?: Json | boolean };

const CJK = /[\u3400-\u9fff]/;
/** What may stay in Latin letters in a Chinese text: names of formats, standards and programs. */
const ALLOWED_LATIN = /\b(PDF|PDF\/A|JSON|YAML|UTF-8|HTTP|HTTPS|gzip|deflate|br|Content-Encoding|Content-Type|Content-Length|Idempotency-Key|JavaScript|base64|ASCII|yaml|yml|json|SHA-256|SM3|ICS|OIDC|Temporal|PostgreSQL|OpenAPI|API|ID|docx|DOCX|URL|CSV|LibreOffice|SMTP|multipart\/form-data|Retry-After|YYYY-MM-DD|A4|Bearer|token|npm run build|[A-Z]{1,3}\d*)\b/g;
const untranslated = (text: string) => text.replace(ALLOWED_LATIN, '').match(/[A-Za-z]{2,}(?:[.-][A-Za-z0-9]+)*/g) ?? [];

/** Every field of a body schema, with its name and the action it belongs to. */
function fields(action: string, schema: Json, out: { action: string; name: string; schema: Json }[] = [], name?: string) {
  if (name !== undefined) out.push({ action, name, schema });
  for (const [k, child] of Object.entries(schema.properties ?? {})) fields(action, child, out, k);
  if (schema.items?.properties) for (const [k, child] of Object.entries(schema.items.properties)) fields(action, child, out, k);
  for (const alt of schema.anyOf ?? []) fields(action, alt, out);
  return out;
}

const bodies = Object.entries(actionBodies).map(([action, body]) => ({ action, schema: z.toJSONSchema(body as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Json }));

describe('every step’s form in Chinese', () => {
  it('names every step', () => {
    expect(ACTION_NAMES.filter((a) => !ACTION_LABELS[a] || !CJK.test(ACTION_LABELS[a]!))).toEqual([]);
  });

  it('names every field of every body schema (the forms’ labels)', () => {
    const missing = bodies.flatMap(({ action, schema }) => fields(action, schema)).filter((f) => !CJK.test(fieldName(f.name, f.action)));
    expect(missing.map((f) => `${f.action}.${f.name}`)).toEqual([]);
  });

  it('names every option of every enum, and both choices of every yes-or-no', () => {
    const missing: string[] = [];
    for (const { action, name, schema } of bodies.flatMap((b) => fields(b.action, b.schema))) {
      const options = schema.enum ?? schema.items?.enum;
      for (const v of options ?? []) {
        if (typeof v === 'string' && !CJK.test(v) && !CJK.test(ENUM_NAMES[name]?.[v] ?? '')) missing.push(`${action}.${name}=${v}`);
      }
      if (schema.type === 'boolean' && !(BOOLEAN_CHOICES[name]?.every((c) => CJK.test(c)) ?? false)) missing.push(`${action}.${name}: 是/否 choices`);
    }
    expect(missing).toEqual([]);
  });

  it('names every outcome and role', () => {
    expect(OUTCOMES.filter((o) => !OUTCOME_NAMES[o])).toEqual([]);
    expect(['officer', 'supervisor', 'auditor', 'admin', 'system-admin', 'rulebook-admin', 'party'].filter((r) => !ROLE_NAMES[r])).toEqual([]);
    expect(plainWords('初步建议：exempt')).toBe('初步建议：免责');
  });
});

/** Every message literal a schema or check of the API, the services or the domain can give a field. */
function messageLiterals(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  // config/ speaks to the operator at start-up (one line naming the variable), not to a person at the console.
  for (const dir of ['api', 'services', 'domain']) walk(join(__dirname, '../..', dir));
  const found = new Set<string>();
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    // zod's messages and the field checks' ones: `'must …'`, `'is …'`, `'cannot …'` in quotes.
    for (const m of source.matchAll(/'((?:must|is|cannot|may not|does not) [^'\n]{3,200})'/g)) found.add(m[1]!);
  }
  return [...found];
}

describe('every problem in Chinese', () => {
  it('translates every field message the API can give', () => {
    const literals = messageLiterals();
    expect(literals.length).toBeGreaterThan(50);
    const left = literals.filter((m) => {
      const zh = fieldMessage(m);
      return zh === m || !CJK.test(zh) || untranslated(zh).length > 0;
    });
    expect(left).toEqual([]);
  });

  it('names a field by its Chinese name in a validation problem’s detail.zh, never by its path', () => {
    const p = fieldsProblem([
      { field: 'body.members.0.name', message: 'must not be empty' },
      { field: 'body.receivedOn', message: 'must not be in the future: after today (Beijing time)' },
    ]);
    expect(p.init.detail.zh).toBe('请求内容有误：调查组成员第 1 项的姓名：不能为空；收到日期：不能是将来的日期（晚于北京时间今天）');
    expect(untranslated(p.init.detail.zh)).toEqual([]);
  });

  it('names roles in Chinese when it refuses one', () => {
    expect(problems.forbidden(['supervisor', 'officer']).init.detail.zh).toBe('需要以下角色之一：审核领导、办案人员');
  });

  it('writes the workflow’s refusals with names, not ids', () => {
    const items = new Map(rulebooks.flatMap((b) => Object.values(b.catalogues).flatMap((c) => (c?.items ?? []).map((i) => [i.id, `${i.article}“${i.text}”`] as [string, string]))));
    const someItem = [...items.keys()][0]!;
    const texts = [
      '案件当前阶段为 exOfficioConsideration，不能进行 fileApplication；当前可进行：decideExOfficio',
      'members.1：与 members.0 是同一人',
      `存在不予容错情形 ${someItem}，不能认定为免责`,
    ].map((t) => plainRefusal(t, items));
    expect(texts[0]).toBe('案件当前阶段为 依职权考虑是否继续，不能进行 登记容错免责申请；当前可进行：依职权决定是否继续');
    expect(texts[1]).toBe('调查组成员第 2 项：与 调查组成员第 1 项 是同一人');
    expect(texts[2]).toContain(items.get(someItem)!);
    for (const t of texts) expect(untranslated(t)).toEqual([]);
  });

  it('gives every problem the API constructs a Chinese detail.zh', () => {
    // Each `zh:` written in the API and the services: a literal or template beginning with Chinese or a value, never English.
    const files = ['api', 'services'].flatMap((d) => {
      const out: string[] = [];
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name);
          if (statSync(path).isDirectory()) walk(path);
          else if (path.endsWith('.ts')) out.push(path);
        }
      };
      walk(join(__dirname, '../..', d));
      return out;
    });
    const english: string[] = [];
    let count = 0;
    for (const file of files) {
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/\bzh: (['`])((?:(?!\1).){1,300})\1/g)) {
        count += 1;
        const text = m[2]!.replace(/\$\{[^}]*\}/g, '');
        // A detail made of other Chinese details (`${zh}：…`) is Chinese already.
        if (!CJK.test(text) && !m[2]!.startsWith('${')) english.push(`${file.split('/').slice(-2).join('/')}: ${m[2]}`);
      }
    }
    expect(count).toBeGreaterThan(20);
    expect(english).toEqual([]);
  });
});

