/**
 * What an administrator loads for a year the published data lacks: the
 * State Council notice's days off and make-up working days.
 */
import { z } from 'zod';
import { visibleText } from '../case/visible-text';
import { isIsoDate, isWeekend } from './dates';

/** No control or invisible character (domain/case/text.ts), the first named as U+XXXX. */
const visible = visibleText();

export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine(isIsoDate, 'is not a calendar date');

const namedDay = z.object({
  date: isoDateSchema,
  name: visible.trim().min(1, 'must name the holiday').max(40),
});

/** The shape of a year's schedule; `yearScheduleInputSchema` adds the checks that depend on the year. */
export const yearScheduleBodySchema = z.object({
  source: visible
    .trim()
    .min(4, 'must cite the notice the dates come from, e.g. 国办发明电〔2026〕7号')
    .max(200),
  holidays: z.array(namedDay).min(1, 'must list at least one day off').max(80),
  makeUpWorkdays: z.array(namedDay).max(20),
});

export function yearScheduleInputSchema(year: number) {
  return yearScheduleBodySchema.superRefine((value, ctx) => {
      const seen = new Map<string, string>();
      const check = (list: 'holidays' | 'makeUpWorkdays', index: number, date: string) => {
        const where = [list, index, 'date'];
        if (!date.startsWith(`${year}-`)) {
          ctx.addIssue({ code: 'custom', path: where, message: `must lie inside ${year}` });
        }
        const other = seen.get(date);
        if (other === list) ctx.addIssue({ code: 'custom', path: where, message: `${date} is listed twice` });
        else if (other) ctx.addIssue({ code: 'custom', path: where, message: `${date} cannot be both a day off and a make-up working day` });
        seen.set(date, list);
      };
      value.holidays.forEach((d, i) => check('holidays', i, d.date));
      value.makeUpWorkdays.forEach((d, i) => {
        check('makeUpWorkdays', i, d.date);
        if (isIsoDate(d.date) && !isWeekend(d.date)) {
          ctx.addIssue({ code: 'custom', path: ['makeUpWorkdays', i, 'date'], message: `${d.date} is a weekday; a make-up working day is a Saturday or Sunday` });
        }
      });
  });
}

export type YearScheduleInput = z.infer<ReturnType<typeof yearScheduleInputSchema>>;
