/**
 * Builds the HTTP API from its route declarations; `server.ts` listens.
 * Tests drive the app directly.
 */
import type { Client } from '@temporalio/client';
import cors from 'cors';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { loadAuthorities, type Authorities } from '../config/authorities';
import type { YearSchedule } from '../domain/calendar';
import { consoleAssets } from './console-assets';
import { hostAllowList, allowedHostnames } from './allowed-hosts';
import { loggedUrl } from './logged-url';
import { perMinuteLimiter } from './rate-limits';
import type { RulebookParameters } from '../domain/rulebooks';
import type { Db } from '../store/db';
import { authFailureLimiter, type TokenVerifier } from './auth';
import { createMetrics } from './metrics';
import { notFoundHandler, Problem, problemHandler } from './problem';
import { mountRoutes, type RouteSpec } from './registry';
import type { MatterIndex } from '../services/cases/search-terms';
import { calendarRoutes } from './routes/calendar';
import { calendarFeedRoutes } from './routes/calendar-feed';
import { caseRoutes } from './routes/cases';
import { CODEC_PATH, codecCors, codecRoutes } from './routes/codec';
import { docsAssets, docsRoutes } from './routes/docs';
import { inboxRoutes } from './routes/inbox';
import { documentRoutes } from './routes/documents';
import { caseFileRoutes } from './routes/case-file';
import { DEFAULT_MATERIAL_LIMITS, materialRoutes, type MaterialLimits } from './routes/materials';
import type { PayloadKeyring } from '../services/codec/keys';
import { healthRoutes } from './routes/health';
import { referenceRoutes } from './routes/reference';
import { rulebookAdminRoutes } from './routes/rulebook-admin';
import { RulebookCatalogue } from '../services/rulebooks/catalogue';
import type { DryRunner } from '../services/rulebooks/dry-run';
import { signInRoutes, type SignInSettings } from './routes/sign-in';
import { AccessLog, type AccessLogSettings } from './access-log';
import { accessLogRoutes } from './routes/access-log';
import { ledgerRoutes } from './routes/ledger';
import { typicalCaseRoutes } from './routes/typical-cases';
import { noteRoutes } from './routes/notes';
import { partyRoutes } from './routes/party';
import { workRoutes } from './routes/work';
import { staffDirectoryRecorder } from './staff-directory';

export interface AppDeps {
  client: Client;
  db: Db;
  /** At most this many cases in one ledger export (api/routes/ledger.ts LEDGER_EXPORT_MAX_ROWS unless set). */
  ledgerExportMaxRows?: number | undefined;
  verifyToken: TokenVerifier;
  taskQueue: string;
  namespace: string;
  baseUrl: string;
  logger: Logger;
  /** The published holiday schedules; the package's unless a test narrows them. */
  publishedSchedules?: ReadonlyMap<number, YearSchedule> | undefined;
  corsOrigins?: string[];
  writesPerMinute?: number;
  /** Month views and .ics reads each user (a feed: each feed) may make per minute (default 60). */
  calendarReadsPerMinute?: number;
  /** Hashes the matter's search terms; its key comes from config (services/codec/keys.ts). */
  matterIndex: MatterIndex;
  /** The Temporal UI's origin: the only one the codec routes answer to from a browser. */
  temporalUiOrigin?: string | undefined;
  /** The codec decodes without a token (CODEC_AUTH=none, the embedded UI on loopback). */
  anonymousCodecDecode?: boolean | undefined;
  /** Failed tokens a client address may present per minute before they answer 429 (default 30). */
  authFailuresPerMinute?: number;
  /** Express's `trust proxy`: the proxies whose X-Forwarded-For names the client (TRUST_PROXY); none unless given. */
  trustProxy?: number | string[] | false | undefined;
  /** The host names requests may name (api/allowed-hosts.ts); unset: the base URL's and the loopback names. */
  allowedHosts?: string[] | undefined;
  /** When set, /metrics answers only this bearer token. */
  metricsToken?: string | undefined;
  /** Without a token, whether /metrics is open (default true; the server closes it unless it listens on loopback). */
  metricsOpen?: boolean | undefined;
  /** How long a step waits for the case before answering 202 with where to ask again. */
  stepWaitMs?: number;
  /** The configured authorities, and the jurisdictions each may open cases under (the embedded default unless given). */
  authorities?: Authorities;
  /** How the console signs people in; none unless given (the API itself takes any valid token). */
  signIn?: SignInSettings;
  /** Where the built console is; dist/console unless a test says otherwise. */
  consoleDir?: string;
  /** The deploying body's periods where a regulation leaves them open (RULEBOOK_PARAMETERS). */
  rulebookParameters?: RulebookParameters | undefined;
  /** The rulebook versions in force when (the shipped files and the approved); one over the archive unless given. */
  catalogue?: RulebookCatalogue;
  /** Runs rulebook dry runs (simulateRulebook); without, that route answers 503. */
  dryRuns?: DryRunner | undefined;
  /** What time it is for choosing the rulebook in force and dating approvals: the real clock unless a test runs on the time-skipping server's. */
  now?: (() => number) | undefined;
  /** The payload keys: materials and bound files are sealed with them at rest. Without them those routes answer 503. */
  payloadKeys?: PayloadKeyring | undefined;
  /** How large one material and one case's materials may be (MATERIAL_MAX_MB, CASE_MATERIALS_MAX_MB). */
  materialLimits?: MaterialLimits | undefined;
  /** The access log (ACCESS_LOG, ACCESS_LOG_WAIT_MS): on, waiting at most 2 s, unless given. */
  accessLog?: AccessLog | AccessLogSettings | undefined;
}

/** An app built without payload keys (a test that needs no files) keeps no files: those routes say so. */
const noKeys = () =>
  new Problem({ status: 503, code: 'no_payload_keys', title: 'No payload keys', detail: { zh: '未配置载荷密钥，无法存取案卷文件', en: 'No payload keys are configured: the case file cannot be stored or read' } });
const NO_KEYS: PayloadKeyring = {
  get current(): string {
    throw noKeys();
  },
  get keys(): PayloadKeyring['keys'] {
    throw noKeys();
  },
};

const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['content-type'] !== undefined || req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    throw new Problem({
      status: 415,
      code: 'unsupported_media_type',
      title: 'Unsupported media type',
      detail: { zh: '请求体须为 application/json', en: 'The request body must be application/json' },
    });
  }
  // JSON is UTF-8 (RFC 8259 §8.1); the body parser would also decode UTF-16 and others.
  const charset = hasBody ? /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1] : undefined;
  if (charset !== undefined && !/^utf-?8$/i.test(charset)) {
    throw new Problem({ status: 415, code: 'unsupported_charset', title: 'Unsupported charset', detail: { zh: '请求体须以 UTF-8 编码', en: 'The request body must be UTF-8' } });
  }
  next();
};

/**
 * The console and the docs page run no inline script (script-src 'self');
 * the console talks to this API and, signing in through OIDC, to the issuer.
 * No upgrade-insecure-requests: an intranet may serve plain HTTP, and the
 * upgrade would break every asset there.
 */
function contentSecurityPolicy(signIn: SignInSettings | undefined): Record<string, string[]> {
  const issuer = signIn?.kind === 'oidc' ? [new URL(signIn.issuer).origin] : [];
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    // Swagger UI sets style attributes; no stylesheet comes from elsewhere.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...issuer],
    'object-src': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
  };
}

/** Every route the app serves, in one list: mounted from it, documented from it. */
export function appRoutes(deps: AppDeps, metrics = createMetrics()): RouteSpec[] {
  const authorities = deps.authorities ?? loadAuthorities();
  const catalogue = deps.catalogue ?? new RulebookCatalogue(deps.db);
  const rulebookDeps = { db: deps.db, authorities, catalogue, now: deps.now };
  // A stored file that no longer matches its digests, whoever asked for it (staff or a party).
  const onIntegrityFailure = (documentId: string) => deps.logger.error({ documentId }, 'archived document does not match its recorded digests');
  const routes: RouteSpec[] = [
    ...healthRoutes({ ...deps, metrics }),
    ...caseRoutes({ ...deps, authorities, catalogue }),
    ...documentRoutes({ ...deps, onIntegrityFailure }),
    ...materialRoutes({
      ...deps,
      payloadKeys: deps.payloadKeys ?? NO_KEYS,
      limits: deps.materialLimits ?? DEFAULT_MATERIAL_LIMITS,
      onIntegrityFailure: (id) => deps.logger.error({ materialId: id }, 'stored material does not match its recorded digests'),
    }),
    ...caseFileRoutes({
      ...deps,
      payloadKeys: deps.payloadKeys ?? NO_KEYS,
      onIntegrityFailure: (caseId) => deps.logger.error({ caseId }, 'bound case file does not match its recorded digests'),
    }),
    ...calendarRoutes(deps),
    ...inboxRoutes(deps),
    ...calendarFeedRoutes(deps),
    ...referenceRoutes(rulebookDeps),
    ...rulebookAdminRoutes({ ...rulebookDeps, dryRuns: deps.dryRuns }),
    ...signInRoutes(deps.signIn ?? { kind: 'none' }, authorities),
    ...codecRoutes({ ...deps, anonymousDecode: deps.anonymousCodecDecode }),
    ...partyRoutes({ ...deps, authorities, onIntegrityFailure }),
    ...workRoutes(deps),
    ...noteRoutes(deps),
    ...accessLogRoutes(deps),
    ...ledgerRoutes({ ...deps, authorities }),
    ...typicalCaseRoutes(deps),
  ];
  routes.push(...docsRoutes(() => routes));
  return routes;
}

export function createApp(deps: AppDeps): express.Express {
  const metrics = createMetrics();
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  // The client address failed tokens and sign-ins are counted by: the socket's, unless TRUST_PROXY names the proxies in front.
  app.set('trust proxy', deps.trustProxy ?? false);
  // What a token guards is sent no-store (registry.ts), so a validator would never be used: no hash of each body.
  app.set('etag', false);
  // Before anything else answers: a request naming another host is a DNS-rebinding page's (421).
  app.use(hostAllowList(deps.allowedHosts ?? allowedHostnames(deps.baseUrl)));
  app.use(helmet({ contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(deps.signIn) } }));
  // The codec answers browsers of the Temporal UI only, whatever else CORS_ORIGINS allows.
  app.use(CODEC_PATH, codecCors(deps.temporalUiOrigin));
  if (deps.corsOrigins && deps.corsOrigins.length > 0) {
    const apiCors = cors({ origin: deps.corsOrigins });
    app.use((req, res, next) => (req.path.startsWith(`${CODEC_PATH}/`) ? next() : apiCors(req, res, next)));
  }
  app.use(metrics.middleware);
  app.use(
    pinoHttp({
      logger: deps.logger,
      // One line per request with who and which case, never the token.
      customProps: (req, res) => ({ user: (req as express.Request).user?.sub, caseId: (res as express.Response).locals?.caseId }),
      serializers: {
        // A feed's URL is its credential: the log keeps its path, not its token, however it was written.
        req: (req: { method: string; url: string }) => ({ method: req.method, url: loggedUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );

  // Per user; a write before sign-in (the development sign-in) per client address (api/rate-limits.ts).
  const writeLimiter = perMinuteLimiter({ limit: deps.writesPerMinute ?? 120, detail: { zh: '写操作过于频繁，请稍后再试', en: 'Too many writes; try again shortly' } });

  app.use(docsAssets());
  app.use(consoleAssets(deps.consoleDir));
  const routes = appRoutes(deps, metrics);
  const isCodec = (r: RouteSpec) => r.path.startsWith(`${CODEC_PATH}/`);
  // A rulebook file comes with its regulation's full text (services/rulebooks/checks.ts bounds both).
  const isUpload = (r: RouteSpec) => r.operationId === 'submitRulebook';
  const accessLog = deps.accessLog instanceof AccessLog ? deps.accessLog : new AccessLog(deps.db, deps.accessLog ?? { enabled: true, waitMs: 2_000 }, deps.logger);
  const mountOptions = {
    verifyToken: deps.verifyToken,
    writeLimiter,
    authFailures: authFailureLimiter(deps.authFailuresPerMinute ?? 30),
    requireJson,
    accessLog,
    signedIn: staffDirectoryRecorder(deps.db),
  };
  mountRoutes(app, routes.filter((r) => !isCodec(r) && !isUpload(r)), { ...mountOptions, bodyLimit: '100kb' });
  mountRoutes(app, routes.filter(isUpload), { ...mountOptions, bodyLimit: '3mb' });
  // The UI sends an event's payloads at once, and a case's state grows with its timeline.
  mountRoutes(app, routes.filter(isCodec), { ...mountOptions, bodyLimit: '8mb' });
  app.use(notFoundHandler);
  app.use(problemHandler((err, req) => deps.logger.error({ err, method: req.method, url: loggedUrl(req.originalUrl) }, 'unexpected error')));
  return app;
}
