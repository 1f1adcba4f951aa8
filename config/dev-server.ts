/**
 * The Temporal CLI's dev server as `npm start` runs it, in one place: the
 * start script (scripts/start.mjs, from dist/) and the load benchmark
 * (test/bench/processes.ts) build its command line here, so the benchmark
 * measures the server a user runs. The tests start theirs through the SDK's
 * TestWorkflowEnvironment, which takes the same dynamic configuration and
 * search attributes as options (test/support/temporal.ts).
 */
import type { SearchAttributeType } from '@temporalio/common';
import { ALL_SEARCH_ATTRIBUTES } from '../domain/case/contract';
import { devServerDynamicConfigArgs } from './temporal-dynamic';

/** proto enum temporal.api.enums.v1.IndexedValueType: a search attribute's type as the operator service names it. */
export const INDEXED_VALUE_TYPE: Record<SearchAttributeType, number> = { TEXT: 1, KEYWORD: 2, INT: 3, DOUBLE: 4, BOOL: 5, DATETIME: 6, KEYWORD_LIST: 7 };

/** The same types as the CLI names them (`--search-attribute Name=Type`). */
const CLI_TYPE_NAME: Record<SearchAttributeType, string> = { TEXT: 'Text', KEYWORD: 'Keyword', INT: 'Int', DOUBLE: 'Double', BOOL: 'Bool', DATETIME: 'Datetime', KEYWORD_LIST: 'KeywordList' };

export interface DevServerOptions {
  /** The SQLite file the server keeps its state in. */
  dbFile: string;
  ip: string;
  port: number;
  namespace: string;
  /** The Web UI's port; without it the server runs headless. */
  uiPort?: number | undefined;
  /** Where the UI decodes payloads (the API's codec endpoint); payloads are encrypted. */
  uiCodecEndpoint?: string | undefined;
  /** Where the server's own Prometheus metrics are served. */
  metricsPort?: number | undefined;
  /** Other SQLite settings (`journal_mode=wal`), for trying them. */
  sqlitePragmas?: string[] | undefined;
}

/** The arguments of `temporal server start-dev`: the production cluster's dynamic configuration and every search attribute the product uses. */
export function devServerArgs(options: DevServerOptions): string[] {
  return [
    'server', 'start-dev',
    '--db-filename', options.dbFile,
    '--ip', options.ip,
    '--port', String(options.port),
    ...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : []),
    ...(options.metricsPort === undefined ? [] : ['--metrics-port', String(options.metricsPort)]),
    ...(options.sqlitePragmas ?? []).flatMap((pragma) => ['--sqlite-pragma', pragma]),
    '--namespace', options.namespace,
    '--log-level', 'error',
    // The production cluster's settings (config/temporal/dynamicconfig.yaml).
    ...devServerDynamicConfigArgs(),
    // start-dev registers these only when it creates its database; scripts/start.mjs adds any an older one lacks.
    ...ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=${CLI_TYPE_NAME[key.type]}`]),
  ];
}
