/**
 * The Temporal server's dynamic configuration has one home,
 * config/temporal/dynamicconfig.yaml: the production cluster reads it as its
 * file (docker-compose.yml, `npm run cluster`), and the CLI's dev server that
 * `npm start`, the tests and bench:load run is given the same settings as
 * `--dynamic-config-value` flags. What a case meets on one server it meets on
 * the other.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** From the sources (config/) or the compiled tree (dist/config/). */
export const DYNAMIC_CONFIG_FILE = [path.resolve(__dirname, 'temporal', 'dynamicconfig.yaml'), path.resolve(__dirname, '..', '..', 'config', 'temporal', 'dynamicconfig.yaml')].find((f) =>
  fs.existsSync(f),
)!;

type Entries = Record<string, Array<{ value: unknown; constraints?: Record<string, unknown> }>>;

/** The file as dev-server flags. A setting limited by constraints (one namespace, one task queue) has no flag form, and is refused. */
export function devServerDynamicConfigArgs(file = DYNAMIC_CONFIG_FILE): string[] {
  const entries = parse(fs.readFileSync(file, 'utf8')) as Entries;
  return Object.entries(entries).flatMap(([key, values]) => {
    if (values.length !== 1 || Object.keys(values[0]!.constraints ?? {}).length > 0) {
      throw new Error(`${file}: ${key} is constrained, which the dev server's --dynamic-config-value cannot say`);
    }
    return ['--dynamic-config-value', `${key}=${JSON.stringify(values[0]!.value)}`];
  });
}
