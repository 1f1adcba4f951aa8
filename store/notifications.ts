/**
 * Notices to the parties and to officers: one row per notice and channel.
 * The idempotency key (case, step, recipient, and channel) is unique, which is
 * what makes a retried activity deliver nothing twice.
 */
import type { Queryable } from './db';

export type Channel = 'inbox' | 'email' | 'webhook';

/**
 * pending: not yet sent, or the last try failed and will be retried;
 * sending: claimed by an attempt that has not recorded the result (if that
 * worker died, nobody knows whether the message left);
 * sent / delivered: done; failed: gave up after the attempt limit;
 * unconfirmed: a crashed attempt may or may not have sent it, and resending
 * could send it twice; both of the last two are escalated to an officer.
 */
export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'delivered' | 'failed' | 'unconfirmed';

export interface NewNotification {
  caseId: string;
  idempotencyKey: string;
  recipient: unknown;
  /** Whose inbox it is in: user:<sub>, role:<authority>:<role>, body:<name> or party:<case>:<party>. */
  recipientKey: string;
  subject: string;
  body: string;
  /** The stage and party whose service on the conclusion an acknowledgement of this notice is. */
  service?: { stage: string; party: string } | undefined;
}

export interface Delivery {
  id: string;
  caseId: string;
  idempotencyKey: string;
  channel: Channel;
  address: string | null;
  status: DeliveryStatus;
  attempts: number;
  subject: string;
  body: string;
}

/** Puts a notice in the recipient's inbox once: a repeat with the same key changes nothing. */
export async function deliverToInbox(db: Queryable, n: NewNotification): Promise<{ id: string; created: boolean }> {
  const inserted = await db.query<{ id: string }>(
    `insert into notifications (case_id, idempotency_key, recipient, recipient_key, channel, subject, body, service, status, attempts, sent_at, delivered_at)
     values ($1, $2, $3, $4, 'inbox', $5, $6, $7, 'delivered', 1, now(), now())
     on conflict (idempotency_key) do nothing returning id`,
    [n.caseId, n.idempotencyKey, JSON.stringify(n.recipient), n.recipientKey, n.subject, n.body, n.service ? JSON.stringify(n.service) : null],
  );
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const existing = await db.query<{ id: string }>('select id from notifications where idempotency_key = $1', [n.idempotencyKey]);
  return { id: String(existing[0]?.id), created: false };
}

const DELIVERY_COLUMNS = `id, case_id as "caseId", idempotency_key as "idempotencyKey", channel, address, status, attempts, subject, body`;

/** The delivery of a notice by an outside channel, created pending on first sight and found again on every retry. */
export async function ensureDelivery(
  db: Queryable,
  d: Omit<NewNotification, 'recipientKey'> & { channel: Exclude<Channel, 'inbox'>; address: string; recipientKey: string },
): Promise<Delivery> {
  await db.query(
    `insert into notifications (case_id, idempotency_key, recipient, recipient_key, channel, address, subject, body, status)
     values ($1, $2, $3, $4, $5, $6, $7, $8, 'pending') on conflict (idempotency_key) do nothing`,
    [d.caseId, d.idempotencyKey, JSON.stringify(d.recipient), d.recipientKey, d.channel, d.address, d.subject, d.body],
  );
  const rows = await db.query<Delivery>(`select ${DELIVERY_COLUMNS} from notifications where idempotency_key = $1`, [d.idempotencyKey]);
  return rows[0]!;
}

/**
 * Claims a pending delivery for one try, recorded before anything is sent: if
 * the worker dies after sending, the next attempt finds the claim, not a
 * pending row. The claim names the try (`claim`), and only the try holding it
 * may record the outcome. Answers the delivery's tries so far, this one
 * included, or undefined when someone else holds or finished it.
 */
export async function claimDelivery(db: Queryable, id: string, claim: string): Promise<{ attempts: number } | undefined> {
  const rows = await db.query<{ attempts: number }>(
    `update notifications set status = 'sending', attempts = attempts + 1, claim = $2 where id = $1 and status = 'pending' returning attempts`,
    [id, claim],
  );
  return rows[0] ? { attempts: Number(rows[0].attempts) } : undefined;
}

/**
 * The try that held the claim sent it. A delivery another try had meanwhile given up as
 * unconfirmed (this worker was slow, not dead) is sent after all: answers 'confirmedLate' then.
 */
export async function recordSent(db: Queryable, id: string, claim: string): Promise<'sent' | 'confirmedLate' | 'notHeld'> {
  const rows = await db.query<{ was: string }>(
    `with before as (select status from notifications where id = $1 and claim = $2 and status in ('sending', 'unconfirmed') for update)
     update notifications set status = 'sent', sent_at = now(), last_error = null
     where id = $1 and claim = $2 and status in ('sending', 'unconfirmed') returning (select status from before) as was`,
    [id, claim],
  );
  if (!rows[0]) return 'notHeld';
  return rows[0].was === 'unconfirmed' ? 'confirmedLate' : 'sent';
}

/** The try failed before anything left: the delivery is pending again, for the next attempt. */
export async function recordFailedTry(db: Queryable, id: string, claim: string, error: string): Promise<void> {
  await db.query(`update notifications set status = 'pending', last_error = $3 where id = $1 and claim = $2 and status = 'sending'`, [id, claim, error]);
}

/** A crashed try left a claim: resend (a channel whose receiver drops duplicates) or give it to an officer. */
export async function reclaimDelivery(db: Queryable, id: string): Promise<void> {
  await db.query(`update notifications set status = 'pending' where id = $1 and status = 'sending'`, [id]);
}

/**
 * Stops trying; the returned flag says whether this call made the change (so the officer is told
 * once). `claim`: the try that holds the delivery gives up ('failed'); without it, a later try
 * gives up on a claim a crashed one left ('unconfirmed').
 */
export async function recordGivenUp(db: Queryable, id: string, status: 'failed' | 'unconfirmed', error: string, claim?: string): Promise<boolean> {
  const rows = claim
    ? await db.query<{ id: string }>(
        `update notifications set status = $2, last_error = $3, escalated_at = now() where id = $1 and claim = $4 and status = 'sending' returning id`,
        [id, status, error, claim],
      )
    : await db.query<{ id: string }>(
        `update notifications set status = $2, last_error = $3, escalated_at = now() where id = $1 and status in ('pending', 'sending') returning id`,
        [id, status, error],
      );
  return rows.length === 1;
}

export async function notificationsForCase(db: Queryable, caseId: string) {
  return db.query<{ idempotency_key: string; recipient: unknown; channel: Channel; subject: string; body: string; status: DeliveryStatus; attempts: number; service: unknown }>(
    'select idempotency_key, recipient, channel, subject, body, status, attempts, service from notifications where case_id = $1 order by created_at, idempotency_key',
    [caseId],
  );
}

export interface InboxNotice {
  id: string;
  caseId: string;
  subject: string;
  body: string;
  deliveredAt: string;
  servedOn: string | null;
  servedAt: string | null;
  /** When acknowledging this notice is service of the conclusion on a party of the case. */
  service: { stage: string; party: string } | null;
}

const INBOX_COLUMNS = `id, case_id as "caseId", subject, body, delivered_at as "deliveredAt", to_char(served_on, 'YYYY-MM-DD') as "servedOn", served_at as "servedAt", service`;

function isoTimes<T extends { deliveredAt: unknown; servedAt: unknown }>(row: T): T {
  return { ...row, deliveredAt: new Date(row.deliveredAt as string).toISOString(), servedAt: row.servedAt ? new Date(row.servedAt as string).toISOString() : null };
}

/** The notices in the inboxes of `keys` (a user's own and those of its roles), newest first. */
export async function inbox(db: Queryable, keys: string[], page: { limit: number; unservedOnly: boolean }): Promise<InboxNotice[]> {
  const rows = await db.query<InboxNotice>(
    `select ${INBOX_COLUMNS} from notifications
     where channel = 'inbox' and recipient_key = any($1::text[]) and ($2::boolean = false or served_on is null)
     order by created_at desc, id limit $3`,
    [keys, page.unservedOnly, page.limit],
  );
  return rows.map(isoTimes);
}

/**
 * The recipient acknowledges service on `servedOn`. The first acknowledgement
 * stands: a repeat answers the date already recorded.
 */
export async function markServed(db: Queryable, id: string, keys: string[], servedOn: string, servedBy: string): Promise<InboxNotice | undefined> {
  await db.query(
    `update notifications set served_on = $3::date, served_at = now(), served_by = $4
     where id = $1 and channel = 'inbox' and recipient_key = any($2::text[]) and served_on is null`,
    [id, keys, servedOn, servedBy],
  );
  return inboxNotice(db, id, keys);
}

/** One notice, if it is in the inboxes of `keys`. */
export async function inboxNotice(db: Queryable, id: string, keys: string[]): Promise<InboxNotice | undefined> {
  const rows = await db.query<InboxNotice>(`select ${INBOX_COLUMNS} from notifications where id = $1 and channel = 'inbox' and recipient_key = any($2::text[])`, [id, keys]);
  return rows[0] && isoTimes(rows[0]);
}
