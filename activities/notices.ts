/** Serving notices: inbox, e-mail and webhook, exactly once in effect (services/notices/deliver.ts). */
import { Context } from '@temporalio/activity';
import type { Client } from '@temporalio/client';
import { searchAttributes, type NotifyRequest } from '../domain/case/contract';
import type { Channel } from '../services/notices/channels';
import { deliverNotice } from '../services/notices/deliver';
import type { Db } from '../store/db';

export interface NoticeSettings {
  channels: readonly Channel[];
  maxAttempts: number;
}

export const INBOX_ONLY: NoticeSettings = { channels: [], maxAttempts: 6 };

export function noticeActivities(db: Db, client: Client, settings: NoticeSettings = INBOX_ONLY) {
  return {
    async notify(request: NotifyRequest): Promise<{ id: string; created: boolean }> {
      const context = Context.current();
      const inbox = await deliverNotice(
        {
          db,
          channels: settings.channels,
          maxAttempts: settings.maxAttempts,
          // The authority is a search attribute of every case, set when it opened.
          authorityOf: async (caseId) => (await client.workflow.getHandle(caseId).describe()).typedSearchAttributes.get(searchAttributes.authority),
        },
        request,
        { number: context.info.attempt, heartbeat: () => context.heartbeat() },
      );
      // The embedded default has no other channel: the log shows each notice once, without addresses.
      if (inbox.created) context.log.info('notice delivered', { caseId: request.caseId, notice: request.idempotencyKey, subject: request.subject, channels: ['inbox', ...settings.channels.map((c) => c.name)] });
      return inbox;
    },
  };
}
