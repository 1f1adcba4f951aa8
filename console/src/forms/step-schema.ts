/**
 * A step's form, from the action's body schema in the API's OpenAPI document:
 * the schema decides the fields, their types, what is required and the
 * limits; the case's rulebook and state only fill in what the schema leaves
 * as ids (catalogue items become their text with article, correction items
 * and failed effects their description), and the labels are Chinese.
 */
import type { RJSFSchema, UiSchema } from '@rjsf/utils';
import type { CaseMaterial, CaseView, Rulebook } from '../api';
import { BOOLEAN_CHOICES, ENUM_NAMES, FIELD_NAMES, PARTY_NAMES, fieldName } from '../labels';
import { beijingToday } from '../format';

type Json = Record<string, unknown>;

const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
/** Which catalogue of the rulebook an id list cites. */
const CATALOGUE_OF: Record<string, 'eligible' | 'mitigating' | 'conditions' | 'excluded'> = {
  circumstances: 'eligible',
  mitigating: 'mitigating',
  conditions: 'conditions',
  exclusions: 'excluded',
};
/** What one element of a list of objects is called. */
const ITEM_NAMES: Record<string, string> = { members: '成员', items: '清单事项', itemFindings: '逐项认定' };
/**
 * Parts of a body that apply only on one answer to another field: shown (and, where marked,
 * required) only then, so a 维持原决定 asks for no 变更后的认定 and cannot be held up by it.
 */
const CONDITIONAL: Record<string, { when: string; is: unknown; required?: boolean }> = {
  revision: { when: 'result', is: 'revised', required: true },
  approval: { when: 'complex', is: true },
  publishedOn: { when: 'published', is: true },
  scope: { when: 'published', is: true },
};
/** Texts long enough to need a text area. */
const LONG_TEXT = 300;

export interface StepForm {
  schema: RJSFSchema;
  uiSchema: UiSchema;
  /** Values the form does not ask for and the body carries (a catalogue the rulebook lacks: nothing to cite). */
  fixed: Json;
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function decidersOf(rulebook: Rulebook): Record<string, string> {
  const step = rulebook.steps.find((s) => s.kind === 'deliberation');
  return step && step.kind === 'deliberation' ? Object.fromEntries(step.deciders.map((d) => [d.id, d.name])) : {};
}

interface Context {
  rulebook: Rulebook;
  state: CaseView;
  today: string;
  fixed: Json;
  /** The case's materials a step may carry (withdrawn ones left out). */
  materials: CaseMaterial[];
  /** The step the form is for: a field's name may depend on it (`recordStatement.by`). */
  action: string | undefined;
}

/** Fills the ui schema of one field (and its children), and may narrow its JSON schema in place. */
function enrich(name: string, schema: Json, ui: UiSchema, ctx: Context, required: boolean): void {
  ui['ui:title'] = fieldName(name, ctx.action);
  const type = schema.type;

  if (type === 'string' && schema.pattern === DATE_PATTERN) {
    ui['ui:widget'] = 'date';
    if (required) schema.default = ctx.today;
    return;
  }
  if (type === 'string' && Array.isArray(schema.enum)) {
    const names = name === 'decidedBy' ? { ...ENUM_NAMES.decidedBy, ...decidersOf(ctx.rulebook) } : ENUM_NAMES[name];
    if (names) ui['ui:enumNames'] = (schema.enum as string[]).map((v) => names[v] ?? v);
    if (name === 'decidedBy') {
      // Only the deciders this rulebook names may decide.
      const deciders = Object.keys(decidersOf(ctx.rulebook));
      if (deciders.length) {
        schema.enum = (schema.enum as string[]).filter((v) => deciders.includes(v));
        ui['ui:enumNames'] = (schema.enum as string[]).map((v) => names?.[v] ?? v);
      }
    }
    return;
  }
  if (type === 'string' && name === 'effectId') {
    const open = (ctx.state.attention ?? []).filter((a) => a.status === 'open');
    if (open.length) {
      schema.enum = open.map((a) => a.id);
      ui['ui:enumNames'] = open.map((a) => `${a.effect}：${a.error}`);
    }
    return;
  }
  if (type === 'string' && name === 'itemId') {
    const items = (ctx.state.correctionList?.items ?? []).filter((i) => i.status === 'open');
    if (items.length) {
      schema.enum = items.map((i) => i.id);
      ui['ui:enumNames'] = items.map((i) => `${i.id} ${i.description}（${i.owner}）`);
    }
    return;
  }
  if (type === 'string') {
    if (typeof schema.maxLength === 'number' && schema.maxLength >= LONG_TEXT) ui['ui:widget'] = 'textarea';
    return;
  }
  if (type === 'boolean') {
    // Two explicit choices and no default: the user says which, an untouched form decides nothing.
    const [yes, no] = BOOLEAN_CHOICES[name] ?? ['是', '否'];
    schema.oneOf = [
      { const: true, title: yes },
      { const: false, title: no },
    ];
    ui['ui:widget'] = 'radio';
    return;
  }
  if (type === 'array' && name === 'attachments') {
    // The materials of the case's file, by their kind and title: the ids the API takes.
    const usable = ctx.materials.filter((m) => !m.withdrawal);
    const items = (schema.items ?? {}) as Json;
    items.enum = usable.map((m) => m.materialId);
    delete items.format;
    delete items.pattern;
    schema.uniqueItems = true;
    ui['ui:widget'] = 'checkboxes';
    ui['ui:enumNames'] = usable.map((m) => `${m.kindLabel}《${m.title}》`);
    ui['ui:description'] = usable.length ? '从案卷材料中选择本步骤所附的书面材料' : '案卷中尚无材料：先在“案卷材料”中上传';
    return;
  }
  if (type === 'array') {
    const items = (schema.items ?? {}) as Json;
    const catalogue = CATALOGUE_OF[name] ? ctx.rulebook.catalogues[CATALOGUE_OF[name]] : undefined;
    if (CATALOGUE_OF[name] && catalogue) {
      // Only the items this case may rely on: an item for cases of a kind (滨海 第九条) only where the case is of that kind.
      const usable = catalogue.items.filter((i) => !i.requiresAttribute || ctx.state.attributes?.[i.requiresAttribute]);
      schema.default = [];
      items.enum = usable.map((i) => i.id);
      schema.uniqueItems = true;
      ui['ui:widget'] = 'checkboxes';
      ui['ui:enumNames'] = usable.map((i) => `${i.text}（${i.article}）`);
      ui['ui:description'] = `依据：${catalogue.basis.article}`;
      return;
    }
    if (Array.isArray(items.enum)) {
      schema.uniqueItems = true;
      ui['ui:widget'] = 'checkboxes';
      const names = ENUM_NAMES[name] ?? PARTY_NAMES;
      ui['ui:enumNames'] = (items.enum as string[]).map((v) => names[v] ?? v);
      return;
    }
    if (items.type === 'object') {
      const itemUi: UiSchema = { 'ui:title': ITEM_NAMES[name] ?? FIELD_NAMES[name] ?? name };
      enrichObject(items, itemUi, ctx, true);
      ui.items = itemUi;
      if (typeof schema.minItems === 'number' && schema.minItems > 0) schema.default = [{}];
    }
    return;
  }
  if (type === 'object' && name === 'contents') {
    // The application's parts as the rulebook lists them (滨海 第十二条(二)), each a field of its own.
    const listed = ctx.rulebook.applicationContents;
    if (!listed) {
      for (const k of Object.keys(schema)) delete schema[k];
      Object.assign(schema, { type: 'object', properties: {} });
      ui['ui:widget'] = 'hidden';
      return;
    }
    delete schema.additionalProperties;
    delete schema.propertyNames;
    schema.properties = Object.fromEntries(listed.parts.map((p) => [p.id, { type: 'string', maxLength: 5000 }]));
    schema.required = listed.parts.filter((p) => p.required).map((p) => p.id);
    ui['ui:description'] = `依据：${listed.basis.article}“${listed.basis.quote}”`;
    for (const part of listed.parts) ui[part.id] = { 'ui:title': part.required ? part.label : `${part.label}（可选）`, 'ui:widget': 'textarea' };
    return;
  }
  if (type === 'object') {
    // A part of the body (变更后的认定) cites catalogues too: what it cannot cite is carried as its empty list.
    const inner: Json = {};
    enrichObject(schema, ui, { ...ctx, fixed: inner }, required, true);
    if (Object.keys(inner).length) ctx.fixed[name] = inner;
  }
}

/**
 * `present`: the object is always sent (the body, a list's element, a required
 * part); an optional part gets no defaults, so it stays out unless filled in.
 * `cites`: the body or one of its parts, whose catalogue lists the rulebook may lack (not a list's element).
 */
function enrichObject(schema: Json, ui: UiSchema, ctx: Context, present: boolean, cites = false): void {
  const required = (schema.required as string[] | undefined) ?? [];
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  for (const [name, child] of Object.entries(properties)) {
    if (cites && CATALOGUE_OF[name] && !ctx.rulebook.catalogues[CATALOGUE_OF[name]]) {
      // The rulebook has no such catalogue: nothing to cite, so no field; the API takes the empty list.
      delete properties[name];
      schema.required = required.filter((r) => r !== name);
      ctx.fixed[name] = [];
      continue;
    }
    const childUi: UiSchema = {};
    const condition = CONDITIONAL[name];
    const applies = condition && properties[condition.when];
    enrich(name, child, childUi, ctx, present && (required.includes(name) || Boolean(applies && condition.required)));
    ui[name] = childUi;
    if (condition && applies) {
      // Out of the form unless the other field has the answer it belongs to.
      delete properties[name];
      if (schema.additionalProperties === false) {
        // A strict body (zod's .strict()) forbids every name outside `properties`, and RJSF's merge of the
        // part that applies honours that: it would drop the part (变更原决定 showed no 变更后的认定). The same
        // strictness, stated as the names allowed, lets the part in when it applies.
        delete schema.additionalProperties;
        schema.propertyNames = { enum: [...Object.keys(properties), name, ...(((schema.propertyNames as Json | undefined)?.enum as string[] | undefined) ?? [])] };
      } else if (schema.propertyNames) (schema.propertyNames as { enum: string[] }).enum.push(name);
      schema.required = ((schema.required as string[] | undefined) ?? []).filter((r) => r !== name);
      const allOf = ((schema.allOf as Json[] | undefined) ?? []);
      allOf.push({
        if: { properties: { [condition.when]: { const: condition.is } }, required: [condition.when] },
        then: { properties: { [name]: child }, ...(condition.required ? { required: [name] } : {}) },
      });
      schema.allOf = allOf;
    }
  }
}

/** The body with the values the form does not ask for; a part's own (`revision.conditions`) only where the part is sent. */
export function withFixed(body: Json, fixed: Json): Json {
  const out: Json = { ...body };
  for (const [k, v] of Object.entries(fixed)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const part = out[k];
      if (part && typeof part === 'object' && !Array.isArray(part)) out[k] = withFixed(part as Json, v as Json);
    } else out[k] = v;
  }
  return out;
}

/** What the form holds, as a body: empty texts and untouched optional parts left out. */
export function bodyOf(formData: unknown): Json {
  const prune = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(prune);
    if (value && typeof value === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries(value)) {
        const p = prune(v);
        if (p === undefined || p === '' || (p && typeof p === 'object' && !Array.isArray(p) && Object.keys(p).length === 0)) continue;
        out[k] = p;
      }
      return out;
    }
    return value;
  };
  return (prune(formData) as Json | undefined) ?? {};
}

export function stepForm(bodySchema: Json, rulebook: Rulebook, state: CaseView, materials: CaseMaterial[] = [], action?: string): StepForm {
  const schema = clone(bodySchema);
  delete schema.$schema;
  const uiSchema: UiSchema = { 'ui:submitButtonOptions': { norender: true } };
  const fixed: Json = {};
  enrichObject(schema, uiSchema, { rulebook, state, today: beijingToday(), fixed, materials, action }, true, true);
  return { schema: schema as RJSFSchema, uiSchema, fixed };
}

/**
 * The API's field errors (`body.members.0.name`) as RJSF's error schema, so
 * each shows at its field.
 */
export function errorSchemaOf(errors: { field: string; message: string }[], translate: (m: string) => string): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const e of errors) {
    const path = e.field.split('.').slice(e.field.startsWith('body.') ? 1 : 0);
    let node = root;
    for (const key of path) node = (node[key] ??= {}) as Record<string, unknown>;
    ((node.__errors ??= []) as string[]).push(translate(e.message));
  }
  return root;
}
