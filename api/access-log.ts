/**
 * Who looked at what, as HMCTS's case data store logs CASE_ACCESSED: a route
 * declares `audit` (api/registry.ts) and every answer it gives, whatever its
 * status, is first appended to the access log (store/access-log.ts) with who
 * asked (account, name, roles, authority), when, what (event, operation,
 * case, document), from where (address, user agent) and the answer's status.
 * No handler writes a record itself.
 *
 * The answer waits for its record, never longer than `waitMs`: records are
 * buffered and written together, one statement for all that arrived while the
 * last write was under way (group commit), so many readers cost about one
 * write. A record that cannot be written in time (the archive database down,
 * the buffer full) turns the answer into 503 access_log_unavailable: a read is
 * refused rather than served unlogged. Where the write ends after the read was
 * refused, the log holds a record of an answer that was never sent, which
 * errs on the side of the log.
 */
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { CASE_ID_PATTERN } from '../domain/case/contract';
import { appendAccessRecords, chainHead, ChainMoved, type AccessEvent, type AccessRecord } from '../store/access-log';
import type { Queryable } from '../store/db';
import { Problem, problemDocument } from './problem';

export interface AccessLogSettings {
  /** false: no record is written (ACCESS_LOG=off, to measure the log's cost; refused in production). */
  enabled: boolean;
  /** How long an answer waits for its record before it is refused. */
  waitMs: number;
  /** Records waiting at most; beyond, reads are refused at once. */
  maxPending?: number;
}

export const accessLogUnavailable = () =>
  new Problem({
    status: 503,
    code: 'access_log_unavailable',
    title: 'Access log unavailable',
    detail: { zh: '访问日志暂时无法写入，为保证每次查阅均有记录，本次查阅未予提供，请稍后重试', en: 'The access log cannot be written just now; so that no read goes unlogged, this one is refused: try again shortly' },
    retryAfterSeconds: 5,
  });

class AccessLogTimeout extends Error {
  override name = 'AccessLogTimeout';
}

interface Pending {
  records: AccessRecord[];
  resolve(): void;
  reject(err: Error): void;
}

/** At most this many records in one statement. */
const BATCH_RECORDS = 500;

export class AccessLog {
  private queue: Pending[] = [];
  private queued = 0;
  private flushing: Promise<void> | undefined;
  /** The chain's head as this process last wrote it; read again after any failure. */
  private head: string | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly settings: AccessLogSettings,
    private readonly logger?: Logger,
  ) {}

  get enabled(): boolean {
    return this.settings.enabled;
  }

  /** Resolves once the records are in the archive; rejects when they could not be written within the wait. */
  record(records: AccessRecord[]): Promise<void> {
    if (!this.settings.enabled || records.length === 0) return Promise.resolve();
    if (this.queued + records.length > (this.settings.maxPending ?? 10_000)) return Promise.reject(new AccessLogTimeout('the access log buffer is full'));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        const at = this.queue.indexOf(entry);
        if (at >= 0) {
          this.queue.splice(at, 1);
          this.queued -= records.length;
        }
        reject(new AccessLogTimeout(`the access record was not written within ${this.settings.waitMs} ms`));
      }, this.settings.waitMs);
      timer.unref?.();
      const entry: Pending = {
        records,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      };
      this.queue.push(entry);
      this.queued += records.length;
      this.kick();
    });
  }

  /** Waits for what is buffered to be written (a stopping server). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = this.flush().finally(() => {
      this.flushing = undefined;
      if (this.queue.length > 0) this.kick();
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      while (this.queue.length > 0 && (batch.length === 0 || count + this.queue[0]!.records.length <= BATCH_RECORDS)) {
        const next = this.queue.shift()!;
        batch.push(next);
        count += next.records.length;
      }
      this.queued -= count;
      try {
        await this.write(batch.flatMap((p) => p.records));
        for (const p of batch) p.resolve();
      } catch (err) {
        this.head = undefined;
        this.logger?.error({ err, records: count }, 'access log not written; the reads waiting on it are refused');
        for (const p of batch) p.reject(err as Error);
      }
    }
  }

  private async write(records: AccessRecord[]): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      this.head ??= await chainHead(this.db);
      try {
        this.head = await appendAccessRecords(this.db, this.head, records);
        return;
      } catch (err) {
        // Another process appended first: follow the chain to its new head and append there.
        if (!(err instanceof ChainMoved) || attempt >= 10) throw err;
        this.head = undefined;
      }
    }
  }
}

/** What a route declares to have its answers logged (api/registry.ts RouteSpec.audit). */
export interface AuditDeclaration {
  event: AccessEvent;
}

/** Printable and short: a user agent is the client's to write. */
const clean = (text: string | undefined, max: number) => (text ? text.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, max) : null);

/** The cases an answer is about: as the handler named them (res.locals), or the case of the path. */
function casesOf(res: Response, path: string, params: Record<string, unknown>): (string | null)[] {
  const named = res.locals.auditCases as string[] | undefined;
  if (named && named.length > 0) return named;
  const one = (res.locals.caseId as string | undefined) ?? (path.includes('/cases/{id}') ? String(params.id ?? '') : undefined);
  return [one && CASE_ID_PATTERN.test(one) ? one : null];
}

/**
 * The declared route's answers wait for their records. Mounted after authentication, so the record
 * names who asked; a refusal by role (403) or of a case not found (404) is logged like any answer.
 */
export function auditAnswers(log: AccessLog, spec: { path: string; operationId: string; audit: AuditDeclaration }): RequestHandler {
  return (req, res, next) => {
    if (!log.enabled) return next();
    // The route's own parameters: an error answered by the app's handler no longer sees them on req.
    const params = { ...req.params };
    const send = res.send.bind(res);
    const headersBefore = new Set(res.getHeaderNames());
    let held = false;
    res.send = function audited(body?: unknown) {
      // Express's json calls send again with the serialised body; and our own answer passes through.
      if (held) return send(body);
      held = true;
      const user = req.user;
      const at = new Date().toISOString();
      // Without a token (the codec, CODEC_AUTH=none) the origin says which browser asked, if any.
      const named = res.locals.auditDetail as AccessRecord['detail'] | undefined;
      const detail = user ? (named ?? null) : { origin: clean(req.get('origin'), 200) ?? 'none', ...named };
      const records: AccessRecord[] = casesOf(res, spec.path, params).map((caseId) => ({
        at,
        sub: user?.sub ?? null,
        name: user?.name ?? null,
        roles: user ? [...user.roles] : [],
        authority: user?.authority ?? null,
        event: spec.audit.event,
        operation: spec.operationId,
        caseId,
        documentId: (res.locals.documentId as string | undefined) ?? null,
        address: clean(req.ip ?? req.socket.remoteAddress, 100),
        userAgent: clean(req.get('user-agent'), 300),
        status: res.statusCode,
        detail,
      }));
      log.record(records).then(
        () => send(body),
        () => {
          // Nothing of the answer that was to be: its headers go with it, the problem takes its place.
          for (const name of res.getHeaderNames()) if (!headersBefore.has(name)) res.removeHeader(name);
          const problem = accessLogUnavailable();
          res.status(503).set('Retry-After', String(problem.init.retryAfterSeconds)).type('application/problem+json');
          send(JSON.stringify(problemDocument(problem, (req.acceptsLanguages('zh', 'en') || 'zh') === 'en')));
        },
      );
      return res;
    } as Response['send'];
    next();
  };
}
