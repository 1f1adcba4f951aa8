/**
 * The data folder holds the archive (the subject's name in clear among it),
 * the token secret and the payload keys: it is for the service's user alone.
 * Every process that writes there first narrows its umask to 077, so every
 * directory it (or a child it starts, such as the Temporal dev server) creates
 * is 0700 and every file 0600, PGlite's own files included; and at start-up it
 * says which paths someone else can read, with their mode, since files made
 * before (or copied in) keep theirs.
 */
import fs from 'node:fs';
import path from 'node:path';

/** Group and others: no bit of the mode for anyone but the owner. */
const OTHERS = 0o077;
/** How many paths a check reports by name; the rest are counted. */
const NAMED = 20;

/** Narrows the process's umask and creates the folder 0700 (an existing one is left as it is, and checked). */
export function prepareDataDir(dir: string): void {
  process.umask(process.umask() | OTHERS);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/** Takes group's and others' bits off everything under `dir` (for files a library set itself, PGlite's). */
export function ownerOnly(dir: string): void {
  const visit = (where: string) => {
    const stat = fs.lstatSync(where);
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & OTHERS) !== 0) fs.chmodSync(where, stat.mode & 0o700);
    if (stat.isDirectory()) for (const entry of fs.readdirSync(where)) visit(path.join(where, entry));
  };
  visit(dir);
}

export interface OpenPath {
  path: string;
  /** As `ls` shows it, e.g. 0644. */
  mode: string;
}

/** Every path under `dir` (itself included) that its group or others may read, write or enter; at most `limit`. */
export function openPaths(dir: string, limit = 10_000): OpenPath[] {
  const found: OpenPath[] = [];
  const visit = (where: string) => {
    if (found.length >= limit) return;
    let stat: fs.Stats;
    try {
      stat = fs.lstatSync(where);
    } catch {
      return; // gone meanwhile (a database's temporary file)
    }
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & OTHERS) !== 0) found.push({ path: where, mode: `0${(stat.mode & 0o777).toString(8)}` });
    if (stat.isDirectory()) for (const entry of fs.readdirSync(where)) visit(path.join(where, entry));
  };
  if (fs.existsSync(dir)) visit(dir);
  return found;
}

/** The start-up warnings: one line a path, naming it and its mode, then how many more and how to close them. */
export function dataDirWarnings(dir: string): string[] {
  const open = openPaths(dir);
  if (open.length === 0) return [];
  const lines = open.slice(0, NAMED).map((p) => `${p.path} has mode ${p.mode}: other local users can reach it (want 0700 for folders, 0600 for files)`);
  if (open.length > NAMED) lines.push(`and ${open.length - NAMED} more paths under ${dir}`);
  lines.push(`to close them: chmod -R go-rwx ${dir}`);
  return lines;
}
