/**
 * Serving one notice: into the recipient's inbox, and by each outside channel
 * that carries it. Activities run at least once; the rows of the archive make
 * the effect exactly once:
 * - every delivery has its own idempotency key, so a retry finds what an
 *   earlier attempt did;
 * - a try is claimed in the database before anything is sent, so a worker
 *   that dies between sending and recording leaves a claim, and the next
 *   attempt does not send a second e-mail (it tells the officer instead);
 * - a try heartbeats while it sends, so only a dead worker's try is taken
 *   over, never a slow one; and only the try holding the claim records the
 *   outcome (a slow try that finds itself given up, sent after all, says so);
 * - a channel that keeps failing is retried with the activity's backoff until
 *   the delivery's own tries reach `maxAttempts` (time the archive database
 *   was down counts no tries), then the responsible officer is told, and the
 *   case goes on.
 */
import { randomUUID } from 'node:crypto';
import type { NotifyRequest } from '../../domain/case/contract';
import { findCaseContacts, type CaseContacts } from '../../store/case-contacts';
import type { Queryable } from '../../store/db';
import { findStaffMember } from '../../store/staff-directory';
import {
  claimDelivery,
  deliverToInbox,
  ensureDelivery,
  reclaimDelivery,
  recordFailedTry,
  recordGivenUp,
  recordSent,
  type Delivery,
} from '../../store/notifications';
import type { Channel } from './channels';
import { heartbeating } from '../heartbeating';

const CHANNEL_NAMES = { email: '电子邮件', webhook: '业务系统接口' } as const;

export interface NoticeDeliveryDeps {
  db: Queryable;
  channels: readonly Channel[];
  maxAttempts: number;
  /** The case's authority when the case has no contacts row (cases opened before contacts were kept). */
  authorityOf(caseId: string): Promise<string | undefined>;
}

export interface AttemptInfo {
  /** 1 for the first try of the activity, 2 for its first retry, and so on. */
  number: number;
  /** Tells Temporal this attempt is alive, so a dead worker's attempt times out quickly. */
  heartbeat(): void;
}

export class DeliveryIncomplete extends Error {
  override name = 'DeliveryIncomplete';
}

/**
 * A user's own inbox, within its authority: the same account id at another authority is another
 * inbox, so no notice of a case can reach an account of another authority.
 */
export function userInboxKey(authority: string, sub: string): string {
  return `user:${authority}:${sub}`;
}

/** Where a party's notices wait while the party has no account bound to the case. */
export function partyInboxKey(caseId: string, party: string): string {
  return `party:${caseId}:${party}`;
}

/** Whose inbox a notice lands in. */
export function inboxKey(recipient: NotifyRequest['recipient'], caseId: string, contacts: CaseContacts | undefined): string {
  switch (recipient.kind) {
    case 'role':
      return `role:${recipient.authority}:${recipient.role}`;
    case 'body':
      return `body:${recipient.name}`;
    case 'party':
      if (recipient.party === 'subject' && contacts?.subjectUserId) return userInboxKey(contacts.authority, contacts.subjectUserId);
      if (recipient.party === 'subjectOrganisation' && contacts?.organisationUserId) return userInboxKey(contacts.authority, contacts.organisationUserId);
      return partyInboxKey(caseId, recipient.party);
    case 'staff':
      return userInboxKey(recipient.authority, recipient.sub);
  }
}

/** The inbox keys a user reads: its own, and its staff roles' at its authority (a party's account reads its own only). */
export function inboxKeysOf(user: { sub: string; roles: readonly string[]; authority: string }): string[] {
  return [userInboxKey(user.authority, user.sub), ...user.roles.filter((role) => role !== 'party').map((role) => `role:${user.authority}:${role}`)];
}

export async function deliverNotice(deps: NoticeDeliveryDeps, request: NotifyRequest, attempt: AttemptInfo): Promise<{ id: string; created: boolean }> {
  const contacts = await findCaseContacts(deps.db, request.caseId);
  const recipientKey = inboxKey(request.recipient, request.caseId, contacts);
  const inbox = await deliverToInbox(deps.db, {
    caseId: request.caseId,
    idempotencyKey: request.idempotencyKey,
    recipient: request.recipient,
    recipientKey,
    subject: request.subject,
    body: request.body,
    service: request.service,
  });

  const party = request.recipient.kind === 'party' ? request.recipient.party : undefined;
  // A member of staff told of its work: by e-mail where its token gave the directory an address.
  const staffEmail =
    request.recipient.kind === 'staff' && deps.channels.length > 0 ? ((await findStaffMember(deps.db, request.recipient.authority, request.recipient.sub))?.email ?? undefined) : undefined;
  const failures: string[] = [];
  for (const channel of deps.channels) {
    const address = channel.addressFor({ party, email: party ? contacts?.addresses[party]?.email : staffEmail });
    if (!address) continue;
    const delivery = await ensureDelivery(deps.db, {
      caseId: request.caseId,
      idempotencyKey: `${request.idempotencyKey}:${channel.name}`,
      recipient: request.recipient,
      recipientKey,
      channel: channel.name,
      address,
      subject: request.subject,
      body: request.body,
    });
    const failure = await tryOnce(deps, channel, delivery, attempt, request, contacts);
    if (failure) failures.push(`${channel.name}: ${failure}`);
  }
  if (failures.length > 0) throw new DeliveryIncomplete(`notice ${request.idempotencyKey} not yet delivered (${failures.join('; ')})`);
  return inbox;
}

/** One try of one delivery; answers the error when it should be tried again. */
async function tryOnce(
  deps: NoticeDeliveryDeps,
  channel: Channel,
  delivery: Delivery,
  attempt: AttemptInfo,
  request: NotifyRequest,
  contacts: CaseContacts | undefined,
): Promise<string | undefined> {
  if (delivery.status === 'sending') {
    // The try that claimed it stopped heartbeating: its worker died, maybe after sending.
    if (!channel.resendWhenUncertain) {
      const reason = '上次发送在记录结果前中断，无法确认是否已经送达；为免重复送达，系统不再自动重发';
      if (await recordGivenUp(deps.db, delivery.id, 'unconfirmed', 'interrupted between sending and recording')) {
        await escalate(deps, delivery, request, contacts, `${reason}。请向受送达人核实，必要时以其他方式送达，并登记送达情况。`);
      }
      return undefined;
    }
    await reclaimDelivery(deps.db, delivery.id);
  } else if (delivery.status !== 'pending') {
    return undefined;
  }
  const claim = randomUUID();
  const claimed = await claimDelivery(deps.db, delivery.id, claim);
  if (!claimed) return undefined;
  try {
    await heartbeating(() => attempt.heartbeat(), () =>
      channel.send({ deliveryId: delivery.idempotencyKey, caseId: delivery.caseId, address: delivery.address!, recipient: request.recipient, subject: delivery.subject, body: delivery.body }),
    );
  } catch (err) {
    const error = (err as Error).message;
    // Tries are counted per delivery, so time the archive database was down does not use them up.
    if (claimed.attempts >= deps.maxAttempts) {
      if (await recordGivenUp(deps.db, delivery.id, 'failed', error, claim)) {
        await escalate(deps, delivery, request, contacts, `经 ${claimed.attempts} 次尝试仍未送达（${error}）。请以其他方式送达，并登记送达情况。`);
      }
      return undefined;
    }
    await recordFailedTry(deps.db, delivery.id, claim, error);
    return error;
  }
  if ((await recordSent(deps.db, delivery.id, claim)) === 'confirmedLate') {
    // Another try had given this one up as unconfirmed and told the officer; it did go out.
    await escalate(deps, delivery, request, contacts, '此前因发送中断被标记为无法确认，现已确认发出，无需另行送达。', 'confirmed');
  }
  return undefined;
}

/** Tells the officer responsible for the case, in the inbox, which always works. */
async function escalate(deps: NoticeDeliveryDeps, delivery: Delivery, request: NotifyRequest, contacts: CaseContacts | undefined, what: string, kind: 'escalation' | 'confirmed' = 'escalation'): Promise<void> {
  const authority = contacts?.authority ?? (request.recipient.kind === 'role' ? request.recipient.authority : await deps.authorityOf(request.caseId));
  const recipient = contacts ? { kind: 'officer', sub: contacts.responsible.sub, name: contacts.responsible.name } : { kind: 'role', role: 'officer', authority };
  await deliverToInbox(deps.db, {
    caseId: delivery.caseId,
    idempotencyKey: `${delivery.idempotencyKey}:${kind}`,
    recipient,
    recipientKey: contacts ? userInboxKey(contacts.authority, contacts.responsible.sub) : `role:${authority ?? 'unknown'}:officer`,
    subject: kind === 'escalation' ? `【送达异常】${delivery.subject}` : `【已确认送达】${delivery.subject}`,
    body: `${delivery.caseId}：通过${CHANNEL_NAMES[delivery.channel as keyof typeof CHANNEL_NAMES]}向 ${delivery.address} 发送的通知“${delivery.subject}”${what}`,
  });
}
