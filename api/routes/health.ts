import { createHash, timingSafeEqual } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Db } from '../../store/db';
import type { Metrics } from '../metrics';
import { problems } from '../problem';
import { route, type RouteSpec } from '../registry';

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

/** Compares in constant time, so the token cannot be guessed a character at a time. */
function sameToken(given: string, expected: string): boolean {
  const digest = (t: string) => createHash('sha256').update(t).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

export interface MetricsAccess {
  /** When set, /metrics answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string | undefined;
  /** Without a token, whether /metrics is open: only where the API listens on a loopback address. */
  metricsOpen?: boolean | undefined;
}

export function healthRoutes(deps: { client: Client; db: Db; metrics: Metrics } & MetricsAccess): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/healthz',
      operationId: 'health',
      summary: 'The process is up',
      tags: ['operations'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Up' } },
      handle: ({ res }) => res.json({ status: 'ok' }),
    }),
    route({
      method: 'get',
      path: '/readyz',
      operationId: 'ready',
      summary: 'Temporal and the archive database answer',
      tags: ['operations'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready' } },
      async handle({ res }) {
        const [temporal, database] = await Promise.all([
          check(() => deps.client.workflowService.getSystemInfo({})),
          check(() => deps.db.query('select 1')),
        ]);
        const ready = temporal === 'ok' && database === 'ok';
        res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', temporal, database });
      },
    }),
    route({
      method: 'get',
      path: '/metrics',
      operationId: 'metrics',
      summary: 'Prometheus metrics: request counts and latencies',
      description:
        'With METRICS_TOKEN set, only with `Authorization: Bearer <METRICS_TOKEN>` (not a user token). Without it, open only where the API listens on a loopback address (`npm start`); an API others can reach answers 401 until METRICS_TOKEN is set.',
      tags: ['operations'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' }, 401: { description: 'METRICS_TOKEN is set and the request does not carry it', schema: 'problem' } },
      async handle({ req, res }) {
        if (deps.metricsToken) {
          const given = /^Bearer +(\S+)$/i.exec(req.get('authorization') ?? '')?.[1];
          if (!given || !sameToken(given, deps.metricsToken)) throw problems.unauthenticated('/metrics needs METRICS_TOKEN');
        } else if (deps.metricsOpen === false) {
          throw problems.unauthenticated('/metrics is closed on an API others can reach until METRICS_TOKEN is set');
        }
        res.set('Cache-Control', 'no-store');
        res.type(deps.metrics.contentType).send(await deps.metrics.render());
      },
    }),
  ];
}
