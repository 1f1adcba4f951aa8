/**
 * Every error answers as application/problem+json (RFC 9457) with a stable
 * `code`, a Chinese `detail` by default and English on `Accept-Language: en`.
 * Nothing internal (stack, driver message) leaks into an answer.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { isTransient } from '../services/faults';

export interface FieldError {
  /** JSON-pointer-like path of the field, e.g. `subject.name` or `query.amount`. */
  field: string;
  message: string;
}

export interface ProblemInit {
  status: number;
  code: string;
  title: string;
  detail: { zh: string; en: string };
  errors?: FieldError[];
  /** Extra members, e.g. the article a refusal rests on. */
  extensions?: Record<string, unknown>;
  /** For a 503 or 429: when to try again, sent as Retry-After. */
  retryAfterSeconds?: number;
}

export class Problem extends Error {
  constructor(readonly init: ProblemInit) {
    super(init.detail.en);
  }
}

export function validationProblem(where: 'body' | 'query' | 'params', error: z.ZodError): Problem {
  return fieldsProblem(
    error.issues.map((issue) => ({
      field: [where, ...issue.path.map(String)].join('.'),
      message: issue.message,
    })),
  );
}

/** 400 naming each field and what is wrong with it; also for checks a schema cannot make (a date after today, before delivery). */
export function fieldsProblem(errors: FieldError[]): Problem {
  return new Problem({
    status: 400,
    code: 'validation_failed',
    title: 'Invalid request',
    detail: {
      zh: `请求内容有误：${errors.map((e) => `${e.field} ${e.message}`).join('；')}`,
      en: `The request is invalid: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
    },
    errors,
  });
}

export const problems = {
  unauthenticated: (why: string) =>
    new Problem({ status: 401, code: 'unauthenticated', title: 'Unauthenticated', detail: { zh: `未认证：${why}`, en: `Not authenticated: ${why}` } }),
  forbidden: (roles: readonly string[]) =>
    new Problem({
      status: 403,
      code: 'forbidden',
      title: 'Forbidden',
      detail: { zh: `需要以下角色之一：${roles.join('、')}`, en: `Requires one of the roles: ${roles.join(', ')}` },
      extensions: { requiredRoles: roles },
    }),
  notFound: (what: string) =>
    new Problem({ status: 404, code: 'not_found', title: 'Not found', detail: { zh: `未找到：${what}`, en: `Not found: ${what}` } }),
  temporalUnavailable: () =>
    new Problem({
      status: 503,
      code: 'temporal_unavailable',
      title: 'Service unavailable',
      detail: { zh: '流程引擎暂时无法应答，请稍后重试', en: 'The workflow service did not answer; try again shortly' },
      retryAfterSeconds: 5,
    }),
  databaseUnavailable: () =>
    new Problem({
      status: 503,
      code: 'database_unavailable',
      title: 'Service unavailable',
      detail: { zh: '档案数据库暂时不可用，请稍后重试', en: 'The archive database is unavailable; try again shortly' },
      retryAfterSeconds: 5,
    }),
};

function english(req: Request): boolean {
  return (req.acceptsLanguages('zh', 'en') || 'zh') === 'en';
}

export function sendProblem(req: Request, res: Parameters<RequestHandler>[1], problem: Problem): void {
  const { status, code, title, detail, errors, extensions, retryAfterSeconds } = problem.init;
  if (retryAfterSeconds !== undefined) res.set('Retry-After', String(retryAfterSeconds));
  res
    .status(status)
    .type('application/problem+json')
    .json({
      type: `https://rongcuo.example/problems/${code}`,
      title,
      status,
      detail: english(req) ? detail.en : detail.zh,
      code,
      ...(errors ? { errors } : {}),
      ...extensions,
    });
}

export const notFoundHandler: RequestHandler = (req) => {
  throw problems.notFound(`${req.method} ${req.path}`);
};

/** Turns every thrown thing into a problem; unknown errors become a bare 500 or 503. */
export function problemHandler(onUnexpected: (err: unknown, req: Request) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (err instanceof Problem) return sendProblem(req, res, err);
    const bodyError = err as { type?: string; status?: number };
    if (bodyError.type === 'entity.parse.failed') {
      return sendProblem(req, res, new Problem({ status: 400, code: 'malformed_json', title: 'Malformed JSON', detail: { zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' } }));
    }
    if (bodyError.type === 'entity.too.large') {
      return sendProblem(req, res, new Problem({ status: 413, code: 'body_too_large', title: 'Payload too large', detail: { zh: '请求体过大', en: 'The request body is too large' } }));
    }
    if (isTemporalUnavailable(err)) return sendProblem(req, res, problems.temporalUnavailable());
    // The database restarting or unreachable: the pool reconnects by itself; the caller retries.
    if (isTransient(err)) return sendProblem(req, res, problems.databaseUnavailable());
    onUnexpected(err, req);
    sendProblem(req, res, new Problem({ status: 500, code: 'internal', title: 'Internal error', detail: { zh: '服务器内部错误', en: 'Internal server error' } }));
  };
}

/** gRPC UNAVAILABLE (14) or DEADLINE_EXCEEDED (4) from the Temporal client, or a refused connection. */
function isTemporalUnavailable(err: unknown): boolean {
  const e = err as { code?: unknown; cause?: { code?: unknown }; name?: string };
  const code = e?.code ?? e?.cause?.code;
  return code === 14 || code === 4 || e?.name === 'ServiceError' || e?.name === 'TransportError';
}
