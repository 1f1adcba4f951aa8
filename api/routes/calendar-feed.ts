/**
 * The caller's deadlines on a calendar: a month view's worth as JSON, and a
 * personal iCalendar feed (RFC 5545) that calendar programs subscribe to. A
 * calendar program sends no Authorization header, so the feed's URL carries a
 * random token of its own, which its owner can replace or revoke at any time.
 * The feed names cases by id and deadlines by label and article, never a person.
 */
import type { Client } from '@temporalio/client';
import ical from 'ical-generator';
import { z } from 'zod';
import { addDays, beijingDate, compareDates } from '../../domain/calendar';
import { calendarFeedOf, calendarFeedOwner, createCalendarFeed, revokeCalendarFeed } from '../../store/calendar-feeds';
import type { Db } from '../../store/db';
import { ROLES } from '../auth';
import { fieldsProblem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';
import { isoDateSchema } from '../schemas';
import { upcomingDeadlines, type UpcomingDeadline } from '../upcoming-deadlines';

export interface CalendarFeedDeps {
  db: Db;
  client: Client;
  namespace: string;
  baseUrl: string;
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
  const calendar = ical({ name: '容错免责 办案期限', prodId: { company: 'rongcuo', product: 'console', language: 'ZH' }, ttl: 3600 });
  for (const d of deadlines) {
    const flags = [d.overdue ? '已逾期' : '', d.provisional ? '暂定（该年放假安排未公布）' : ''].filter(Boolean).join('，');
    calendar.createEvent({
      id: `${d.caseId}.${d.key}@rongcuo`,
      // A date-only string: the last day itself, whatever time zone the reader is in.
      start: d.deadline,
      allDay: true,
      summary: `${d.label}期限届满（${d.caseId}）`,
      description: `${BINDS[d.binds]}：${d.label}，最后一日 ${d.deadline}${flags ? `（${flags}）` : ''}。\n依据：${d.basis.article}“${d.basis.quote}”`,
      url: `${baseUrl}/#/cases/${d.caseId}`,
    });
  }
  return calendar.toString();
}

export function calendarFeedRoutes(deps: CalendarFeedDeps): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/calendar/deadlines',
      operationId: 'listUpcomingDeadlines',
      summary: 'The pending deadlines of the caller’s authority’s running cases whose last day lies between two days (a month view)',
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      query: deadlinesQuery,
      responses: { 200: { description: 'The deadlines, by last day' }, 400: { description: 'Invalid range', schema: 'problem' } },
      async handle({ query, user, res }) {
        if (compareDates(query.to, query.from) < 0) throw fieldsProblem([{ field: 'query.to', message: 'must not be before from' }]);
        if (compareDates(query.to, addDays(query.from, MAX_RANGE_DAYS)) > 0) throw fieldsProblem([{ field: 'query.to', message: `must be at most ${MAX_RANGE_DAYS} days after from` }]);
        res.json({ deadlines: await upcomingDeadlines(deps, user.authority, query) });
      },
    }),
    route({
      method: 'get',
      path: '/v1/calendar/feed',
      operationId: 'getCalendarFeed',
      summary: 'Whether the caller has a calendar feed, and since when (its URL was shown once, when it was made)',
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      responses: { 200: { description: '`feed` is null when the caller has none' } },
      async handle({ user, res }) {
        res.json({ feed: (await calendarFeedOf(deps.db, user.sub)) ?? null });
      },
    }),
    route({
      method: 'post',
      path: '/v1/calendar/feed',
      operationId: 'createCalendarFeed',
      summary: 'Make the caller’s personal .ics feed, replacing any it had (the old URL stops working)',
      description: 'The answer carries the URL once; only a hash of its token is kept. Subscribe to it in a calendar program; it shows the pending deadlines of the caller’s authority’s cases.',
      tags: ['calendar'],
      access: { kind: 'roles', roles: [...ROLES] },
      write: true,
      responses: { 201: { description: 'The feed’s URL' } },
      async handle({ user, res }) {
        const { token, createdAt } = await createCalendarFeed(deps.db, { subject: user.sub, authority: user.authority });
        res.status(201).json({ url: `${deps.baseUrl}${feedPath(token)}`, createdAt });
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
        if (!(await revokeCalendarFeed(deps.db, user.sub))) throw problems.notFound('calendar feed');
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
      params: feedParams,
      responses: { 200: { description: 'iCalendar', contentType: 'text/calendar' }, 404: { description: 'No such feed, or revoked', schema: 'problem' } },
      async handle({ params, res }) {
        const owner = await calendarFeedOwner(deps.db, params.token);
        if (!owner) throw problems.notFound('calendar feed');
        const today = beijingDate(Date.now());
        const deadlines = await upcomingDeadlines(deps, owner.authority, { from: addDays(today, -FEED_PAST_DAYS), to: addDays(today, FEED_AHEAD_DAYS) });
        res.type('text/calendar; charset=utf-8').set('Cache-Control', 'private, no-store').send(icsOf(deadlines, deps.baseUrl));
      },
    }),
  ];
}
