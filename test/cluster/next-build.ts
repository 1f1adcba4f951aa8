/**
 * The "next release" of a rolling upgrade: a copy of this checkout whose
 * workflow differs behind `patched()`, compiled as a release would be. Every
 * event the case records also upserts a memo entry, a command the current
 * build does not issue: a case that moved to this build and then went back to
 * the old one would fail its workflow task on replay (a nondeterminism error),
 * which is what the rolling upgrade must never let happen.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const NEXT_BUILD_PATCH = 'cluster-test-next-build';

const SOURCES = ['activities', 'api', 'config', 'domain', 'rulebooks', 'scripts', 'services', 'store', 'worker', 'workflows'];
const FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json', '.env', 'Dockerfile', 'docker-compose.yml'];

export function buildNextRelease(root: string, into: string): string {
  fs.mkdirSync(into, { recursive: true });
  for (const dir of SOURCES) fs.cpSync(path.join(root, dir), path.join(into, dir), { recursive: true });
  for (const file of FILES) fs.copyFileSync(path.join(root, file), path.join(into, file));
  fs.symlinkSync(path.join(root, 'node_modules'), path.join(into, 'node_modules'));

  const file = path.join(into, 'workflows', 'engine', 'case-file.ts');
  const source = fs.readFileSync(file, 'utf8');
  const importLine = "import { proxySinks, upsertSearchAttributes, workflowInfo, type Sinks } from '@temporalio/workflow';";
  const recordLine = '    this.state.timeline.push({ at: new Date(now()).toISOString(), event, ...extra });\n';
  if (!source.includes(importLine) || !source.includes(recordLine)) throw new Error(`${file} changed: update the next build's patch in test/cluster/next-build.ts`);
  fs.writeFileSync(
    file,
    source
      .replace(importLine, "import { patched, proxySinks, upsertMemo, upsertSearchAttributes, workflowInfo, type Sinks } from '@temporalio/workflow';")
      .replace(recordLine, `${recordLine}    if (patched('${NEXT_BUILD_PATCH}')) upsertMemo({ lastEventOfNextBuild: event });\n`),
  );
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: into, encoding: 'utf8' });
  if (tsc.status !== 0) throw new Error(`the next build does not compile: ${tsc.stdout}${tsc.stderr}`);
  return into;
}
