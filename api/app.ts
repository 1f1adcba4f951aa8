/**
 * Builds the HTTP API from its route declarations; `server.ts` listens.
 * Tests drive the app directly.
 */
import type { Client } from '@temporalio/client';
import cors from 'cors';
import express, { type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { YearSchedule } from '../domain/calendar';
import type { RulebookParameters } from '../domain/rulebooks';
import type { Db } from '../store/db';
import type { TokenVerifier } from './auth';
import { createMetrics } from './metrics';
import { notFoundHandler, Problem, problemHandler, sendProblem } from './problem';
import { mountRoutes, type RouteSpec } from './registry';
import { calendarRoutes } from './routes/calendar';
import { caseRoutes } from './routes/cases';
import { docsAssets, docsRoutes } from './routes/docs';
import { inboxRoutes } from './routes/inbox';
import { documentRoutes } from './routes/documents';
import { healthRoutes } from './routes/health';
import { referenceRoutes } from './routes/reference';

export interface AppDeps {
  client: Client;
  db: Db;
  verifyToken: TokenVerifier;
  taskQueue: string;
  namespace: string;
  baseUrl: string;
  logger: Logger;
  /** The published holiday schedules; the package's unless a test narrows them. */
  publishedSchedules?: ReadonlyMap<number, YearSchedule> | undefined;
  corsOrigins?: string[];
  writesPerMinute?: number;
  /** The deploying body's periods where a regulation leaves them open (RULEBOOK_PARAMETERS). */
  rulebookParameters?: RulebookParameters | undefined;
}

const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['content-type'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    throw new Problem({
      status: 415,
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: { zh: '请求体须为 application/json', en: 'The request body must be application/json' },
    });
  }
  next();
};

/** Every route the app serves, in one list: mounted from it, documented from it. */
export function appRoutes(deps: AppDeps, metrics = createMetrics()): RouteSpec[] {
  const routes: RouteSpec[] = [
    ...healthRoutes({ ...deps, metrics }),
    ...caseRoutes(deps),
    ...documentRoutes({ ...deps, onIntegrityFailure: (id) => deps.logger.error({ documentId: id }, 'archived document does not match its SHA-256') }),
    ...calendarRoutes(deps),
    ...inboxRoutes(deps),
    ...referenceRoutes(),
  ];
  routes.push(...docsRoutes(() => routes));
  return routes;
}

export function createApp(deps: AppDeps): express.Express {
  const metrics = createMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
  if (deps.corsOrigins && deps.corsOrigins.length > 0) app.use(cors({ origin: deps.corsOrigins }));
  app.use(metrics.middleware);
  app.use(
    pinoHttp({
      logger: deps.logger,
      // One line per request with who and which case, never the token.
      customProps: (req, res) => ({ user: (req as express.Request).user?.sub, caseId: (res as express.Response).locals?.caseId }),
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  const writeLimiter = rateLimit({
    windowMs: 60_000,
    limit: deps.writesPerMinute ?? 120,
    keyGenerator: (req) => (req as express.Request).user?.sub ?? 'anonymous',
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) =>
      sendProblem(req, res, new Problem({ status: 429, code: 'rate_limited', title: 'Too many requests', detail: { zh: '写操作过于频繁，请稍后再试', en: 'Too many writes; try again shortly' } })),
  });

  app.use(docsAssets());
  mountRoutes(app, appRoutes(deps, metrics), { verifyToken: deps.verifyToken, writeLimiter, requireJson, bodyLimit: '100kb' });
  app.use(notFoundHandler);
  app.use(problemHandler((err, req) => deps.logger.error({ err, method: req.method, url: req.originalUrl }, 'unexpected error')));
  return app;
}
