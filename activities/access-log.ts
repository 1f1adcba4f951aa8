/** The access log's retention job (store/access-log.ts pruneAndRecord), as an activity of its schedule. */
import { Context } from '@temporalio/activity';
import { pruneAndRecord } from '../store/access-log';
import type { Db } from '../store/db';

export function accessLogActivities(db: Db) {
  return {
    async pruneAccessLog(request: { keepDays: number }): Promise<{ pruned: number; throughSeq: number | null }> {
      const result = await pruneAndRecord(db, request.keepDays, { operation: 'retainAccessLog' });
      Context.current().log.info('access log pruned', { keepDays: request.keepDays, ...result });
      return result;
    },
  };
}
