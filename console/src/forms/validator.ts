/**
 * RJSF's validator, on @cfworker/json-schema: it interprets JSON Schema
 * (2020-12, as zod writes it) without generating code, so it runs under a
 * Content-Security-Policy with no 'unsafe-eval', which Ajv (RJSF's default)
 * needs. The API validates again with its zod schemas; this only saves a
 * round trip and says in Chinese what is missing.
 */
import { Validator, type OutputUnit, type Schema } from '@cfworker/json-schema';
import { toErrorSchema, type ErrorSchema, type RJSFSchema, type RJSFValidationError, type ValidatorType } from '@rjsf/utils';

const validators = new WeakMap<object, Validator>();

function validatorFor(schema: RJSFSchema): Validator {
  let v = validators.get(schema);
  if (!v) {
    v = new Validator(schema as Schema, '2020-12', false);
    validators.set(schema, v);
  }
  return v;
}

function messageOf(unit: OutputUnit, schema: RJSFSchema): string {
  const at = (unit.keywordLocation.split('/').slice(1, -1) as string[]).reduce<Record<string, unknown> | undefined>((node, key) => node?.[key] as Record<string, unknown> | undefined, schema as Record<string, unknown>);
  switch (unit.keyword) {
    case 'required':
      return '必填';
    case 'minLength':
      return '不能为空';
    case 'maxLength':
      return `不能超过 ${String(at?.maxLength)} 个字`;
    case 'minItems':
      return `至少填写 ${String(at?.minItems)} 项`;
    case 'maxItems':
      return `至多填写 ${String(at?.maxItems)} 项`;
    case 'pattern':
      return at?.pattern === '^\\d{4}-\\d{2}-\\d{2}$' ? '请选择日期' : '格式不正确';
    case 'enum':
    case 'const':
    case 'oneOf':
      return '请从选项中选择';
    case 'uniqueItems':
      return '不能重复选择';
    case 'type':
      return '类型不正确';
    case 'additionalProperties':
      return '含有不允许的项';
    default:
      // The validator's own words are English: never shown.
      return '填写有误';
  }
}

/** `#/members/0` and, for `required`, the missing property named in the message. */
function propertyOf(unit: OutputUnit): string[] {
  const path = unit.instanceLocation.replace(/^#\/?/, '').split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (unit.keyword === 'required') {
    const missing = /required property "([^"]+)"/.exec(unit.error)?.[1];
    if (missing) path.push(missing);
  }
  return path;
}

/** Only the leaves: cfworker also reports each enclosing keyword (properties, items, allOf) that failed because of them. */
const LEAF_KEYWORDS = new Set(['required', 'minLength', 'maxLength', 'minItems', 'maxItems', 'pattern', 'enum', 'type', 'additionalProperties', 'const', 'uniqueItems']);

export const validator: ValidatorType = {
  // The console passes no customValidate: every check beyond the schema is the API's.
  validateFormData(formData, schema, _customValidate, transformErrors) {
    const result = validatorFor(schema).validate(formData ?? {});
    let errors: RJSFValidationError[] = result.errors
      .filter((u) => LEAF_KEYWORDS.has(u.keyword))
      .map((u) => {
        const path = propertyOf(u);
        const message = messageOf(u, schema);
        return { name: u.keyword, property: path.length ? `.${path.join('.')}` : '', message, stack: `${path.join('.')} ${message}`.trim(), schemaPath: u.keywordLocation };
      });
    if (transformErrors) errors = transformErrors(errors);
    const errorSchema: ErrorSchema = toErrorSchema(errors);
    return { errors, errorSchema };
  },
  isValid(schema, formData, rootSchema) {
    // Only the root's definitions, for $ref: its other keywords (additionalProperties, allOf) are not the subschema's.
    const defs = (rootSchema as { $defs?: unknown } | undefined)?.$defs;
    const withDefs = (defs ? { ...(schema as object), $defs: defs } : schema) as RJSFSchema;
    return new Validator(withDefs as Schema, '2020-12', true).validate(formData).valid;
  },
  rawValidation(schema, formData) {
    const result = validatorFor(schema).validate(formData);
    return result.valid ? {} : { errors: result.errors as never[] };
  },
};
