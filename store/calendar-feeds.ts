/**
 * Personal calendar feeds (.ics): each user of an authority has at most one,
 * named by a random token that calendar programs put in the URL. Only the
 * token's SHA-256 is stored, so a copy of the database does not open anyone's
 * feed; making a new one replaces the old, revoking deletes it, and a feed
 * expires FEED_LIFETIME_DAYS after it was made or last renewed (renewing keeps
 * its URL). A feed is its owner's at one authority: the same account id at
 * another authority is another user, who neither sees nor revokes it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from './db';

/** How long a feed's URL works without its owner renewing it: about half a year. */
export const FEED_LIFETIME_DAYS = 180;

/** Whose feed it is: a user of an authority, with the name its token carried (recusal goes by name where no account is recorded). */
export interface FeedOwner {
  authority: string;
  subject: string;
  name: string;
}

export interface FeedDates {
  createdAt: string;
  expiresAt: string;
}

const hashOf = (token: string) => createHash('sha256').update(token).digest('hex');
const iso = (v: Date | string) => new Date(v).toISOString();
const LIFETIME = `${FEED_LIFETIME_DAYS} days`;

/** A new feed for the user, replacing any it had: the old URL stops working at once. */
export async function createCalendarFeed(db: Queryable, owner: FeedOwner): Promise<{ token: string } & FeedDates> {
  const token = randomBytes(32).toString('base64url');
  const rows = await db.query<{ created_at: Date | string; expires_at: Date | string }>(
    `insert into calendar_feeds (authority, subject, name, token_sha256, created_at, expires_at) values ($1, $2, $3, $4, now(), now() + $5::interval)
     on conflict (authority, subject) do update set name = excluded.name, token_sha256 = excluded.token_sha256, created_at = excluded.created_at, expires_at = excluded.expires_at
     returning created_at, expires_at`,
    [owner.authority, owner.subject, owner.name, hashOf(token), LIFETIME],
  );
  return { token, createdAt: iso(rows[0]!.created_at), expiresAt: iso(rows[0]!.expires_at) };
}

/** When the user's feed was made and when it expires, if it has one (the token itself is never kept). */
export async function calendarFeedOf(db: Queryable, owner: Omit<FeedOwner, 'name'>): Promise<FeedDates | undefined> {
  const rows = await db.query<{ created_at: Date | string; expires_at: Date | string }>('select created_at, expires_at from calendar_feeds where authority = $1 and subject = $2', [
    owner.authority,
    owner.subject,
  ]);
  return rows[0] ? { createdAt: iso(rows[0].created_at), expiresAt: iso(rows[0].expires_at) } : undefined;
}

/** Another FEED_LIFETIME_DAYS from now for the user's feed, expired or not, under the same URL; undefined when it has none. */
export async function renewCalendarFeed(db: Queryable, owner: FeedOwner): Promise<FeedDates | undefined> {
  const rows = await db.query<{ created_at: Date | string; expires_at: Date | string }>(
    `update calendar_feeds set expires_at = now() + $4::interval, name = $3 where authority = $1 and subject = $2 returning created_at, expires_at`,
    [owner.authority, owner.subject, owner.name, LIFETIME],
  );
  return rows[0] ? { createdAt: iso(rows[0].created_at), expiresAt: iso(rows[0].expires_at) } : undefined;
}

export async function revokeCalendarFeed(db: Queryable, owner: Omit<FeedOwner, 'name'>): Promise<boolean> {
  const rows = await db.query('delete from calendar_feeds where authority = $1 and subject = $2 returning subject', [owner.authority, owner.subject]);
  return rows.length > 0;
}

/** The owner of the feed this token opens, and whether it has expired. */
export async function calendarFeedOwner(db: Queryable, token: string): Promise<(FeedOwner & FeedDates & { expired: boolean }) | undefined> {
  const rows = await db.query<{ authority: string; subject: string; name: string; created_at: Date | string; expires_at: Date | string; expired: boolean }>(
    'select authority, subject, name, created_at, expires_at, expires_at <= now() as expired from calendar_feeds where token_sha256 = $1',
    [hashOf(token)],
  );
  const row = rows[0];
  return row && { authority: row.authority, subject: row.subject, name: row.name, createdAt: iso(row.created_at), expiresAt: iso(row.expires_at), expired: row.expired };
}
