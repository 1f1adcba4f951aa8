/**
 * Counting a statutory period (民法典 第二百零一条至第二百零四条; shared/glossary.md
 * "Counting a period"). Pure: the caller supplies the holiday schedules, so the
 * same code runs in the API, in activities and, with a snapshot, in workflows.
 */
import { addDays, addMonthsClamped, endOfDayBeijing, isWeekend, yearOf, type IsoDate } from './dates';
import type { ScheduleLookup } from './schedule';

export const PERIOD_UNITS = ['workingDays', 'days', 'months'] as const;
export type PeriodUnit = (typeof PERIOD_UNITS)[number];

export interface Period {
  amount: number;
  unit: PeriodUnit;
}

export type DayStatus =
  | { working: true; kind: 'workday' }
  | { working: true; kind: 'makeUpWorkday'; name: string }
  | { working: false; kind: 'weekend' }
  | { working: false; kind: 'holiday'; name: string };

export interface SkippedDay {
  date: IsoDate;
  reason: 'weekend' | 'holiday';
  /** The holiday's name, for a holiday. */
  name?: string;
}

export interface DeadlineComputation {
  /** The day of the triggering event; it is not counted (第二百零一条). */
  from: IsoDate;
  amount: number;
  unit: PeriodUnit;
  /** The last day of the period, after any move past non-working days. */
  deadline: IsoDate;
  /** For days and months: the last day before moving it off a non-working day. */
  nominalDeadline: IsoDate;
  /** The instant the period has run out: 24:00 Beijing time of `deadline`, ISO 8601 UTC. */
  endsAt: string;
  /** True when any day counted or examined lies in a year whose schedule is not published. */
  provisional: boolean;
  provisionalYears: number[];
  /** Non-working days passed over while counting, with why. */
  skipped: SkippedDay[];
  /** The legal rules the count applied, for the case file. */
  rules: string[];
}

/** 民法典 第一编 第十章 期间计算, word for word: every counting rule below quotes one of these. */
export const CIVIL_CODE_PERIODS = {
  第二百零一条: '按照年、月、日计算期间的，开始的当日不计入，自下一日开始计算。按照小时计算期间的，自法律规定或者当事人约定的时间开始计算。',
  第二百零二条: '按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日。',
  第二百零三条: '期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日。期间的最后一日的截止时间为二十四时；有业务时间的，停止业务活动的时间为截止时间。',
  第二百零四条: '期间的计算方法依照本法的规定，但是法律另有规定或者当事人另有约定的除外。',
} as const;

export const COUNTING_RULES = {
  startNextDay: '民法典第二百零一条：开始的当日不计入，自下一日开始计算',
  monthEnd: '民法典第二百零二条：按照年、月计算期间的，到期月的对应日为期间的最后一日；没有对应日的，月末日为期间的最后一日',
  holidayExtends: '民法典第二百零三条第一款：期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日',
  /**
   * The second clause (有业务时间的，停止业务活动的时间为截止时间) is not applied: a filing is decided
   * by the date it reached the authority (`receivedOn`), so one that arrives after office hours bears
   * the next date on the authority's own receipt.
   */
  endsAtMidnight: '民法典第二百零三条第二款：期间的最后一日的截止时间为二十四时',
  workingDays: '以工作日计算的期间，不含休息日和法定节假日，含调休上班日',
} as const;

export function dayStatus(lookup: ScheduleLookup, date: IsoDate): DayStatus {
  const schedule = lookup(yearOf(date));
  const makeUp = schedule.makeUpWorkdays[date];
  if (makeUp !== undefined) return { working: true, kind: 'makeUpWorkday', name: makeUp };
  const holiday = schedule.holidays[date];
  if (holiday !== undefined) return { working: false, kind: 'holiday', name: holiday };
  if (isWeekend(date)) return { working: false, kind: 'weekend' };
  return { working: true, kind: 'workday' };
}

export function computeDeadline(lookup: ScheduleLookup, from: IsoDate, period: Period): DeadlineComputation {
  if (!Number.isInteger(period.amount) || period.amount < 1) {
    throw new RangeError(`a period needs a whole number of at least 1, not ${period.amount}`);
  }
  const provisionalYears = new Set<number>();
  const skipped: SkippedDay[] = [];
  const examine = (date: IsoDate): DayStatus => {
    const year = yearOf(date);
    if (lookup(year).status === 'provisional') provisionalYears.add(year);
    const status = dayStatus(lookup, date);
    if (!status.working) {
      skipped.push(status.kind === 'holiday' ? { date, reason: 'holiday', name: status.name } : { date, reason: 'weekend' });
    }
    return status;
  };

  let deadline: IsoDate;
  let nominalDeadline: IsoDate;
  const rules: string[] = [COUNTING_RULES.startNextDay];
  if (period.unit === 'workingDays') {
    rules.push(COUNTING_RULES.workingDays);
    let day = from;
    let counted = 0;
    while (counted < period.amount) {
      day = addDays(day, 1);
      if (examine(day).working) counted += 1;
    }
    deadline = nominalDeadline = day;
  } else {
    nominalDeadline = period.unit === 'days' ? addDays(from, period.amount) : addMonthsClamped(from, period.amount);
    if (period.unit === 'months') rules.push(COUNTING_RULES.monthEnd);
    deadline = nominalDeadline;
    while (!examine(deadline).working) deadline = addDays(deadline, 1);
    if (deadline !== nominalDeadline) rules.push(COUNTING_RULES.holidayExtends);
  }
  rules.push(COUNTING_RULES.endsAtMidnight);

  return {
    from,
    amount: period.amount,
    unit: period.unit,
    deadline,
    nominalDeadline,
    endsAt: new Date(endOfDayBeijing(deadline)).toISOString(),
    provisional: provisionalYears.size > 0,
    provisionalYears: [...provisionalYears].sort(),
    skipped,
    rules,
  };
}
