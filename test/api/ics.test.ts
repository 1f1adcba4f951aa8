/**
 * The feed's iCalendar text (api/ics.ts) is what ical-generator writes for the
 * same events, line for line, and reads back as the events it was given (with
 * Mozilla's ical.js, as the browser test reads the feed): folded at 75 octets
 * without splitting a character, TEXT escaped.
 */
import ical from 'ical-generator';
import ICAL from 'ical.js';
import { icsCalendar, type AllDayEvent } from '../../api/ics';

const events: AllDayEvent[] = [
  {
    uid: 'case-binhai-2026-0001.application@rongcuo',
    day: '2027-01-19',
    summary: '申请期限届满（case-binhai-2026-0001）',
    description: '机关期限：申请，最后一日 2027-01-19（已逾期，暂定（该年放假安排未公布））。\n依据：第十二条(二)“自接到告知之日起7个工作日内, 向问责部门提出书面申请; \\ 😀”',
    url: 'http://127.0.0.1:3000/#/cases/case-binhai-2026-0001',
  },
  { uid: 'case-j-2026-0002.report@rongcuo', day: '2026-12-31', summary: 'short', description: 'x', url: 'http://h/#/cases/case-j-2026-0002' },
];

it('writes the lines ical-generator writes for the same events', () => {
  const now = new Date('2026-12-07T08:09:10.123Z');
  const reference = ical({ name: '容错免责 办案期限', prodId: { company: 'rongcuo', product: 'console', language: 'ZH' }, ttl: 3600 });
  for (const e of events) reference.createEvent({ id: e.uid, start: e.day, allDay: true, summary: e.summary, description: e.description, url: e.url, stamp: now });
  expect(icsCalendar({ name: '容错免责 办案期限', prodId: '-//rongcuo//console//ZH', ttlSeconds: 3600, events, now })).toBe(reference.toString());
});

it('reads back as the events it was given, every line at most 75 octets', () => {
  const text = icsCalendar({ name: '容错免责 办案期限', prodId: '-//rongcuo//console//ZH', ttlSeconds: 3600, events });
  for (const line of text.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
  const read = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  expect(read.map((e) => [e.uid, e.startDate.toString(), e.summary, e.description])).toEqual(events.map((e) => [e.uid, e.day, e.summary, e.description]));
});
