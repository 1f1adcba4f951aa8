/**
 * Counting statutory periods on the published 2024–2026 schedules.
 *
 * Every expected date below was worked out by hand from the State Council's
 * notices (国办发明电〔2023〕7号 for 2024, 〔2024〕12号 for 2025, 〔2025〕7号 for 2026),
 * not by running the code.
 */
import { StatutoryCalendar } from '../../services/calendar/statutory-calendar';
import type { LoadedYear } from '../../store/calendar-years';
import type { PeriodUnit } from '../../domain/calendar';
import { CIVIL_CODE_PERIODS, COUNTING_RULES } from '../../domain/calendar/period';

const published = new StatutoryCalendar(new Map());

interface Case {
  title: string;
  from: string;
  amount: number;
  unit: PeriodUnit;
  deadline: string;
  skipped?: string[];
}

const cases: Case[] = [
  {
    title: '7 working days across National Day 2025, with a make-up Sunday (9/28) and Saturday (10/11)',
    from: '2025-09-25',
    amount: 7,
    unit: 'workingDays',
    // 9/26 (1), 9/28 Sun make-up (2), 9/29 (3), 9/30 (4), 10/1–10/8 off, 10/9 (5), 10/10 (6), 10/11 Sat make-up (7)
    deadline: '2025-10-11',
    skipped: ['2025-09-27', '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
  },
  {
    title: '5 working days into the 2024 Spring Festival make-up Sunday (2/4)',
    from: '2024-02-02',
    amount: 5,
    unit: 'workingDays',
    deadline: '2024-02-08',
    skipped: ['2024-02-03'],
  },
  {
    title: '3 working days across the 2024 Spring Festival; New Year’s Eve 2/9 was a working day',
    from: '2024-02-08',
    amount: 3,
    unit: 'workingDays',
    // 2/9 (1), 2/10–2/17 off, 2/18 Sun make-up (2), 2/19 (3)
    deadline: '2024-02-19',
  },
  {
    title: 'an event on a holiday: counting starts the next day and skips the rest of the holiday (2026 National Day)',
    from: '2026-10-03',
    amount: 5,
    unit: 'workingDays',
    // 10/4–10/7 off, 10/8 (1), 10/9 (2), 10/10 Sat make-up (3), 10/11 Sun, 10/12 (4), 10/13 (5)
    deadline: '2026-10-13',
    skipped: ['2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07', '2026-10-11'],
  },
  {
    title: '15 days whose last day is National Day 2025 move to the first working day after it',
    from: '2025-09-16',
    amount: 15,
    unit: 'days',
    deadline: '2025-10-09',
    skipped: ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'],
  },
  {
    title: '15 days ending in the 2024 Spring Festival move to the make-up Sunday 2/18',
    from: '2024-01-26',
    amount: 15,
    unit: 'days',
    deadline: '2024-02-18',
  },
  {
    title: '30 days ending on an ordinary working day stay put',
    from: '2026-03-02',
    amount: 30,
    unit: 'days',
    deadline: '2026-04-01',
    skipped: [],
  },
  {
    title: 'one month from 31 January in a leap year ends on 29 February',
    from: '2024-01-31',
    amount: 1,
    unit: 'months',
    deadline: '2024-02-29',
    skipped: [],
  },
  {
    title: 'one month from 31 January 2026 ends on 28 February, a make-up Saturday, so it stays there',
    from: '2026-01-31',
    amount: 1,
    unit: 'months',
    deadline: '2026-02-28',
    skipped: [],
  },
  {
    title: 'three months from 30 November 2025 (a deferral) end on the make-up Saturday 28 February 2026',
    from: '2025-11-30',
    amount: 3,
    unit: 'months',
    deadline: '2026-02-28',
  },
  {
    title: 'one month ending on Spring Festival 2026 moves past the whole holiday',
    from: '2026-01-15',
    amount: 1,
    unit: 'months',
    // 2/15 is a Sunday inside the 2/15–2/23 holiday; 2/24 is the first working day
    deadline: '2026-02-24',
    skipped: ['2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23'],
  },
];

describe('statutory periods on published schedules', () => {
  it.each(cases)('$title', ({ from, amount, unit, deadline, skipped }) => {
    const result = published.deadline(from, { amount, unit });
    expect(result.deadline).toBe(deadline);
    expect(result.provisional).toBe(false);
    if (skipped) expect(result.skipped.map((d) => d.date)).toEqual(skipped);
  });

  it('names the holiday or weekend of every skipped day', () => {
    const result = published.deadline('2025-09-25', { amount: 7, unit: 'workingDays' });
    expect(result.skipped[0]).toEqual({ date: '2025-09-27', reason: 'weekend' });
    expect(result.skipped[1]).toEqual({ date: '2025-10-01', reason: 'holiday', name: '国庆节' });
  });

  it('ends a period at 24:00 Beijing time of its last day', () => {
    const result = published.deadline('2025-09-16', { amount: 15, unit: 'days' });
    // 2025-10-09 24:00 +08:00 is 2025-10-09 16:00 UTC
    expect(result.endsAt).toBe('2025-10-09T16:00:00.000Z');
  });

  it('cites the civil-law rules it applied', () => {
    const moved = published.deadline('2025-09-16', { amount: 15, unit: 'days' });
    expect(moved.rules.join('\n')).toContain('第二百零三条第一款');
    const stayed = published.deadline('2026-03-02', { amount: 30, unit: 'days' });
    expect(stayed.rules.join('\n')).not.toContain('第二百零三条第一款');
  });

  it('cites 第二百零二条, in its own words, for a period counted in months that ends on a month without the day', () => {
    const result = published.deadline('2026-01-31', { amount: 1, unit: 'months' });
    expect(result.nominalDeadline).toBe('2026-02-28');
    expect(result.rules.join('\n')).toContain('第二百零二条：按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日');
  });

  it('quotes the Civil Code word for word in every counting rule it cites', () => {
    for (const rule of Object.values(COUNTING_RULES).filter((r) => r.startsWith('民法典'))) {
      const [head, excerpt] = rule.split('：');
      const article = head!.replace('民法典', '').replace(/第[一二]款$/, '') as keyof typeof CIVIL_CODE_PERIODS;
      expect(CIVIL_CODE_PERIODS[article]).toContain(excerpt);
    }
  });
});

describe('a year without a published schedule', () => {
  it('counts weekends and the fixed statutory holidays, and marks the deadline provisional', () => {
    // 12/28 (1), 12/29 (2), 12/30 (3), 12/31 (4), 1/1 元旦 fixed, 1/2–1/3 weekend,
    // 1/4 (5), 1/5 (6), 1/6 (7), 1/7 (8), 1/8 (9), 1/9–1/10 weekend, 1/11 (10)
    const result = published.deadline('2026-12-25', { amount: 10, unit: 'workingDays' });
    expect(result.deadline).toBe('2027-01-11');
    expect(result.provisional).toBe(true);
    expect(result.provisionalYears).toEqual([2027]);
    expect(result.skipped).toContainEqual({ date: '2027-01-01', reason: 'holiday', name: '元旦' });
  });

  it('knows the lunar holidays of an unpublished year from the statute (2027 Spring Festival: eve 2/5, first day 2/6)', () => {
    const schedule = published.lookup(2027);
    expect(schedule.status).toBe('provisional');
    expect(Object.entries(schedule.holidays).filter(([, name]) => name === '春节').map(([d]) => d)).toEqual([
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
    ]);
    expect(schedule.holidays['2027-05-02']).toBe('劳动节');
    expect(schedule.holidays['2027-10-03']).toBe('国庆节');
  });

  it('is no longer provisional once the year is loaded, and counts with the loaded days', () => {
    // A hypothetical 2027 schedule for the test only: 1/1–1/4 off.
    const loaded: LoadedYear = {
      year: 2027,
      status: 'official',
      source: 'test schedule (hypothetical)',
      holidays: { '2027-01-01': '元旦', '2027-01-02': '元旦', '2027-01-03': '元旦', '2027-01-04': '元旦' },
      makeUpWorkdays: {},
      loadedBy: 'admin',
      loadedAt: '2026-11-22T00:00:00.000Z',
    };
    const calendar = new StatutoryCalendar(new Map([[2027, loaded]]));
    const result = calendar.deadline('2026-12-25', { amount: 10, unit: 'workingDays' });
    expect(result.deadline).toBe('2027-01-12');
    expect(result.provisional).toBe(false);
    expect(calendar.years().find((y) => y.year === 2027)).toMatchObject({ origin: 'overlay', loadedBy: 'admin' });
  });
});

describe('which years have an official schedule', () => {
  it('lists the package years 2004–2026 with their source', () => {
    const years = published.years();
    expect(years[0]?.year).toBe(2004);
    expect(years.at(-1)?.year).toBe(2026);
    expect(years.every((y) => y.origin === 'package' && y.source.includes('chinese-days'))).toBe(true);
  });
});
