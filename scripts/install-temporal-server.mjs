// Builds the real Temporal server and its SQL schema tool from the Go module
// go.temporal.io/server, at the release .env pins for compose (TEMPORAL_VERSION),
// into .tools/temporal-server/<version>/, with the
// module's PostgreSQL schema files beside them. Only `npm run cluster` and the
// cluster test need these; `npm test` runs on the CLI's dev server and the
// time-skipping test server, so it never waits for this build.
//
// The Go toolchain the module's `go` line asks for comes through the Go module
// proxy (GOTOOLCHAIN), as do the module and its dependencies; the first build
// takes minutes on two cores, later runs find the stamp and return at once.
// Plain Node with no dependencies, like scripts/tools.mjs.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The server release compose runs (.env TEMPORAL_VERSION), and the toolchain its go.mod requires. */
function pinnedServerVersion() {
  const line = fs.readFileSync(path.join(root, '.env'), 'utf8').split('\n').find((l) => l.startsWith('TEMPORAL_VERSION='));
  if (!line) throw new Error('.env has no TEMPORAL_VERSION');
  return `v${line.slice('TEMPORAL_VERSION='.length).trim()}`;
}
export const TEMPORAL_SERVER = { module: 'go.temporal.io/server', version: pinnedServerVersion(), toolchain: 'go1.26.10' };

export const serverDir = path.join(root, '.tools', 'temporal-server', TEMPORAL_SERVER.version);
export const temporalServer = path.join(serverDir, 'bin', 'temporal-server');
export const temporalSqlTool = path.join(serverDir, 'bin', 'temporal-sql-tool');
/** Same layout as in the admin-tools image (/etc/temporal/schema/postgresql/v12), which compose uses. */
export const postgresSchemaDir = path.join(serverDir, 'schema', 'postgresql', 'v12');
const stampFile = path.join(serverDir, 'stamp.json');

function go(args, env = {}) {
  const result = spawnSync('go', args, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, GOTOOLCHAIN: TEMPORAL_SERVER.toolchain, ...env },
  });
  if (result.error) throw new Error(`go ${args[0]}: ${result.error.message} (needs Go 1.21 or later on PATH)`);
  if (result.status !== 0) throw new Error(`go ${args.join(' ')} failed with exit code ${result.status}`);
  return result.stdout.trim();
}

function stampWanted() {
  return JSON.stringify({ ...TEMPORAL_SERVER, binaries: ['temporal-server', 'temporal-sql-tool'], schema: 'postgresql/v12' });
}

export function temporalServerInstalled() {
  return (
    fs.existsSync(stampFile) &&
    fs.readFileSync(stampFile, 'utf8') === stampWanted() &&
    fs.existsSync(temporalServer) &&
    fs.existsSync(temporalSqlTool)
  );
}

export function ensureTemporalServer() {
  if (temporalServerInstalled()) return;
  const { module, version } = TEMPORAL_SERVER;
  const started = Date.now();
  console.log(`[tools] building ${module}@${version} (temporal-server, temporal-sql-tool) with ${TEMPORAL_SERVER.toolchain}; the first build takes minutes…`);
  const staging = `${serverDir}.partial`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(path.join(staging, 'bin'), { recursive: true });
  // Pure Go (the server's own release builds use CGO_ENABLED=0 too), so no C toolchain is needed.
  go(
    ['install', '-trimpath', '-ldflags=-s -w', `${module}/cmd/server@${version}`, `${module}/cmd/tools/sql@${version}`],
    { GOBIN: path.join(staging, 'bin'), CGO_ENABLED: '0' },
  );
  fs.renameSync(path.join(staging, 'bin', 'server'), path.join(staging, 'bin', 'temporal-server'));
  fs.renameSync(path.join(staging, 'bin', 'sql'), path.join(staging, 'bin', 'temporal-sql-tool'));
  // `go install` left the module in the module cache; its schema files are the ones this release expects.
  const moduleDir = JSON.parse(go(['mod', 'download', '-json', `${module}@${version}`])).Dir;
  fs.cpSync(path.join(moduleDir, 'schema', 'postgresql', 'v12'), path.join(staging, 'schema', 'postgresql', 'v12'), { recursive: true });
  // The module cache is read-only; the copy need not be.
  for (const file of fs.readdirSync(path.join(staging, 'schema'), { recursive: true })) {
    fs.chmodSync(path.join(staging, 'schema', file), fs.statSync(path.join(staging, 'schema', file)).isDirectory() ? 0o755 : 0o644);
  }
  fs.rmSync(serverDir, { recursive: true, force: true });
  fs.renameSync(staging, serverDir);
  fs.writeFileSync(stampFile, stampWanted());
  console.log(`[tools] temporal-server ${version} built in ${Math.round((Date.now() - started) / 1000)} s into ${path.relative(root, serverDir)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureTemporalServer();
  } catch (err) {
    console.error(`[tools] ${err.message}`);
    process.exit(1);
  }
}
