/**
 * The statutory calendar in the running stack: the preview endpoint, the
 * list of published years, and loading a year's schedule, after which every
 * running case recounts its provisional deadlines and says so in its history.
 */
import request from 'supertest';
import { addDays, beijingDate, type YearSchedule } from '../../domain/calendar';
import { fixedHolidaySchedule } from '../../services/calendar/fixed-holidays';
import { publishedSchedules } from '../../services/calendar/published';
import { StatutoryCalendar } from '../../services/calendar/statutory-calendar';
import { casesCountedProvisionally } from '../../store/provisional-counts';
import { eventually } from '../support/eventually';
import { startStack, type Stack } from '../support/stack';

// This stack knows no published schedule from the current year on, so a case
// opened today has a provisional deadline whatever day the test runs.
const currentYear = Number(beijingDate(Date.now()).slice(0, 4));
const published = new Map([...publishedSchedules].filter(([year]) => year < currentYear));

let stack: Stack;
let officer: string;
let admin: string;

beforeAll(async () => {
  stack = await startStack({ publishedSchedules: published });
  officer = await stack.token({ roles: ['officer'], authority: 'binhai-jw' });
  // Loading the national calendar is the system administrator's, not any authority's admin's (see the authorization matrix).
  admin = await stack.token({ roles: ['system-admin'], authority: 'binhai-jw', sub: 'admin-1', name: '管理员' });
});
afterAll(() => stack?.stop());

describe('deadline preview', () => {
  it('answers the deadline, whether it is provisional, and the days skipped with why', async () => {
    const res = await request(stack.app)
      .get('/v1/calendar/deadline')
      .query({ from: '2020-09-25', amount: 7, unit: 'workingDays' })
      .set('Authorization', `Bearer ${officer}`);
    expect(res.status).toBe(200);
    // 2020: 10/1–10/8 off, make-up Sunday 9/27 and Saturday 10/10 (国办发明电〔2019〕16号).
    // 9/27 Sun make-up (1), 9/28 (2), 9/29 (3), 9/30 (4), 10/9 (5), 10/10 Sat make-up (6), 10/12 (7)
    expect(res.body).toMatchObject({ deadline: '2020-10-12', provisional: false });
    expect(res.body.skipped).toContainEqual({ date: '2020-10-01', reason: 'holiday', name: '国庆节' });
    expect(res.body.skipped).toContainEqual({ date: '2020-10-11', reason: 'weekend' });
  });

  it.each([
    [{ from: '2026-02-30', amount: '5', unit: 'days' }, 'query.from'],
    [{ from: '2026-02-03', amount: '0', unit: 'days' }, 'query.amount'],
    [{ from: '2026-02-03', amount: '367', unit: 'days' }, 'query.amount'],
    [{ from: '2026-02-03', amount: 'x', unit: 'days' }, 'query.amount'],
    [{ from: '2026-02-03', amount: '5', unit: 'weeks' }, 'query.unit'],
    [{ from: '2026-02-03', amount: '0x5', unit: 'days' }, 'query.amount'],
    [{ from: '2026-02-03', amount: '5e0', unit: 'days' }, 'query.amount'],
    [{ from: '9999-12-31', amount: '5', unit: 'days' }, 'query.from'],
    [{ from: '0099-01-01', amount: '5', unit: 'days' }, 'query.from'],
  ])('answers %j with 400 naming %s', async (query, field) => {
    const res = await request(stack.app).get('/v1/calendar/deadline').query(query).set('Authorization', `Bearer ${officer}`);
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it('needs a signed-in user', async () => {
    const res = await request(stack.app).get('/v1/calendar/deadline').query({ from: '2026-02-03', amount: 5, unit: 'days' });
    expect(res.status).toBe(401);
  });
});

describe('loading a year schedule', () => {
  it('is for the system administrator only, not an authority’s officer or admin', async () => {
    const authorityAdmin = await stack.token({ roles: ['admin', 'officer', 'supervisor'], authority: 'binhai-jw' });
    for (const token of [officer, authorityAdmin]) {
      const res = await request(stack.app)
        .put(`/v1/calendar/years/${currentYear + 5}`)
        .set('Authorization', `Bearer ${token}`)
        .send({ source: '国办发明电（测试）', holidays: [{ date: `${currentYear + 5}-01-01`, name: '元旦' }], makeUpWorkdays: [] });
      expect([res.status, res.body.requiredRoles]).toEqual([403, ['system-admin']]);
    }
  });

  it('refuses dates outside the year, a date both off and worked, and a weekday as make-up day, naming each', async () => {
    const y = currentYear + 5;
    const saturday = [...Array(7).keys()].map((i) => `${y}-03-0${i + 1}`).find((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === 6)!;
    const monday = addDays(saturday, 2);
    const res = await request(stack.app)
      .put(`/v1/calendar/years/${y}`)
      .set('Authorization', `Bearer ${admin}`)
      .send({
        source: '国办发明电（测试）',
        holidays: [
          { date: `${y + 1}-01-01`, name: '元旦' },
          { date: saturday, name: '测试' },
        ],
        makeUpWorkdays: [
          { date: saturday, name: '测试' },
          { date: monday, name: '测试' },
        ],
      });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { field: 'body.holidays.0.date', message: `must lie inside ${y}` },
        { field: 'body.makeUpWorkdays.0.date', message: `${saturday} cannot be both a day off and a make-up working day` },
        { field: 'body.makeUpWorkdays.1.date', message: `${monday} is a weekday; a make-up working day is a Saturday or Sunday` },
      ]),
    );
    const years = await request(stack.app).get('/v1/calendar/years').set('Authorization', `Bearer ${admin}`);
    expect(years.body.years.map((x: { year: number }) => x.year)).not.toContain(y);
  });

  it('makes a running case recount its provisional deadline, and the change shows in its history', async () => {
    const today = beijingDate(Date.now());
    const created = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send({
        jurisdiction: 'binhai',
        subject: { name: '赵某', organisation: '某局' },
        matter: '试点改革中的程序瑕疵',
        accountability: { reference: '滨纪问〔测试〕1号' },
        eventDate: today,
      });
    expect(created.status).toBe(201);
    const caseUrl = `/v1/cases/${created.body.id}`;
    const before = await eventually(async () => {
      const res = await request(stack.app).get(caseUrl).set('Authorization', `Bearer ${officer}`);
      expect(res.body.deadlines?.[0]?.provisional).toBe(true);
      return res.body.deadlines[0];
    });
    // Wait until visibility shows the case as holding a provisional deadline, as the fan-out relies on it.
    await eventually(async () => {
      const ids: string[] = [];
      for await (const wf of stack.env.client.workflow.list({ query: `ProvisionalDeadline = true AND CaseId = "${created.body.id}"` })) {
        ids.push(wf.workflowId);
      }
      expect(ids).toEqual([created.body.id]);
    });

    // The archive has the case on record as counting with those years unloaded: that record, not
    // visibility alone, is what tells the propagation which cases to recount.
    for (const year of before.provisionalYears as number[]) {
      expect(await casesCountedProvisionally(stack.db, year, 1000)).toContain(created.body.id);
    }

    // The loaded schedule: the statute's fixed holidays, plus (for the test) the old last day as a day off,
    // so the deadline must move by at least one working day.
    const loaded = new Map<number, YearSchedule>();
    for (const year of before.provisionalYears as number[]) {
      const schedule = fixedHolidaySchedule(year);
      const holidays = { ...schedule.holidays };
      if (before.deadline.startsWith(`${year}-`)) holidays[before.deadline] = '测试假日';
      loaded.set(year, { ...schedule, status: 'official', source: `国办发明电（测试）${year}`, holidays });
      const put = await request(stack.app)
        .put(`/v1/calendar/years/${year}`)
        .set('Authorization', `Bearer ${admin}`)
        .send({
          source: `国办发明电（测试）${year}`,
          holidays: Object.entries(holidays).map(([date, name]) => ({ date, name })),
          makeUpWorkdays: [],
        });
      expect(put.status).toBe(200);
      expect(put.body).toMatchObject({ year, loadedBy: '管理员 (admin-1)' });
    }
    const expected = new StatutoryCalendar(
      new Map([...loaded].map(([y, s]) => [y, { ...s, loadedBy: 'admin', loadedAt: '' }])),
      published,
    ).deadline(today, { amount: 7, unit: 'workingDays' });
    expect(expected.provisional).toBe(false);
    expect(expected.deadline > before.deadline).toBe(true);

    const after = await eventually(async () => {
      const res = await request(stack.app).get(caseUrl).set('Authorization', `Bearer ${officer}`);
      expect(res.body.deadlines[0]).toMatchObject({ deadline: expected.deadline, provisional: false, status: 'pending' });
      return res.body;
    });
    // Each case told is forgotten for the year, so the record does not grow with every load.
    await eventually(async () => {
      for (const year of before.provisionalYears as number[]) expect(await casesCountedProvisionally(stack.db, year, 1000)).not.toContain(created.body.id);
    });
    const recount = after.timeline.filter((e: { event: string }) => e.event === 'deadlineRecomputed').at(-1);
    expect(recount.detail).toContain(`${before.deadline} → ${expected.deadline}`);
    expect(recount.basis.article).toBe('第十二条(二)');

    const years = await request(stack.app).get('/v1/calendar/years').set('Authorization', `Bearer ${officer}`);
    expect(years.body.years).toContainEqual(expect.objectContaining({ year: currentYear, origin: 'overlay', loadedBy: '管理员 (admin-1)' }));
  });
});
