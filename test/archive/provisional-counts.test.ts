/**
 * A case that counts a deadline while a year's schedule is being loaded is
 * never missed: the count and the loading exclude each other, so the count
 * either saw the year or is on record when the loading commits.
 */
import type { Db } from '../../store/db';
import { casesCountedProvisionally, countingWithCalendar, forgetProvisionalCount, loadingCalendarYear } from '../../store/provisional-counts';
import { openTestDb } from '../support/test-db';

let db: Db;
beforeAll(async () => {
  db = await openTestDb();
});
afterAll(() => db?.close());

describe('provisional counts and loading a year', () => {
  it('records the years a case counted provisionally, once each', async () => {
    await countingWithCalendar(db, 'case-binhai-2026-0101', async () => ({ provisionalYears: [2098, 2099] }));
    await countingWithCalendar(db, 'case-binhai-2026-0101', async () => ({ provisionalYears: [2099] }));
    await countingWithCalendar(db, 'case-binhai-2026-0102', async () => ({ provisionalYears: [] }));
    expect(await casesCountedProvisionally(db, 2099, 10)).toEqual(['case-binhai-2026-0101']);
    await forgetProvisionalCount(db, 'case-binhai-2026-0101', 2099);
    expect(await casesCountedProvisionally(db, 2099, 10)).toEqual([]);
    expect(await casesCountedProvisionally(db, 2098, 10)).toEqual(['case-binhai-2026-0101']);
  });

  it('makes the loading of a year wait for a count under way, so the count is on record when it commits', async () => {
    let counting!: () => void;
    let finish!: () => void;
    const started = new Promise<void>((r) => (counting = r));
    const finished = new Promise<void>((r) => (finish = r));
    const count = countingWithCalendar(db, 'case-binhai-2026-0103', async () => {
      counting();
      await finished;
      return { provisionalYears: [2097] };
    });
    await started;
    const loading = loadingCalendarYear(db, (tx) => casesCountedProvisionally(tx, 2097, 10));
    finish();
    await count;
    expect(await loading).toEqual(['case-binhai-2026-0103']);
  });
});
