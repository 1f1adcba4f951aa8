/**
 * Every error answers as application/problem+json (RFC 9457) with a stable
 * `code`, a Chinese `detail` by default and English on `Accept-Language: en`.
 * Nothing internal (stack, driver message) leaks into an answer.
 */
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { z } from 'zod';
import { isTransient } from '../services/faults';
import { fieldMessage, fieldPath, ROLE_NAMES } from '../domain/labels/zh';

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
  /** Headers the answer carries besides, e.g. WWW-Authenticate on a 401. */
  headers?: Record<string, string>;
}

export class Problem extends Error {
  constructor(readonly init: ProblemInit) {
    super(init.detail.en);
  }
}

/** One error per field, the first the schema found (a wrong type, rather than also its length). */
export function validationProblem(where: 'body' | 'query' | 'params' | 'headers', error: z.ZodError): Problem {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const field = [where, ...issue.path.map(String)].join('.');
    if (!byField.has(field)) byField.set(field, issue.message);
  }
  return fieldsProblem([...byField].map(([field, message]) => ({ field, message })));
}

/** At most this many field errors in one answer: an array of 50,000 wrong items gets a short answer, not megabytes. */
export const MAX_FIELD_ERRORS = 20;

/** 400 naming each field and what is wrong with it; also for checks a schema cannot make (a date after today, before delivery). */
export function fieldsProblem(all: FieldError[]): Problem {
  const errors = all.slice(0, MAX_FIELD_ERRORS).map((e) => ({ field: e.field.slice(0, 200), message: e.message.slice(0, 300) }));
  const more = all.length - errors.length;
  const listed = errors.map((e) => `${e.field} ${e.message}`).join('; ');
  // The Chinese names the field as the console does (调查组成员第 1 项的姓名), never its path.
  const listedZh = errors.map((e) => `${fieldPath(e.field)}：${fieldMessage(e.message)}`).join('；');
  return new Problem({
    status: 400,
    code: 'validation_failed',
    title: 'Invalid request',
    detail: {
      zh: `请求内容有误：${listedZh}${more > 0 ? `；另有 ${more} 处错误未列出` : ''}`,
      en: `The request is invalid: ${listed}${more > 0 ? `; and ${more} more errors not listed` : ''}`,
    },
    errors,
    ...(more > 0 ? { extensions: { moreErrors: more } } : {}),
  });
}

export const problems = {
  unauthenticated: (why: string, headers?: Record<string, string>) =>
    new Problem({ status: 401, code: 'unauthenticated', title: 'Unauthenticated', detail: { zh: `未认证：${why}`, en: `Not authenticated: ${why}` }, ...(headers ? { headers } : {}) }),
  forbidden: (roles: readonly string[]) =>
    new Problem({
      status: 403,
      code: 'forbidden',
      title: 'Forbidden',
      detail: { zh: `需要以下角色之一：${roles.map((r) => ROLE_NAMES[r] ?? r).join('、')}`, en: `Requires one of the roles: ${roles.join(', ')}` },
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

/** The problem document (RFC 9457) itself. */
export function problemDocument(problem: Problem, inEnglish: boolean): Record<string, unknown> {
  const { status, code, title, detail, errors, extensions } = problem.init;
  return {
    type: `https://rongcuo.example/problems/${code}`,
    title,
    status,
    detail: inEnglish ? detail.en : detail.zh,
    code,
    ...(errors ? { errors } : {}),
    ...extensions,
  };
}

export function sendProblem(req: Request, res: Parameters<RequestHandler>[1], problem: Problem): void {
  const { status, retryAfterSeconds, headers } = problem.init;
  if (retryAfterSeconds !== undefined) res.set('Retry-After', String(retryAfterSeconds));
  if (headers) res.set(headers);
  res.status(status).type('application/problem+json').json(problemDocument(problem, english(req)));
}

/**
 * A request Node's HTTP parser refuses before Express sees it (headers too large, a malformed
 * request line, a timeout): answered as a problem too, on the raw socket, then closed.
 */
export function clientErrorAnswer(err: { code?: string }): string {
  const [status, code, title, en, zh] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'Request header fields too large', 'The request line or headers are too large', '请求行或请求头过大']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'Request timeout', 'The request did not arrive in time', '请求未能及时送达']
        : [400, 'malformed_request', 'Malformed request', 'The request is not valid HTTP', '请求不是合法的 HTTP 请求'];
  const body = JSON.stringify(problemDocument(new Problem({ status, code, title, detail: { zh, en } }), false));
  return `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
}

export const notFoundHandler: RequestHandler = (req) => {
  throw problems.notFound(`${req.method} ${req.path}`);
};

/** What the request-reading parts of Express (body parser, router) report, by their error type, as problems. */
const REQUEST_ERRORS: Record<string, Omit<ProblemInit, 'status'>> = {
  'entity.parse.failed': { code: 'malformed_json', title: 'Malformed JSON', detail: { zh: '请求体不是合法的 JSON', en: 'The request body is not valid JSON' } },
  'entity.too.large': { code: 'body_too_large', title: 'Payload too large', detail: { zh: '请求体过大', en: 'The request body is too large' } },
  'charset.unsupported': { code: 'unsupported_charset', title: 'Unsupported charset', detail: { zh: '请求体须以 UTF-8 编码', en: 'The request body must be UTF-8' } },
  'encoding.unsupported': {
    code: 'unsupported_content_encoding',
    title: 'Unsupported content encoding',
    detail: { zh: '不支持该 Content-Encoding（可用 gzip、deflate、br 或不压缩）', en: 'Unsupported Content-Encoding (gzip, deflate, br or none)' },
  },
  'request.size.invalid': { code: 'malformed_request', title: 'Malformed request', detail: { zh: '请求体长度与 Content-Length 不符', en: 'The body does not match its Content-Length' } },
  'request.aborted': { code: 'malformed_request', title: 'Malformed request', detail: { zh: '请求体未完整送达', en: 'The request body was cut short' } },
};

/** An error Express's own parts raise about the request itself (4xx), as a problem; undefined for anything else. */
function requestProblem(err: unknown): Problem | undefined {
  const e = err as { type?: string; status?: number; statusCode?: number; expose?: boolean };
  if (err instanceof URIError) {
    return new Problem({ status: 400, code: 'malformed_path', title: 'Malformed path', detail: { zh: '路径含有无效的百分号编码', en: 'The path holds malformed percent-encoding' } });
  }
  const status = e?.status ?? e?.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return undefined;
  const known = e.type ? REQUEST_ERRORS[e.type] : undefined;
  if (known) return new Problem({ status, ...known });
  // A body that says it is compressed and is not (zlib's own error), or any other unreadable body.
  return new Problem({ status, code: 'malformed_body', title: 'Unreadable body', detail: { zh: '请求体无法读取（例如声明为 gzip 却并非 gzip）', en: 'The request body cannot be read (for example it claims gzip and is not)' } });
}

/** Turns every thrown thing into a problem; unknown errors become a bare 500 or 503. */
export function problemHandler(onUnexpected: (err: unknown, req: Request) => void): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      // Too late for a problem: the answer is under way. End it rather than hang.
      onUnexpected(err, req);
      res.end();
      return;
    }
    if (err instanceof Problem) return sendProblem(req, res, err);
    const request = requestProblem(err);
    if (request) return sendProblem(req, res, request);
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
