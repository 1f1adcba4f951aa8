/**
 * The schedules the time-skipping tests count with. The time-skipping server moves a file's clock
 * months ahead, into years whose holiday schedule the State Council has not published yet; counted
 * there, every period is provisional, and a party's window that lapses provisionally waits for the
 * official schedule (PROVISIONAL_LAPSE). Tests that are not about that stand in for the later years'
 * official schedules with their fixed statutory holidays, marked as a test's stand-in. Tests about
 * provisional counting pass schedules of their own (fewer years) instead.
 */
import type { YearSchedule } from '../../domain/calendar';
import { fixedHolidaySchedule } from '../../services/calendar/fixed-holidays';
import { publishedSchedules } from '../../services/calendar/published';

const lastPublished = Math.max(...publishedSchedules.keys());

export const TEST_SCHEDULES: ReadonlyMap<number, YearSchedule> = new Map([
  ...publishedSchedules,
  ...Array.from({ length: 2100 - lastPublished }, (_, i) => lastPublished + 1 + i).map(
    (year): [number, YearSchedule] => [year, { ...fixedHolidaySchedule(year), status: 'official', source: '测试替代：固定节假日（该年度正式安排尚未公布）' }],
  ),
]);
