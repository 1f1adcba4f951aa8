import type { Client } from '@temporalio/client';
import type { Db } from '../../store/db';
import type { Metrics } from '../metrics';
import { route, type RouteSpec } from '../registry';

async function check(probe: () => Promise<unknown>): Promise<'ok' | 'unavailable'> {
  try {
    await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

export function healthRoutes(deps: { client: Client; db: Db; metrics: Metrics }): RouteSpec[] {
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
      tags: ['operations'],
      access: { kind: 'public' },
      responses: { 200: { description: 'Prometheus text format', contentType: 'text/plain' } },
      async handle({ res }) {
        res.type(deps.metrics.contentType).send(await deps.metrics.render());
      },
    }),
  ];
}
