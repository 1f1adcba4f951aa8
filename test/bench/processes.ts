/**
 * The processes the load benchmark starts (the Temporal CLI's dev server, the
 * product's compiled processes) and how it stops them: each in a process
 * group of its own, stopped by that group's id, SIGTERM first and SIGKILL
 * after a bounded wait, whether the benchmark succeeds, fails or is
 * interrupted.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { Connection } from '@temporalio/client';
import { devServerArgs } from '../../config/dev-server';
import { temporalCliPath } from '../support/tools';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything still to stop, newest first when stopped. */
const running = new Set<BenchProcess>();

/** The kernel's clock ticks a second, in which /proc reports CPU time. */
const CLOCK_TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

export class BenchProcess {
  private readonly child: ChildProcess;
  private exitCode: string | undefined;
  private readonly exited: Promise<void>;
  private stopping = false;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    options: { env?: NodeJS.ProcessEnv; logFile: string; cwd?: string },
  ) {
    const log = fs.openSync(options.logFile, 'a');
    // A group of its own, so stopping it reaches whatever it starts (LibreOffice under the worker).
    this.child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', log, log], detached: true });
    fs.closeSync(log);
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitCode = signal ?? `code ${code}`;
        running.delete(this);
        resolve();
      }),
    );
    running.add(this);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Throws if the process ended without being asked to: a phase waiting on it should stop, not wait out its bound. */
  check(): void {
    if (this.exitCode !== undefined && !this.stopping) throw new Error(`${this.name} exited by itself (${this.exitCode})`);
  }

  /** Resident memory now and at its peak (VmRSS, VmHWM), in MiB. */
  memory(): { rssMiB: number; peakMiB: number } {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
  }

  /** CPU time it has used so far (user and system, /proc/<pid>/stat), in ms; its children's are not counted. */
  cpuMs(): number {
    // The fields after the command's closing parenthesis: utime and stime are the 12th and 13th of them.
    const fields = fs.readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  }

  /** SIGTERM to its group; SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 45_000): Promise<void> {
    this.stopping = true;
    if (this.exitCode !== undefined) return;
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-this.pid, s);
      } catch {
        // the group is gone already
      }
    };
    signal('SIGTERM');
    const timer = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), graceMs).unref());
    if ((await Promise.race([this.exited, timer])) === 'late') {
      signal('SIGKILL');
      await Promise.race([this.exited, sleep(5_000)]);
    }
  }
}

/** Stops every process the benchmark started and has not stopped yet, newest first. */
export async function stopAll(): Promise<void> {
  for (const child of [...running].reverse()) await child.stop(15_000).catch(() => undefined);
}

/** Waits until `probe` answers true, checking `alive` between tries; throws after `timeoutMs` saying what it waited for. */
export async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number, alive: () => void = () => undefined, everyMs = 250): Promise<number> {
  const started = Date.now();
  for (;;) {
    alive();
    if (await probe().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
    await sleep(everyMs);
  }
}

/** The Temporal CLI's dev server as `npm start` runs it (config/dev-server.ts), without its UI; `sqlitePragmas` are for trying other SQLite settings. */
export async function startTemporalDevServer(options: { port: number; metricsPort: number; dbFile: string; logFile: string; sqlitePragmas?: string[] }): Promise<{ process: BenchProcess; address: string; metricsUrl: string }> {
  const address = `127.0.0.1:${options.port}`;
  const server = new BenchProcess(
    'temporal dev server',
    temporalCliPath,
    devServerArgs({ dbFile: options.dbFile, ip: '127.0.0.1', port: options.port, metricsPort: options.metricsPort, namespace: 'default', sqlitePragmas: options.sqlitePragmas }),
    { logFile: options.logFile },
  );
  await waitUntil(
    'the Temporal dev server answering with its search attributes',
    async () => {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.countWorkflowExecutions({ namespace: 'default', query: 'CaseId IS NULL' });
        return true;
      } finally {
        await connection.close();
      }
    },
    90_000,
    () => server.check(),
    500,
  );
  return { process: server, address, metricsUrl: `http://127.0.0.1:${options.metricsPort}/metrics` };
}

/** The dev server's own latency of an operation so far, from its frontend's Prometheus histogram: the sum in seconds and the count. */
export async function serverLatency(metricsUrl: string, operation: string): Promise<{ seconds: number; count: number }> {
  const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(5_000) })).text();
  const series = (kind: 'sum' | 'count') =>
    text
      .split('\n')
      .filter((line) => line.startsWith(`service_latency_${kind}{`) && line.includes('namespace="default"') && line.includes(`operation="${operation}"`) && line.includes('service_name="frontend"'))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
  return { seconds: series('sum'), count: series('count') };
}
