// `npm start`: the whole system on one machine. Installs what is missing,
// builds, starts the Temporal dev server (SQLite under data/, with its Web UI)
// unless TEMPORAL_ADDRESS points elsewhere, then the worker and the API; waits
// until all answer, prints where they are, and stops all of it on Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureAll, root, temporalCli } from './tools.mjs';

const say = (line) => console.log(`[start] ${line}`);
const children = [];
let stopping = false;

function fail(message) {
  console.error(`[start] ${message}`);
  void stopAll(1);
}

function launch(name, command, args, options = {}) {
  // A process group of its own: Ctrl-C reaches only this script, which stops the children in order.
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], detached: true, ...options });
  child.name = name;
  child.once('exit', (code, signal) => {
    child.exited = true;
    if (!stopping) fail(`${name} exited (${signal ?? `code ${code}`}); stopping the rest`);
  });
  children.push(child);
  return child;
}

function waitExit(child, ms) {
  if (child.exited) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve();
    }, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  // The app first, so it finishes what it is doing while Temporal still answers; then Temporal.
  for (const child of [...children].reverse()) {
    if (child.exited) continue;
    say(`stopping ${child.name}…`);
    child.kill('SIGTERM');
    await waitExit(child, 15_000);
  }
  process.exit(code);
}

async function waitUntil(what, probe, timeoutMs) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (stopping) return;
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not answer within ${timeoutMs / 1000} s`);
}

/**
 * start-dev registers search attributes only when it creates its database, so
 * data/ from an older version lacks newer ones: add the missing ones, in one
 * request (requests one after another can lose each other's additions), then
 * wait until queries accept them, which the frontend learns a moment later.
 */
async function registerSearchAttributes(config, keys, indexedValueType) {
  const { Connection } = await import('@temporalio/client');
  const connection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  try {
    const namespace = config.TEMPORAL_NAMESPACE;
    const { customAttributes: known } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = keys.filter((key) => !(key.name in (known ?? {})));
    if (missing.length === 0) return;
    say(`registering search attributes ${missing.map((key) => key.name).join(', ')}…`);
    await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedValueType[key.type]])) });
    const query = missing.map((key) => `${key.name} IS NULL`).join(' OR ');
    await waitUntil('the search attributes', () => connection.workflowService.countWorkflowExecutions({ namespace, query }).then(() => true), 60_000);
  } finally {
    await connection.close();
  }
}

async function main() {
  ensureAll();
  say('building (npm run build: the server, the workflow bundle, then the console)…');
  const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build (npm run build) failed');

  const { parseConfig, ConfigError } = await import(path.join(root, 'dist', 'config', 'env.js'));
  let config;
  try {
    config = parseConfig(process.env, { api: true });
  } catch (err) {
    if (err instanceof ConfigError) throw new Error(err.message);
    throw err;
  }
  const { signInFor } = await import(path.join(root, 'dist', 'api', 'server.js'));
  const devSignIn = signInFor(config).kind === 'development';
  const { ALL_SEARCH_ATTRIBUTES } = await import(path.join(root, 'dist', 'domain', 'case', 'contract.js'));
  const { devServerArgs, INDEXED_VALUE_TYPE } = await import(path.join(root, 'dist', 'config', 'dev-server.js'));
  // The data folder is for this user alone: the Temporal dev server, started from here, makes its
  // database file under this umask too (config/data-dir.ts does the same in the worker and the API).
  process.umask(process.umask() | 0o077);
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });

  let uiUrl = config.TEMPORAL_UI_URL;
  const appEnv = { ...process.env };
  if (!process.env.TEMPORAL_ADDRESS) {
    const [ip, port] = config.TEMPORAL_ADDRESS.split(':');
    const uiPort = new URL(config.TEMPORAL_UI_URL).port || '8233';
    say(`starting the Temporal dev server (${path.relative(root, path.join(config.dataDir, 'temporal.db'))})…`);
    launch(
      'temporal',
      temporalCli,
      devServerArgs({
        dbFile: path.join(config.dataDir, 'temporal.db'),
        ip,
        port: Number(port),
        uiPort: Number(uiPort),
        namespace: config.TEMPORAL_NAMESPACE,
        // Payloads are encrypted: the UI decrypts them through the API's codec endpoint.
        uiCodecEndpoint: `${config.apiBaseUrl}/codec`,
      }),
    );
    uiUrl = `http://${ip}:${uiPort}`;
    appEnv.TEMPORAL_UI_URL ??= uiUrl;
    // This UI has no sign-in, so it cannot pass a token: on loopback the codec decodes for it without one.
    if (['127.0.0.1', 'localhost', '::1'].includes(config.API_HOST)) appEnv.CODEC_AUTH ??= 'none';
    await waitUntil('the Temporal server', async () => {
      const health = spawnSync(temporalCli, ['operator', 'cluster', 'health', '--address', config.TEMPORAL_ADDRESS], { encoding: 'utf8' });
      return health.status === 0 && health.stdout.includes('SERVING');
    }, 60_000);
    await registerSearchAttributes(config, ALL_SEARCH_ATTRIBUTES, INDEXED_VALUE_TYPE);
  }

  say('starting the worker and the API…');
  // The worker's heap is bounded (WORKER_HEAP_MB): its cache, not the number of open cases, sets its memory.
  launch('worker and API', process.execPath, [`--max-old-space-size=${config.WORKER_HEAP_MB}`, path.join(root, 'dist', 'scripts', 'embedded.js')], { env: appEnv });
  await waitUntil('the API', async () => (await fetch(`${config.apiBaseUrl}/readyz`)).ok, 60_000);
  await waitUntil('the Temporal UI', async () => (await fetch(uiUrl)).ok, 30_000);
  if (stopping) return;

  console.log(`
  容错免责 rongcuo is running.

  Console      ${config.apiBaseUrl}/   (办案工作台; ${devSignIn ? 'development sign-in: no OIDC issuer is configured' : 'sign-in through the configured OIDC issuer'})
  API          ${config.apiBaseUrl}/v1
  API docs     ${config.apiBaseUrl}/docs
  Temporal UI  ${uiUrl}   (filter e.g. Jurisdiction = "binhai" AND Stage = "application";
               payloads decrypted through ${config.apiBaseUrl}/codec, for this origin only)
  Data         ${config.dataDir}

  A development token (roles: officer, supervisor, auditor, admin; system-admin loads the calendar):
    npm run token -- --role officer --authority binhai-jw --sub u123 --name 张三
  then: curl -H "Authorization: Bearer $TOKEN" ${config.apiBaseUrl}/v1/calendar/years

  Ctrl-C stops everything.
`);
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch((err) => fail(err.message));
