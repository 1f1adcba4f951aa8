/**
 * The JSON Schema of a rulebook file, generated from `rulebookSchema` (the one
 * home of its validation), so an editor checks a file as it is written: served
 * at GET /v1/rulebooks/schema and kept as rulebooks/rulebook.schema.json, which
 * the files name in their `$schema`. A field the schema does not know is an
 * error here, as it is on upload: zod would drop it silently, and a misspelt
 * field is a rule that never applies. `$comment` is allowed on every object
 * (notes on a reading, kept in the file, not in the rulebook).
 */
import { z } from 'zod';
import { rulebookSchema } from './schema';

type JsonSchema = { [key: string]: unknown };

/** Closes every object schema to the fields it declares, allowing `$comment`. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(node)) out[key] = key === 'properties' ? Object.fromEntries(Object.entries(value as JsonSchema).map(([k, v]) => [k, closed(v)])) : closed(value);
  if (out.type === 'object' && out.properties && out.additionalProperties === undefined) {
    out.properties = { $comment: { type: 'string', description: 'A note on the reading, kept in the file only' }, ...(out.properties as JsonSchema) };
    out.additionalProperties = false;
  }
  return out;
}

export function rulebookJsonSchema(): JsonSchema {
  const generated = closed(z.toJSONSchema(rulebookSchema, { io: 'input', unrepresentable: 'any', reused: 'ref' })) as JsonSchema;
  return {
    ...generated,
    $id: 'https://rongcuo.example/schemas/rulebook.json',
    title: '容错免责规则 rulebook',
    description: 'One version of a jurisdiction\u2019s rulebook: every deadline, catalogue item, document and effect with the article and quoted words of its regulation.',
    properties: { $schema: { type: 'string', description: 'Where an editor finds this schema' }, ...(generated.properties as JsonSchema) },
  };
}
