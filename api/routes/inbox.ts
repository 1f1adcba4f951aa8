/**
 * Each recipient's own inbox of notices, and its acknowledgement of service
 * (送达回证): the date a party was served is the date its window counts from.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError, type Client } from '@temporalio/client';
import { z } from 'zod';
import { acknowledgeServiceUpdate } from '../../domain/case/contract';
import type { Recipient } from '../../domain/rulebooks/schema';
import { beijingDate, compareDates } from '../../domain/calendar';
import { inboxKeysOf } from '../../services/notices/deliver';
import type { Db } from '../../store/db';
import { inbox, inboxNotice, markServed } from '../../store/notifications';
import { INBOX_ROLES } from '../roles';
import { fieldsProblem, Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';
import { isoDateSchema, wholeNumber } from '../schemas';

/** How long acknowledging waits for the case to take the service before answering without it. */
const ACKNOWLEDGE_WAIT_MS = 15_000;

const noticeIdParams = z.object({ id: z.uuid('is not a notice id') });

export const inboxQuery = z.object({
  unserved: z.enum(['true', 'false'], { error: 'must be true or false' }).optional(),
  limit: wholeNumber(1, 200).default(50),
});

export const markServedBody = z
  .object({
    /** The day the recipient received the notice; today (Beijing) if omitted. */
    servedOn: isoDateSchema.optional(),
  })
  .strict();

/**
 * Tells the case that the party was served; the case decides whether that
 * completes the service of its conclusion. A case that cannot take it (served
 * already on another date, closed, or removed) leaves the receipt recorded here.
 */
async function acknowledgeInCase(
  client: Client,
  notice: { id: string; caseId: string; servedOn: string; service: { party: string } },
  actor: { sub: string; name: string },
): Promise<{ taken: true } | { taken: false; reason: string }> {
  try {
    // One update per notice: a retried acknowledgement reaches the same update, applied once.
    await client.connection.withDeadline(Date.now() + ACKNOWLEDGE_WAIT_MS, () =>
      client.workflow.getHandle(notice.caseId).executeUpdate(acknowledgeServiceUpdate, {
        args: [{ party: notice.service.party as Recipient, servedOn: notice.servedOn, notificationId: notice.id, actor }],
        updateId: `served-${notice.id}`,
      }),
    );
    return { taken: true };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) return { taken: false, reason: (err.cause as Error | undefined)?.message ?? err.message };
    if (err instanceof WorkflowNotFoundError) return { taken: false, reason: '案件已结束' };
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return { taken: false, reason: '案件暂未应答；签收已登记，以同一日期再次签收即可' };
    throw err;
  }
}

export function inboxRoutes(deps: { db: Db; client: Client }): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/inbox',
      operationId: 'listInbox',
      summary: 'The notices addressed to the caller, or to one of its roles at its authority, newest first (a party: its own)',
      tags: ['notices'],
      access: { kind: 'roles', roles: [...INBOX_ROLES] },
      query: inboxQuery,
      responses: { 200: { description: 'The caller’s notices' }, 400: { description: 'Invalid filter', schema: 'problem' } },
      async handle({ query, user, res }) {
        const notices = await inbox(deps.db, inboxKeysOf(user), { limit: query.limit, unservedOnly: query.unserved === 'true' });
        res.json({ notices });
      },
    }),
    route({
      method: 'post',
      path: '/v1/inbox/{id}/served',
      operationId: 'markNoticeServed',
      summary: 'The recipient acknowledges that it was served with the notice, on a date (today if none); for the conclusion of a case, that date is its service',
      description: 'The first acknowledgement stands: a repeat with the same date answers it again; another date answers 409. When the notice serves the conclusion of a case, the case is told, and once every recipient is served, the party windows (the appeal) count from the latest service date; `caseService` says whether the case took it.',
      tags: ['notices'],
      access: { kind: 'roles', roles: [...INBOX_ROLES] },
      write: true,
      params: noticeIdParams,
      body: markServedBody,
      responses: {
        200: { description: 'The notice with its served date' },
        400: { description: 'Invalid date', schema: 'problem' },
        404: { description: 'No such notice in the caller’s inbox', schema: 'problem' },
        409: { description: 'Already acknowledged on another date', schema: 'problem' },
      },
      async handle({ params, body, user, res }) {
        const today = beijingDate(Date.now());
        const servedOn = body.servedOn ?? today;
        if (compareDates(servedOn, today) > 0) throw fieldsProblem([{ field: 'body.servedOn', message: `must not be after today (${today})` }]);
        const keys = inboxKeysOf(user);
        const before = await inboxNotice(deps.db, params.id, keys);
        if (!before) throw problems.notFound(`notice ${params.id}`);
        const delivered = beijingDate(Date.parse(before.deliveredAt));
        if (compareDates(servedOn, delivered) < 0) throw fieldsProblem([{ field: 'body.servedOn', message: `must not be before the notice was delivered (${delivered})` }]);
        const notice = await markServed(deps.db, params.id, keys, servedOn, user.sub);
        if (!notice) throw problems.notFound(`notice ${params.id}`);
        if (notice.servedOn !== servedOn) {
          throw new Problem({
            status: 409,
            code: 'already_served',
            title: 'Already served',
            detail: { zh: `该通知已于 ${notice.servedOn} 签收`, en: `This notice was already acknowledged as served on ${notice.servedOn}` },
          });
        }
        const caseService = notice.service ? await acknowledgeInCase(deps.client, { ...notice, servedOn: notice.servedOn!, service: notice.service }, { sub: user.sub, name: user.name }) : undefined;
        res.json({ ...notice, ...(caseService ? { caseService } : {}) });
      },
    }),
  ];
}
