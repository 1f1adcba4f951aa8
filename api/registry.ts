/**
 * Every route of the API is declared once, as data: method, path, who may
 * call it, the zod schemas of its parameters, query and body, and its
 * answers. The app mounts the routes from these declarations and the
 * OpenAPI document is generated from the same ones, so the contract cannot
 * drift from the code and no route goes undocumented.
 */
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { z } from 'zod';
import { auditAnswers, type AccessLog, type AuditDeclaration } from './access-log';
import { authenticate, currentUser, requireRole, type AuthFailures, type Role, type TokenVerifier, type User } from './auth';
import { readMultipart, type MultipartSpec, type UploadedFile } from './multipart';
import { validationProblem } from './problem';
import { parse } from './validate';

export type Access =
  | { kind: 'public' }
  /** Any signed-in user; the handler may check more (a case's rulebook says who takes each step). */
  | { kind: 'signedIn' }
  | { kind: 'roles'; roles: Role[] };

export interface ResponseSpec {
  description: string;
  /** A zod schema, or a JSON schema object, of the JSON answer; `problem` for RFC 9457 problems. */
  schema?: z.ZodType | Record<string, unknown> | 'problem';
  /** The media type of the answer, or those it is negotiated between (Accept). */
  contentType?: string | string[];
}

export interface HandlerContext<P, Q, B> {
  req: Request;
  res: Response;
  params: P;
  query: Q;
  body: B;
  /** The caller; present on every route that is not public. */
  user: User;
  /** The uploaded file of a multipart route (`multipart`), once its fields passed `body`. */
  file?: UploadedFile | undefined;
}

export interface RouteSpec<P = unknown, Q = unknown, B = unknown> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** OpenAPI style, e.g. `/v1/cases/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  access: Access;
  /** Writes are rate limited per user. */
  write?: boolean;
  /** A rate limit of the route's own (calendar reads), after the caller is known. */
  limiter?: RequestHandler;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /**
   * The body is multipart/form-data (an upload): its text fields are validated by `body`, and its one
   * file part is handed to the handler as `file`. Read after `authorize`, within the limits given.
   */
  multipart?: MultipartSpec & { description: string };
  headers?: { name: string; description: string }[];
  responses: Record<number, ResponseSpec>;
  /**
   * Every answer of the route is written to the access log before it is sent (api/access-log.ts),
   * as HMCTS's @LogAudit declares a case read: one declaration per route, no logging in handlers.
   */
  audit?: AuditDeclaration;
  /**
   * Checks that need the path (the case exists for this caller, the caller's
   * role may take the step) run before the body is validated, so a caller who
   * may not act learns nothing from validation errors.
   */
  authorize?(ctx: Omit<HandlerContext<P, Q, B>, 'body'>): Promise<void>;
  handle(ctx: HandlerContext<P, Q, B>): unknown;
}

// Declared with its own types, stored with the others.
export function route<P, Q, B>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

export function expressPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

export interface MountOptions {
  verifyToken: TokenVerifier;
  writeLimiter: RequestHandler;
  /** Counts failed tokens per client address; over the limit they answer 429 (a valid token is always served). */
  authFailures: AuthFailures;
  requireJson: RequestHandler;
  bodyLimit: string;
  /** Where the routes that declare `audit` log their answers; none: nothing is logged (tests of other parts). */
  accessLog?: AccessLog | undefined;
  /** Runs once the caller is known, before anything else the route does (the staff directory). */
  signedIn?: RequestHandler | undefined;
}

export function mountRoutes(router: Pick<Router, 'get' | 'post' | 'put' | 'delete'>, specs: RouteSpec[], options: MountOptions): void {
  const json = express.json({ limit: options.bodyLimit });
  const auth = authenticate(options.verifyToken, options.authFailures);
  for (const spec of specs) {
    const chain: RequestHandler[] = [
      (_req, res, next) => {
        res.locals.route = spec.path;
        next();
      },
    ];
    if (spec.access.kind !== 'public') {
      chain.push((_req, res, next) => {
        // Everything behind a token is someone's case data or close to it: no cache keeps a copy.
        res.set('Cache-Control', 'no-store');
        next();
      });
      chain.push(auth);
      if (options.signedIn) chain.push(options.signedIn);
    }
    // Before the role check: a refusal is an answer like any other, and is logged.
    if (spec.audit && options.accessLog) chain.push(auditAnswers(options.accessLog, { path: spec.path, operationId: spec.operationId, audit: spec.audit }));
    if (spec.access.kind === 'roles') chain.push(requireRole(...spec.access.roles));
    if (spec.write) chain.push(options.writeLimiter);
    if (spec.limiter) chain.push(spec.limiter);
    if (spec.body && !spec.multipart) chain.push(options.requireJson, json);
    chain.push(async (req, res) => {
      const params = spec.params ? parse(spec.params, req, 'params') : req.params;
      const query = spec.query ? parse(spec.query, req, 'query') : req.query;
      const user = spec.access.kind === 'public' ? (undefined as unknown as User) : currentUser(req);
      await spec.authorize?.({ req, res, params, query, user });
      if (spec.multipart) {
        const { fields, file } = await readMultipart(req, spec.multipart);
        const parsed = spec.body ? spec.body.safeParse(fields) : { success: true as const, data: fields };
        if (!parsed.success) throw validationProblem('body', parsed.error);
        await spec.handle({ req, res, params, query, body: parsed.data, user, file });
        return;
      }
      const body = spec.body ? parse(spec.body, req, 'body') : undefined;
      await spec.handle({ req, res, params, query, body, user });
    });
    router[spec.method](expressPath(spec.path), ...chain);
  }
}
