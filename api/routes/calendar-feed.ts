/**
 * The caller's deadlines on a calendar: a month view's worth as JSON, and a
 * personal iCalendar feed (RFC 5545) that calendar programs subscribe to. A
 * calendar program sends no Authorization header, so the feed's URL carries a
 * random token of its own, which its owner can replace, renew or revoke at any
 * time, and which expires unless renewed. Both read the read model (never every
 * running case), are bounded and rate limited, and leave out the cases the
 * viewer is recused from. The feed names cases by id and deadlines by label
 * and article, never a person.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { addDays, beijingDate, compareDates } from '../../domain/calendar';
import { calendarFeedOf, calendarFeedOwner, createCalendarFeed, FEED_LIFETIME_DAYS, renewCalendarFeed, revokeCalendarFeed } from '../../store/calendar-feeds';
import type { Db } from '../../store/db';
import { ROLES } from '../auth';
import { fieldsProblem, Problem, problems } from '../problem';
import { perMinuteLimiter } from '../rate-limits';
import { route, type RouteSpec } from '../registry';
import { icsCalendar } from '../ics';
import { isoDateSchema } from '../schemas';
import { MAX_DEADLINES, upcomingDeadlines, type UpcomingDeadline } from '../upcoming-deadlines';

export interface CalendarFeedDeps {
  db: Db;
  baseUrl: string;
  /** Month views and feed reads each caller (a feed: each feed) may make per minute (default 60). */
  calendarReadsPerMinute?: number | undefined;
}

const deadlinesQuery = z.object({ from: isoDateSchema, to: isoDateSchema });
const feedParams = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'is not a feed token') });
/** How far a feed reaches: the last month (for what is overdue) and the year ahead. */
const FEED_PAST_DAYS = 31;
const FEED_AHEAD_DAYS = 366;
const MAX_RANGE_DAYS = 400;

const feedPath = (token: string) => `/v1/calendar/feeds/${token}.ics`;
const BINDS = { authority: '机关期限', party: '当事人期限', recording: '登记期（逾期前送达的申请仍可登记）' } as const;

function icsOf(deadlines: UpcomingDeadline[], baseUrl: string): string {
  return icsCalendar({
    name: '容错免责 办案期限',
    prodId: '-//rongcuo//console//ZH',
    ttlSeconds: 3600,
    events: deadlines.map((d) => {
      const flags = [d.overdue ? '已逾期' : '', d.provisional ? '暂定（该年放假安排未公布）' : ''].filter(Boolean).join('，');
      return {
        uid: `${d.caseId}.${d.key}@rongcuo`,
        // The last day itself, as a date: the same day whatever time zone the reader is in.
        day: d.deadline,
        summary: `${d.label}期限届满（${d.caseId}）`,
        description: `${BINDS[d.binds]}：${d.label}，最后一日 ${d.deadline}${flags ? `（${flags}）` : ''}。\n依据：${d.basis.article}“${d.basis.quote}”`,
        url: `${baseUrl}/#/cases/${d.caseId}`,
      };
    }),
  });
}

const feedExpired = () =>
  new Problem({
    status: 410,
    code: 'calendar_feed_expired',
    title: 'Calendar feed expired',
    detail: {
      zh: `该日历订阅已过期（有效期 ${FEED_LIFETIME_DAYS} 天）：请在工作台“日历”页续期，地址不变`,
      en: `This calendar feed has expired (it lasts ${FEED_LIFETIME_DAYS} days): renew it on the console's calendar page; its address stays the same`,
    },
  });

export function calendarFeedRoutes(deps: CalendarFeedDeps): RouteSpec[] {
  const limit = deps.calendarReadsPerMinute ?? 60;
  const detail = { zh: '日历读取过于频繁，请稍后再试', en: 'Too many calendar reads; try again shortly' };
  const readLimiter = perMinuteLimiter({ limit, detail });
  // A feed by its token (hashed: the limiter's memory holds no credential), whoever polls it.
  const feedLimiter = perMinuteLimiter({ limit, detail, key: (req) => `feed:${createHash('sha256').update(String(req.params.token)).digest('hex').slice(0, 32)}` });
  const owner = (user: { authority: string; sub: string; name: string }) => ({ authority: user.authority, subject: user.sub, name: user.name });
  return [
    route({
      method: 'get',
      path: '/v1/calendar/deadlines',
      operationId: 'listUpcomingDeadlines',
      summary: 'The pending deadlines of the caller’s authority’s running cases whose last day lies between two days (a month view)',
      tags: ['calendar'],
      description: `From the read model, at most ${MAX_DEADLINES} deadlines (\`truncated\` says when there were more), without the cases the caller is recused from.`,
      access: { kind: 'roles', roles: [...ROLES] },
      limiter: readLimiter,
      query: deadlinesQuery,
      responses: {
        200: { description: 'The deadlines, by last day' },
        400: { description: 'Invalid range', schema: 'problem' },
        429: { description: 'Too many calendar reads; Retry-After says when to try again', schema: 'problem' },
      },
      async handle({ query, user, res }) {
        if (compareDates(query.to, query.from) < 0) throw fieldsProblem([{ field: 'query.to', message: 'must not be before from' }]);
        if (compareDates(query.to, addDays(query.from, MAX_RANGE_DAYS)) > 0) throw fieldsProblem([{ field: 'query.to', message: `must be at most ${MAX_RANGE_DAYS} days after from` }]);
        res.json(await upcomingDeadlines(deps, { authority: user.authority, sub: user.sub, name: user.name }, query));
      },
    }),
    route({
      method: 'get',
      path: '/v1/calendar/feed',
      operationId: 'getCalendarFeed',
      summary: 'Whether the caller has a calendar feed, since when and until when (its URL was shown once, when it was made)',
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      responses: { 200: { description: '`feed` is null when the caller has none; `expiresAt` says when its URL stops working unless renewed' } },
      async handle({ user, res }) {
        res.json({ feed: (await calendarFeedOf(deps.db, owner(user))) ?? null });
      },
    }),
    route({
      method: 'post',
      path: '/v1/calendar/feed',
      operationId: 'createCalendarFeed',
      summary: 'Make the caller’s personal .ics feed, replacing any it had (the old URL stops working)',
      description: `The answer carries the URL once; only a hash of its token is kept. Subscribe to it in a calendar program; it shows the pending deadlines of the caller’s authority’s cases. It expires after ${FEED_LIFETIME_DAYS} days unless renewed.`,
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      write: true,
      responses: { 201: { description: 'The feed’s URL, and when it expires' } },
      async handle({ user, res }) {
        const { token, createdAt, expiresAt } = await createCalendarFeed(deps.db, owner(user));
        res.status(201).json({ url: `${deps.baseUrl}${feedPath(token)}`, createdAt, expiresAt });
      },
    }),
    route({
      method: 'post',
      path: '/v1/calendar/feed/renewal',
      operationId: 'renewCalendarFeed',
      summary: `Renew the caller’s .ics feed for another ${FEED_LIFETIME_DAYS} days, under the same URL (also once it has expired)`,
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      write: true,
      responses: { 200: { description: 'When the feed now expires' }, 404: { description: 'The caller has no feed', schema: 'problem' } },
      async handle({ user, res }) {
        const renewed = await renewCalendarFeed(deps.db, owner(user));
        if (!renewed) throw problems.notFound('calendar feed');
        res.json({ feed: renewed });
      },
    }),
    route({
      method: 'delete',
      path: '/v1/calendar/feed',
      operationId: 'revokeCalendarFeed',
      summary: 'Revoke the caller’s .ics feed: its URL answers 404 from now on',
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      write: true,
      responses: { 204: { description: 'Revoked' }, 404: { description: 'The caller has no feed', schema: 'problem' } },
      async handle({ user, res }) {
        if (!(await revokeCalendarFeed(deps.db, owner(user)))) throw problems.notFound('calendar feed');
        res.status(204).end();
      },
    }),
    route({
      method: 'get',
      path: '/v1/calendar/feeds/{token}.ics',
      operationId: 'calendarFeed',
      summary: 'A personal calendar feed (iCalendar): the token in the URL is its credential',
      tags: ['calendar'],
      access: { kind: 'public' },
      limiter: feedLimiter,
      params: feedParams,
      responses: {
        200: { description: 'iCalendar', contentType: 'text/calendar' },
        404: { description: 'No such feed, or revoked', schema: 'problem' },
        410: { description: 'The feed expired; its owner can renew it under the same URL', schema: 'problem' },
        429: { description: 'Read too often; Retry-After says when to try again', schema: 'problem' },
      },
      async handle({ params, res }) {
        const feed = await calendarFeedOwner(deps.db, params.token);
        if (!feed) throw problems.notFound('calendar feed');
        if (feed.expired) throw feedExpired();
        const today = beijingDate(Date.now());
        const { deadlines } = await upcomingDeadlines(deps, { authority: feed.authority, sub: feed.subject, name: feed.name }, { from: addDays(today, -FEED_PAST_DAYS), to: addDays(today, FEED_AHEAD_DAYS) });
        res.type('text/calendar; charset=utf-8').set('Cache-Control', 'private, no-store').send(icsOf(deadlines, deps.baseUrl));
      },
    }),
  ];
}
