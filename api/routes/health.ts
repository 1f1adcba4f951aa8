import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { Db } from '../../store/db';

export function healthRoutes(deps: { client: Client; db: Db }): Router {
  const router = Router();

  /** The process is up. */
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  /** Temporal and the archive database both answer. */
  router.get('/readyz', async (_req, res) => {
    const check = async (probe: () => Promise<unknown>) => {
      try {
        await Promise.race([probe(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 3000))]);
        return 'ok';
      } catch {
        return 'unavailable';
      }
    };
    const [temporal, database] = await Promise.all([
      check(() => deps.client.workflowService.getSystemInfo({})),
      check(() => deps.db.query('select 1')),
    ]);
    const ready = temporal === 'ok' && database === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', temporal, database });
  });

  return router;
}
