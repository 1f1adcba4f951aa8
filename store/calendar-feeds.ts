/**
 * Personal calendar feeds (.ics): each user has at most one, named by a random
 * token that calendar programs put in the URL. Only the token's SHA-256 is
 * stored, so a copy of the database does not open anyone's feed; making a new
 * one replaces the old, and revoking deletes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db';

/** Whose feed it is: the feed shows the deadlines of the owner's authority as it was when the feed was made. */
export interface CalendarFeedOwner {
  subject: string;
  authority: string;
  createdAt: string;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new feed for the user, replacing any it had: the old URL stops working at once. */
export async function createCalendarFeed(db: Queryable, owner: { subject: string; authority: string }): Promise<{ token: string; createdAt: string }> {
  const token = randomBytes(32).toString('base64url');
  const rows = await db.query<{ created_at: Date | string }>(
    `insert into calendar_feeds (subject, token_sha256, authority, created_at) values ($1, $2, $3, now())
     on conflict (subject) do update set token_sha256 = excluded.token_sha256, authority = excluded.authority, created_at = now()
     returning created_at`,
    [owner.subject, hashOf(token), owner.authority],
  );
  return { token, createdAt: new Date(rows[0]!.created_at).toISOString() };
}

/** When the user's feed was made, if it has one (the token itself is never kept). */
export async function calendarFeedOf(db: Queryable, subject: string): Promise<{ createdAt: string } | undefined> {
  const rows = await db.query<{ created_at: Date | string }>('select created_at from calendar_feeds where subject = $1', [subject]);
  return rows[0] ? { createdAt: new Date(rows[0].created_at).toISOString() } : undefined;
}

export async function revokeCalendarFeed(db: Queryable, subject: string): Promise<boolean> {
  const rows = await db.query('delete from calendar_feeds where subject = $1 returning subject', [subject]);
  return rows.length > 0;
}

export async function calendarFeedOwner(db: Queryable, token: string): Promise<CalendarFeedOwner | undefined> {
  const rows = await db.query<{ subject: string; authority: string; created_at: Date | string }>(
    'select subject, authority, created_at from calendar_feeds where token_sha256 = $1',
    [hashOf(token)],
  );
  const row = rows[0];
  return row ? { subject: row.subject, authority: row.authority, createdAt: new Date(row.created_at).toISOString() } : undefined;
}
