/**
 * The data folder is for the service's user alone: the real API entry point,
 * started on an empty folder, creates every file there 0600 and every folder
 * 0700 (the archive's PGlite files, the token secret, the payload and
 * search-terms keys); and on start-up it names, with its mode, any path there
 * that other local users can reach.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataDirWarnings } from '../../config/data-dir';
import { eventually } from '../support/eventually';
import { freePort } from '../support/ports';
import { startDevServer } from '../support/temporal';

const ROOT = path.resolve(__dirname, '../..');

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServer();
});
afterAll(() => env?.teardown());

/** Every path under `dir` with its permission bits, as `ls -l` would show them. */
function modes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (where: string) => {
    const stat = fs.lstatSync(where);
    out[path.relative(dir, where) || '.'] = `0${(stat.mode & 0o777).toString(8)}`;
    if (stat.isDirectory()) for (const entry of fs.readdirSync(where)) visit(path.join(where, entry));
  };
  visit(dir);
  return out;
}

function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

it('creates everything under DATA_DIR for its own user alone, and warns, naming path and mode, of what others can reach', async () => {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-data-'));
  const dataDir = path.join(parent, 'data');
  // Left by an earlier install, or copied in: the start-up names it, and leaves it as it is.
  fs.mkdirSync(dataDir, { mode: 0o700 });
  const stray = path.join(dataDir, 'export.csv');
  fs.writeFileSync(stray, 'case-binhai-2026-0001\n');
  fs.chmodSync(stray, 0o644);

  const port = await freePort();
  let output = '';
  // A umask that opens everything to everyone, as a careless service account might have.
  const child = spawn('/bin/sh', ['-c', `umask 000 && exec "${process.execPath}" -r "${path.join(ROOT, 'test/support/register-ts.cjs')}" "${path.join(ROOT, 'api/server.ts')}"`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), DATA_DIR: dataDir, API_PORT: String(port), TEMPORAL_ADDRESS: env.address, STARTUP_WAIT_SECONDS: '30' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  try {
    await eventually(async () => {
      expect(child.exitCode).toBeNull();
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);
    }, 90_000);

    const warnings = output.split('\n').filter((line) => line.includes('"level":40')).map((line) => JSON.parse(line).msg as string);
    expect(warnings).toEqual([`${stray} has mode 0644: other local users can reach it (want 0700 for folders, 0600 for files)`, `to close them: chmod -R go-rwx ${dataDir}`]);

    const made = modes(dataDir);
    for (const file of ['token-secret', 'payload-keys', 'search-terms-key', 'archive/PG_VERSION']) expect([file, made[file]]).toEqual([file, '0600']);
    expect(Object.keys(made).filter((p) => p.startsWith('archive/base/')).length).toBeGreaterThan(100);
    // Nothing but the stray file is open to anyone else: every folder 0700, every file 0600.
    for (const [where, mode] of Object.entries(made)) {
      if (path.join(dataDir, where) === stray) continue;
      const isDir = fs.statSync(path.join(dataDir, where)).isDirectory();
      expect([where, mode]).toEqual([where, isDir ? '0700' : '0600']);
    }
  } finally {
    await stopped(child);
    fs.rmSync(parent, { recursive: true, force: true });
  }
});

it('names at most twenty paths, then how many more and how to close them', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-open-'));
  for (let i = 0; i < 25; i += 1) fs.writeFileSync(path.join(dir, `f${i}`), '', { mode: 0o666 });
  fs.chmodSync(dir, 0o755);
  const lines = dataDirWarnings(dir);
  expect(lines).toHaveLength(22);
  expect(lines[0]).toBe(`${dir} has mode 0755: other local users can reach it (want 0700 for folders, 0600 for files)`);
  expect(lines[20]).toBe(`and 6 more paths under ${dir}`);
  expect(lines[21]).toBe(`to close them: chmod -R go-rwx ${dir}`);
  fs.rmSync(dir, { recursive: true, force: true });
});
