/**
 * Builds the HTTP API; `server.ts` listens. Tests drive the app directly.
 */
import type { Client } from '@temporalio/client';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { YearSchedule } from '../domain/calendar';
import type { Db } from '../store/db';
import { authenticate, type TokenVerifier } from './auth';
import { notFoundHandler, Problem, problemHandler } from './problem';
import { calendarRoutes } from './routes/calendar';
import { caseRoutes } from './routes/cases';
import { docsRoutes } from './routes/docs';
import { healthRoutes } from './routes/health';

export interface AppDeps {
  client: Client;
  db: Db;
  verifyToken: TokenVerifier;
  taskQueue: string;
  baseUrl: string;
  logger: Logger;
  /** The published holiday schedules; the package's unless a test narrows them. */
  publishedSchedules?: ReadonlyMap<number, YearSchedule>;
}

const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (['POST', 'PUT', 'PATCH'].includes(req.method) && req.headers['content-length'] !== '0' && !req.is('application/json')) {
    if (req.headers['content-type'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0) {
      throw new Problem({
        status: 415,
        code: 'unsupported_media_type',
        title: 'Unsupported media type',
        detail: { zh: '请求体须为 application/json', en: 'The request body must be application/json' },
      });
    }
  }
  next();
};

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use(helmet());
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

  app.use(healthRoutes(deps));
  app.use(docsRoutes());

  const v1 = express.Router();
  v1.use(authenticate(deps.verifyToken));
  v1.use(requireJsonBody);
  v1.use(express.json({ limit: '100kb' }));
  v1.use(caseRoutes(deps));
  v1.use(calendarRoutes(deps));
  app.use('/v1', v1);

  app.use(notFoundHandler);
  app.use(problemHandler((err, req) => deps.logger.error({ err, method: req.method, url: req.originalUrl }, 'unexpected error')));
  return app;
}
