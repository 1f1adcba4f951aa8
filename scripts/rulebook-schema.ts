/**
 * Writes rulebooks/rulebook.schema.json from `rulebookSchema`, after a change
 * to the schema (test/rulebooks/rulebook-files.test.ts says when it is stale):
 *   node -r ./test/support/register-ts.cjs scripts/rulebook-schema.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { rulebookJsonSchema } from '../domain/rulebooks/json-schema';

export const RULEBOOK_SCHEMA_FILE = path.resolve(__dirname, '..', 'rulebooks', 'rulebook.schema.json');
export const rulebookSchemaText = () => `${JSON.stringify(rulebookJsonSchema(), null, 2)}\n`;

if (require.main === module) {
  fs.writeFileSync(RULEBOOK_SCHEMA_FILE, rulebookSchemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), RULEBOOK_SCHEMA_FILE)}\n`);
}
