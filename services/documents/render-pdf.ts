/**
 * The archival copy of a document: its .docx rendered to PDF/A-2b by
 * LibreOffice headless (installed from Debian's packages by
 * scripts/install-libreoffice.sh), with fontconfig told the standard fonts'
 * named fallbacks (fonts.ts). One LibreOffice run converts all the documents
 * it is given; runs in one process are queued, since two LibreOffice
 * processes may not share a user profile.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fontconfigFile } from './fonts';

export const PDF = 'application/pdf';
/** PDF/A-2b (SelectPdfVersion 2), which LibreOffice 7.4 writes with embedded fonts and XMP identification. */
const PDF_A_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}';

/** The renderer is not installed (or not runnable): the copy is rendered later, never skipped. */
export class RendererUnavailable extends Error {
  override name = 'RendererUnavailable';
}

export interface ArchivalRenderer {
  /** Renders each .docx to PDF, in order; throws when any could not be rendered. */
  render(files: { name: string; bytes: Buffer }[]): Promise<Buffer[]>;
  /** The renderer and its version, recorded beside each copy. */
  describe(): Promise<string>;
}

export interface LibreOfficeOptions {
  /** The soffice executable; `soffice` on PATH unless set. */
  command?: string;
  /** Longest one run may take before it is stopped. */
  timeoutMs?: number;
}

interface RunResult {
  code: number | null;
  output: string;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      // The whole group: soffice starts soffice.bin as a child.
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' || err.code === 'EACCES' ? new RendererUnavailable(`${command} is not installed (run scripts/install-libreoffice.sh): ${err.message}`) : err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * One profile per process, kept between runs (creating it costs as much as a
 * conversion), and one queue for it however many renderers the process makes:
 * a second LibreOffice on a busy profile hands its work to the first and may
 * never convert it.
 */
const home = path.join(os.tmpdir(), `rongcuo-libreoffice-${process.pid}`);
let queue: Promise<unknown> = Promise.resolve();
const fontsConf = path.join(home, 'fonts.conf');
const writeFontsConf = async () => {
  await fs.mkdir(home, { recursive: true });
  await fs.writeFile(fontsConf, fontconfigFile());
};

export function libreOfficeRenderer(options: LibreOfficeOptions = {}): ArchivalRenderer {
  const command = options.command ?? 'soffice';
  const timeoutMs = options.timeoutMs ?? 120_000;
  let version: string | undefined;

  const env = () => ({ ...process.env, FONTCONFIG_FILE: fontsConf, SAL_USE_VCLPLUGIN: 'svp' });

  const convert = async (files: { name: string; bytes: Buffer }[]): Promise<Buffer[]> => {
    await writeFontsConf();
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rongcuo-pdf-'));
    try {
      const inputs = await Promise.all(
        files.map(async (f, i) => {
          const input = path.join(dir, `${i + 1}.docx`);
          await fs.writeFile(input, f.bytes);
          return input;
        }),
      );
      const out = path.join(dir, 'out');
      const args = ['--headless', '--norestore', '--nolockcheck', `-env:UserInstallation=file://${path.join(home, 'profile')}`, '--convert-to', PDF_A_FILTER, '--outdir', out, ...inputs];
      const result = await run(command, args, env(), timeoutMs);
      return await Promise.all(
        files.map(async (f, i) => {
          try {
            return await fs.readFile(path.join(out, `${i + 1}.pdf`));
          } catch {
            throw new Error(`LibreOffice rendered no PDF of ${f.name} (exit ${result.code}): ${result.output.trim().slice(-400)}`);
          }
        }),
      );
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  };

  return {
    render(files) {
      const next = queue.then(() => convert(files));
      queue = next.catch(() => undefined);
      return next;
    },
    async describe() {
      if (!version) {
        const ask = queue.then(() => run(command, ['--version'], env(), 30_000));
        queue = ask.catch(() => undefined);
        const result = await ask;
        version = result.output.trim().split('\n').at(-1)?.split(' ').slice(0, 2).join(' ') || 'LibreOffice';
      }
      return version;
    },
  };
}
