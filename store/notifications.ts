import type { Queryable } from './db';

export interface NewNotification {
  caseId: string;
  idempotencyKey: string;
  recipient: unknown;
  channel: 'inbox';
  subject: string;
  body: string;
}

/** Puts a notice in the recipient's inbox once: a repeat with the same key changes nothing. */
export async function deliverToInbox(db: Queryable, n: NewNotification): Promise<{ id: string; created: boolean }> {
  const inserted = await db.query<{ id: string }>(
    `insert into notifications (case_id, idempotency_key, recipient, channel, subject, body, status, attempts, sent_at, delivered_at)
     values ($1, $2, $3, $4, $5, $6, 'delivered', 1, now(), now())
     on conflict (idempotency_key) do nothing returning id`,
    [n.caseId, n.idempotencyKey, JSON.stringify(n.recipient), n.channel, n.subject, n.body],
  );
  if (inserted[0]) return { id: inserted[0].id, created: true };
  const existing = await db.query<{ id: string }>('select id from notifications where idempotency_key = $1', [n.idempotencyKey]);
  return { id: String(existing[0]?.id), created: false };
}

export async function notificationsForCase(db: Queryable, caseId: string) {
  return db.query<{ idempotency_key: string; recipient: unknown; subject: string; body: string; status: string }>(
    'select idempotency_key, recipient, subject, body, status from notifications where case_id = $1 order by created_at',
    [caseId],
  );
}
