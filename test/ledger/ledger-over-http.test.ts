/**
 * 台账, statistics and 结果运用 over HTTP on the one-process stack (a real
 * Temporal dev server, the archive in PGlite): cases made here through the
 * API, the figures expected computed from what this test made, the .xlsx
 * opened by LibreOffice, and the organisation department's question logged.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { LEDGER_COLUMNS } from '../../services/ledger/export';
import { docxText } from '../support/docx';
import { driveFullCase, FULL_PATHS, openFullCase, type FullCaseApi, type FullPath } from '../support/full-cases';
import { appOverStack, startStack, type Stack } from '../support/stack';

const run = promisify(execFile);
let stack: Stack;
let server: Server;
let api: FullCaseApi;
let exemptId: string;
const runningIds: string[] = [];
let otherAuthorityId: string;
const today = beijingDate(Date.now());
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const ALL_CONDITIONS = ['hz-7-1', 'hz-7-2', 'hz-7-3', 'hz-7-4', 'hz-7-5', 'hz-7-6'];

/** Hangzhou's path, exempted on 第六条(二) by the committee, taken as far as the conclusion. */
const hangzhouExempt: FullPath = {
  ...FULL_PATHS['hangzhou-education']!,
  outcome: 'exempt',
  steps: FULL_PATHS['hangzhou-education']!.steps.map((step) =>
    step.action === 'recordDetermination'
      ? {
          action: 'recordDetermination',
          body: (day) => ({ decidedOn: day, decidedBy: 'partyCommittee', outcome: 'exempt', circumstances: ['hz-6-2'], mitigating: [], conditions: ALL_CONDITIONS, exclusions: [], reasons: '符合第六条(二)情形及第七条全部条件', complex: false }),
        }
      : step,
  ),
};

const tokenOf = (roles: string[], authority = 'hz-jyj', sub = `u-${roles[0]}`) => stack.token({ roles, authority, sub, name: '测试用户' });

beforeAll(async () => {
  stack = await startStack();
  server = stack.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  api = { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, sign: (claims) => stack.token(claims) };
  const exempt = await openFullCase(api, 'hangzhou-education');
  exemptId = exempt.caseId;
  const [, ...others] = await Promise.all([
    driveFullCase({ ...exempt, path: hangzhouExempt }, { to: hangzhouExempt.steps.findIndex((s) => s.action === 'recordDetermination') + 1 }),
    openFullCase(api, 'hangzhou-education'),
    openFullCase(api, 'hangzhou-education'),
    openFullCase(api, 'binhai'),
  ]);
  runningIds.push(others[0]!.caseId, others[1]!.caseId);
  otherAuthorityId = others[2]!.caseId;
  // The view of each case is in the archive once the case has written it.
  const officer = await tokenOf(['officer']);
  for (;;) {
    const res = await request(stack.app).get('/v1/ledger').set('Authorization', `Bearer ${officer}`);
    if (res.body.total === 3) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 240_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.stop();
});

describe('the ledger (getLedger)', () => {
  it('lists every case of the caller’s authority, none of another, with its items, deadlines and steps', async () => {
    const res = await request(stack.app).get('/v1/ledger').set('Authorization', `Bearer ${await tokenOf(['supervisor'])}`).expect(200);
    expect(res.body.total).toBe(3);
    expect(res.body.rows.map((r: { caseId: string }) => r.caseId).sort()).toEqual([exemptId, ...runningIds].sort());
    expect(res.body.rows.map((r: { caseId: string }) => r.caseId)).not.toContain(otherAuthorityId);
    const exempt = res.body.rows.find((r: { caseId: string }) => r.caseId === exemptId);
    expect(exempt).toMatchObject({ jurisdiction: 'hangzhou-education', subject: '王某', unit: '某街道党工委', outcome: 'exempt', outcomeName: '免责', decidedOn: today, openedOn: today });
    expect(exempt.items).toEqual([{ id: 'hz-6-2', article: '第六条(二)', text: expect.stringContaining('先行先试') }]);
    expect(exempt.steps[0]).toEqual({ event: 'caseOpened', on: today });
    expect(exempt.deadlines.length).toBeGreaterThan(0);
    for (const d of exempt.deadlines) {
      expect(d).toMatchObject({ key: expect.any(String), label: expect.any(String), article: expect.stringMatching(/^第/), lastDay: expect.stringMatching(/^\d{4}-\d\d-\d\d$/), metOn: null });
      // A party's window has no on-time; an authority's met in time is true, and none lapsed today.
      expect(d.onTime).toBe(d.binds === 'authority' && d.status !== 'pending' ? d.onTime : d.binds === 'authority' ? d.onTime : null);
      expect(d.onTime).not.toBe(false);
    }
  });

  it('filters by outcome, item, stage and overdue, and pages', async () => {
    const officer = await tokenOf(['officer']);
    const get = (query: Record<string, string>) => request(stack.app).get('/v1/ledger').query(query).set('Authorization', `Bearer ${officer}`).expect(200);
    expect((await get({ outcome: 'exempt' })).body.rows.map((r: { caseId: string }) => r.caseId)).toEqual([exemptId]);
    expect((await get({ item: 'hz-6-2' })).body.total).toBe(1);
    expect((await get({ item: 'hz-6-1' })).body.total).toBe(0);
    expect((await get({ outcome: 'denied' })).body.total).toBe(0);
    expect((await get({ overdue: 'true' })).body.total).toBe(0);
    expect((await get({ overdue: 'false' })).body.total).toBe(3);
    expect((await get({ from: addDays(today, 1) })).body.total).toBe(0);
    expect((await get({ from: today, to: today })).body.total).toBe(3);
    const stage = (await get({ outcome: 'exempt' })).body.rows[0].stage as string;
    expect((await get({ stage })).body.rows.map((r: { caseId: string }) => r.caseId)).toContain(exemptId);
    const first = await get({ limit: '2' });
    const second = await get({ limit: '2', offset: '2' });
    expect([first.body.rows.length, second.body.rows.length, first.body.total]).toEqual([2, 1, 3]);
    expect(new Set([...first.body.rows, ...second.body.rows].map((r: { caseId: string }) => r.caseId)).size).toBe(3);
  });

  it.each([
    [{ from: '2026-05-01', to: '2026-04-01' }, 'query.to', '早于'],
    [{ from: '2020-01-01', to: '2026-01-02' }, 'query.to', '五年'],
    [{ outcome: 'pardoned' }, 'query.outcome', 'must be one of'],
    [{ limit: '201' }, 'query.limit', 'at most 200'],
    [{ from: '2026-02-30' }, 'query.from', ''],
  ])('refuses %o with 400 naming %s', async (query, field, words) => {
    const res = await request(stack.app).get('/v1/ledger').query(query).set('Authorization', `Bearer ${await tokenOf(['officer'])}`).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors[0].field).toBe(field);
    expect(res.body.errors[0].message).toContain(words);
    expect(res.body.detail).toContain('请求内容有误');
    const en = await request(stack.app).get('/v1/ledger').query(query).set('Authorization', `Bearer ${await tokenOf(['officer'])}`).set('Accept-Language', 'en').expect(400);
    expect(en.body.detail).toContain('The request is invalid');
  });

  it('is refused to a party and the organisation department', async () => {
    for (const roles of [['party'], ['organisation']]) {
      await request(stack.app).get('/v1/ledger').set('Authorization', `Bearer ${await tokenOf(roles)}`).expect(403);
      await request(stack.app).get('/v1/ledger/export').set('Authorization', `Bearer ${await tokenOf(roles)}`).expect(403);
    }
  });
});

describe('the ledger export (exportLedger)', () => {
  it('writes an .xlsx that LibreOffice opens, with the Chinese headers and one row per case', async () => {
    const res = await request(stack.app).get('/v1/ledger/export').set('Authorization', `Bearer ${await tokenOf(['auditor'])}`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ledger-xlsx-'));
    try {
      await fs.writeFile(path.join(dir, 'ledger.xlsx'), res.body as Buffer);
      await run('soffice', ['--headless', '--norestore', '--nolockcheck', `-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', dir, path.join(dir, 'ledger.xlsx')], { timeout: 120_000 });
      const csv = (await fs.readFile(path.join(dir, 'ledger.csv'), 'utf8')).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
      expect(csv).toHaveLength(1 + 3);
      expect(csv[0]!.split(',').map((h) => h.replace(/"/g, ''))).toEqual(LEDGER_COLUMNS.map((c) => c.header));
      expect(csv.slice(1).map((line) => line.split(',')[0]!.replace(/"/g, '')).sort()).toEqual([exemptId, ...runningIds].sort());
      // Dates are dates, in their own sheets too.
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(res.body as never);
      expect(book.worksheets.map((s) => s.name)).toEqual(['台账', '期限', '环节']);
      const opened = book.getWorksheet('台账')!.getRow(2).getCell(LEDGER_COLUMNS.findIndex((c) => c.key === 'openedOn') + 1).value;
      expect(opened).toBeInstanceOf(Date);
      expect((opened as Date).toISOString().slice(0, 10)).toBe(today);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('writes CSV with the same headers and rows', async () => {
    const res = await request(stack.app).get('/v1/ledger/export').query({ format: 'csv', outcome: 'exempt' }).set('Authorization', `Bearer ${await tokenOf(['officer'])}`).expect(200);
    expect(res.headers['content-type']).toContain('text/csv');
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(LEDGER_COLUMNS.map((c) => `"${c.header}"`).join(','));
    expect(lines[1]).toContain(exemptId);
    expect(lines[1]).toContain('"免责"');
  });

  it('refuses an export of more cases than the row limit, naming the field', async () => {
    const small = appOverStack(stack, { ledgerExportMaxRows: 2 });
    const res = await request(small).get('/v1/ledger/export').set('Authorization', `Bearer ${await tokenOf(['officer'])}`).expect(400);
    expect(res.body.errors[0]).toEqual({ field: 'query.to', message: expect.stringContaining('超过单次导出上限 2 件') });
    await request(small).get('/v1/ledger/export').query({ outcome: 'exempt' }).set('Authorization', `Bearer ${await tokenOf(['officer'])}`).expect(200);
  });
});

describe('the statistics (getStatistics)', () => {
  it('counts the cases this test made', async () => {
    const res = await request(stack.app).get('/v1/statistics').query({ from: addDays(today, -30), to: today }).set('Authorization', `Bearer ${await tokenOf(['supervisor'])}`).expect(200);
    // Three Hangzhou cases opened today: one approved, heard and exempted on 第六条(二) the same day, two at their application.
    expect(res.body).toMatchObject({
      authority: 'hz-jyj',
      cases: 3,
      applications: 3,
      exOfficio: 0,
      accepted: 1,
      refused: 0,
      outcomes: { exempt: 1, mitigated: 0, lenient: 0, denied: 0 },
      appeals: 0,
      revisions: 0,
      withdrawals: 0,
      byItem: [{ item: 'hz-6-2', article: '第六条(二)', cases: 1 }],
      byUnit: [{ unit: '某街道党工委', cases: 3 }],
      byJurisdiction: [{ jurisdiction: 'hangzhou-education', name: '杭州市教育局党员干部改革创新容错免责实施办法（试行）', cases: 3 }],
      daysToDecision: { cases: 1, median: 0, p90: 0 },
      daysToClosing: { cases: 0, median: null, p90: null },
    });
    for (const d of res.body.onTime) expect(d.rate).toBe(d.inTime / d.settled);
    const other = await request(stack.app).get('/v1/statistics').query({ from: addDays(today, -30), to: today }).set('Authorization', `Bearer ${await tokenOf(['supervisor'], 'binhai-jw')}`).expect(200);
    expect([other.body.cases, other.body.outcomes.exempt]).toEqual([1, 0]);
    const before = await request(stack.app).get('/v1/statistics').query({ from: addDays(today, -30), to: addDays(today, -1) }).set('Authorization', `Bearer ${await tokenOf(['supervisor'])}`).expect(200);
    expect(before.body.cases).toBe(0);
  });

  it('wants a period, at most five years, ending after it starts', async () => {
    const token = await tokenOf(['supervisor']);
    expect((await request(stack.app).get('/v1/statistics').set('Authorization', `Bearer ${token}`).expect(400)).body.errors.map((e: { field: string }) => e.field)).toEqual(['query.from', 'query.to']);
    expect((await request(stack.app).get('/v1/statistics').query({ from: '2026-05-01', to: '2026-01-01' }).set('Authorization', `Bearer ${token}`).expect(400)).body.errors[0].field).toBe('query.to');
    expect((await request(stack.app).get('/v1/statistics').query({ from: '2020-01-01', to: '2025-12-31' }).set('Authorization', `Bearer ${token}`).expect(400)).body.errors[0].message).toContain('五年');
  });
});

describe('the use of conclusions (listConclusionEffects)', () => {
  const ask = async (query: Record<string, string>, roles = ['organisation'], authority = 'hz-jyj') =>
    request(stack.app).get('/v1/conclusion-effects').query(query).set('Authorization', `Bearer ${await tokenOf(roles, authority, 'org-1')}`);
  const logged = async () =>
    stack.db.query<{ sub: string; status: number; case_id: string | null; event: string }>(`select sub, status, case_id, event from access_log where operation = 'listConclusionEffects' order by seq`);

  it('gives the organisation department the Hangzhou 第十条 effects of an exempted cadre, and logs the question', async () => {
    const res = await ask({ name: '王某', unit: '某街道党工委' });
    expect(res.status).toBe(200);
    expect(res.body.conclusions).toHaveLength(1);
    const [conclusion] = res.body.conclusions;
    expect(conclusion).toMatchObject({ caseId: exemptId, outcome: 'exempt', decidedOn: today, appliesFrom: today });
    const articles = conclusion.effects.map((e: { article: string }) => e.article);
    expect(articles).toEqual(expect.arrayContaining(['第十条(一)', '第十条(二)', '第十条(三)', '第十条(四)', '第十条(五)', '第十条(六)']));
    expect(conclusion.effects.find((e: { article: string }) => e.article === '第十条(一)')).toMatchObject({ text: '学校(单位)年度党建等考核中免予扣分', from: today, until: null });
    expect(await logged()).toContainEqual({ sub: 'org-1', status: 200, case_id: exemptId, event: 'CONCLUSION_EFFECTS_VIEWED' });
  });

  it('answers 404 for a cadre without a conclusion in the authority, 403 to other roles, 400 without a cadre: each logged', async () => {
    const before = (await logged()).length;
    expect((await ask({ name: '王某', unit: '某街道党工委' }, ['organisation'], 'binhai-jw')).status).toBe(404);
    expect((await ask({ name: '李某', unit: '某街道党工委' })).status).toBe(404);
    expect((await ask({ name: '王某', unit: '某街道党工委' }, ['officer'])).status).toBe(403);
    expect((await ask({ name: '王某', unit: '某街道党工委' }, ['party'])).status).toBe(403);
    const bad = await ask({ name: '王某' });
    expect([bad.status, bad.body.errors[0].field]).toEqual([400, 'query.unit']);
    const after = await logged();
    expect(after.slice(before).map((r) => r.status)).toEqual([404, 404, 403, 403, 400]);
  });
});

describe('the periodic report (issuePeriodicReport)', () => {
  const quarter = `${today.slice(0, 4)}-Q${Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1}`;

  it('issues the quarter’s 统计表 as a numbered .docx with its figures, and as .xlsx; once per period', async () => {
    const supervisor = await tokenOf(['supervisor']);
    const res = await request(stack.app).post('/v1/reports').set('Authorization', `Bearer ${supervisor}`).send({ period: quarter }).expect(201);
    expect(res.body.number).toBe(`杭教党容统〔${today.slice(0, 4)}〕1号`);
    expect(res.body.figures).toMatchObject({ cases: 3, accepted: 1, outcomes: { exempt: 1 } });
    const binary = (r: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    };
    const docx = await request(stack.app).get(res.body.files.docx).set('Authorization', `Bearer ${await tokenOf(['auditor'])}`).buffer(true).parse(binary).expect(200);
    const text = docxText(docx.body as Buffer);
    expect(text).toContain(res.body.number);
    expect(text).toContain('容错纠错工作情况统计表');
    expect(text).toContain('受理申请及启动件数：3');
    expect(text).toContain('认定免责：1');
    expect(text).toContain('杭州市纪委市监委驻市教育局纪检监察组');
    // Deadlines and items as the law words them, never their keys or ids.
    expect(res.body.figures.onTime.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/按期率：[A-Za-z]/);
    expect(text).toMatch(/按期率：[\u4e00-\u9fff]/);
    expect(res.body.figures.byItem.length).toBeGreaterThan(0);
    expect(text).not.toMatch(/hz-\d/);
    const xlsx = await request(stack.app).get(res.body.files.xlsx).set('Authorization', `Bearer ${supervisor}`).buffer(true).parse(binary).expect(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body as never);
    const rows = book.getWorksheet('统计表')!.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    expect(rows).toContainEqual(['文号', res.body.number]);
    expect(rows).toContainEqual(['受理申请及启动件数', '3']);
    const items = book.getWorksheet('按情形')!.getSheetValues().filter(Boolean).slice(1).map((r) => (r as unknown[]).slice(1));
    expect(items.length).toBe(res.body.figures.byItem.length);
    for (const [item] of items) expect(String(item)).toMatch(/^第.+条/);
    // Asked again: the same report, the same number; the series does not move.
    const again = await request(stack.app).post('/v1/reports').set('Authorization', `Bearer ${supervisor}`).send({ period: quarter }).expect(201);
    expect([again.body.documentId, again.body.number]).toEqual([res.body.documentId, res.body.number]);
    const year = await request(stack.app).post('/v1/reports').set('Authorization', `Bearer ${supervisor}`).send({ period: today.slice(0, 4) }).expect(201);
    expect(year.body.number).toBe(`杭教党容统〔${today.slice(0, 4)}〕2号`);
    // Another authority's staff do not reach it.
    await request(stack.app).get(res.body.files.docx).set('Authorization', `Bearer ${await tokenOf(['supervisor'], 'binhai-jw')}`).expect(404);
  });

  it('refuses a period that is not a quarter or a year, and anyone but a supervisor', async () => {
    const bad = await request(stack.app).post('/v1/reports').set('Authorization', `Bearer ${await tokenOf(['supervisor'])}`).send({ period: '2026-Q5' }).expect(400);
    expect(bad.body.errors[0].field).toBe('body.period');
    await request(stack.app).post('/v1/reports').set('Authorization', `Bearer ${await tokenOf(['officer'])}`).send({ period: quarter }).expect(403);
  });
});

/**
 * The figures of the README (台账 and statistics on 10,000 cases): LEDGER_BENCH=10000 copies the
 * exempted case's view (a real state, written by the case) that many times under an authority of its
 * own, then times the ledger, the statistics and the export over HTTP. Off in `npm test` (it writes
 * 10,000 rows); bench:load has the same figures over a running topology (phase ledger).
 */
const BENCH_CASES = Number(process.env.LEDGER_BENCH ?? 0);
(BENCH_CASES > 0 ? describe : describe.skip)(`the ledger over ${BENCH_CASES} cases`, () => {
  it('answers a page, a filtered page, the statistics and the export, and says how fast', async () => {
    await stack.db.query(
      `insert into case_views (case_id, authority, version, closed, state, saved_at, jurisdiction, stage, matter, recusals, assignee, team, waiting, waiting_roles, opened_on, outcome, figures)
       select 'case-bench-' || g, 'bench-jw', version, closed, jsonb_set(jsonb_set(state, '{caseId}', to_jsonb('case-bench-' || g)), '{outcome}', to_jsonb((array['exempt','denied','lenient','mitigated'])[1 + g % 4])),
              saved_at, jurisdiction, stage, matter, recusals, assignee, team, waiting, waiting_roles, opened_on, (array['exempt','denied','lenient','mitigated'])[1 + g % 4],
              jsonb_set(jsonb_set(figures, '{caseId}', to_jsonb('case-bench-' || g)), '{outcome}', to_jsonb((array['exempt','denied','lenient','mitigated'])[1 + g % 4]))
         from case_views, generate_series(1, $2::int) g where case_id = $1`,
      [exemptId, BENCH_CASES],
    );
    const token = await tokenOf(['supervisor'], 'bench-jw');
    const time = async (url: string, n: number) => {
      const out: number[] = [];
      let body: Record<string, unknown> = {};
      for (let i = 0; i < n; i += 1) {
        const t = performance.now();
        const res = await request(stack.app).get(url).set('Authorization', `Bearer ${token}`).expect(200);
        out.push(performance.now() - t);
        body = res.body;
      }
      out.sort((a, b) => a - b);
      return { p50: out[Math.floor(n / 2)]!, max: out.at(-1)!, body };
    };
    const period = `from=${addDays(today, -30)}&to=${today}`;
    const page = await time(`/v1/ledger?${period}&limit=50`, 10);
    const filtered = await time(`/v1/ledger?${period}&outcome=exempt&overdue=false&limit=50&offset=2400`, 10);
    const stats = await time(`/v1/statistics?${period}`, 5);
    const csv = await time(`/v1/ledger/export?${period}&format=csv`, 1);
    const xlsx = await time(`/v1/ledger/export?${period}&format=xlsx`, 1);
    expect(page.body.total).toBe(BENCH_CASES);
    expect(stats.body.cases).toBe(BENCH_CASES);
    process.stdout.write(
      [
        `ledger bench, ${BENCH_CASES} cases:`,
        `  GET /v1/ledger page of 50: p50 ${page.p50.toFixed(0)} ms, max ${page.max.toFixed(0)} ms`,
        `  GET /v1/ledger filtered (outcome, overdue), offset 2400: p50 ${filtered.p50.toFixed(0)} ms, max ${filtered.max.toFixed(0)} ms`,
        `  GET /v1/statistics: p50 ${stats.p50.toFixed(0)} ms, max ${stats.max.toFixed(0)} ms`,
        `  export csv: ${csv.p50.toFixed(0)} ms; export xlsx: ${xlsx.p50.toFixed(0)} ms`,
        '',
      ].join('\n'),
    );
    for (const figure of [page, filtered, stats]) expect(figure.p50).toBeLessThan(1_000);
  }, 600_000);
});

describe('典型案例 (draftTypicalCase, reviewTypicalCase)', () => {
  it('drafts an anonymised summary of the conclusion, a supervisor edits and publishes it, and the published text is kept', async () => {
    const officer = await tokenOf(['officer']);
    const supervisor = await tokenOf(['supervisor']);
    await request(stack.app).post(`/v1/cases/${runningIds[0]}/typical-case`).set('Authorization', `Bearer ${officer}`).expect(409);
    const draft = await request(stack.app).post(`/v1/cases/${exemptId}/typical-case`).set('Authorization', `Bearer ${officer}`).expect(201);
    const text: string = draft.body.draft;
    expect(text).not.toContain('王某');
    expect(text).not.toContain('某街道党工委');
    expect(text).toContain('某党工委');
    expect(text).toContain(`${today.slice(0, 4)}年${Number(today.slice(5, 7))}月`);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\d|\d+月\d+日/);
    expect(text).toContain('第六条(二)');
    expect(text).toContain('推进集团化办学改革中出现失误');
    expect(draft.body.status).toBe('draft');
    await request(stack.app).put(`/v1/cases/${exemptId}/typical-case`).set('Authorization', `Bearer ${officer}`).send({ text: '改', publish: true }).expect(403);
    const edited = `${text}\n（经审核编辑）`;
    const published = await request(stack.app).put(`/v1/cases/${exemptId}/typical-case`).set('Authorization', `Bearer ${supervisor}`).send({ text: edited, publish: true, scope: '全市教育系统' }).expect(200);
    expect(published.body).toMatchObject({ status: 'published', text: edited, draft: text, scope: '全市教育系统', reviewedBy: { sub: 'u-supervisor' } });
    await request(stack.app).put(`/v1/cases/${exemptId}/typical-case`).set('Authorization', `Bearer ${supervisor}`).send({ text: '再改', publish: true }).expect(409);
    await request(stack.app).post(`/v1/cases/${exemptId}/typical-case`).set('Authorization', `Bearer ${officer}`).expect(409);
    await expect(stack.db.query(`update typical_cases set text = 'x' where case_id = $1`, [exemptId])).rejects.toThrow(/kept as published/);
    const kept = await request(stack.app).get(`/v1/cases/${exemptId}/typical-case`).set('Authorization', `Bearer ${await tokenOf(['auditor'])}`).expect(200);
    expect(kept.body.text).toBe(edited);
    await request(stack.app).get(`/v1/cases/${exemptId}/typical-case`).set('Authorization', `Bearer ${await tokenOf(['auditor'], 'binhai-jw')}`).expect(404);
  });
});
