/**
 * 统计 and 台账 in a real browser (Chromium, playwright-core) over the real stack: cases of two
 * jurisdictions opened here through the API (Binhai's authority and Hangzhou's), then each authority's
 * supervisor opens the statistics page and the ledger, and the figures on screen, the charts (drawn by
 * ECharts as SVG) and the numbers one click away under each chart (查看数据) are checked against the
 * cases this test made; axe-core finds nothing on the statistics page. Binhai's 纪委 is configured over
 * two street 纪工委 (test/support/subordinate-authorities.ts): its supervisor's totals over them are the
 * sum of theirs. The organisation department signs in to 结果运用, the one page it may use.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { beijingDate } from '../../domain/calendar';
import { launchConsoleBrowser, type ConsoleBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import { freePort } from '../support/ports';
import { STACK_SECRET, startStack, type Stack } from '../support/stack';
import { SUBORDINATES, withSubordinates } from '../support/subordinate-authorities';

let stack: Stack;
let server: Server;
let base: string;
let context: BrowserContext;
let browser: ConsoleBrowser | undefined;
const today = beijingDate(Date.now());
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** What axe-core (WCAG 2 A and AA) finds on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => ({ passed: r.passes.length, violations: r.violations.map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')) }))",
  )) as { passed: number; violations: string[] };
  expect(result.passed).toBeGreaterThan(10);
  return result.violations;
}

/** A chart as drawn: its summary (the image's name), the labels its SVG shows, and the rows of its numbers once 查看数据 is opened. */
async function chart(page: Page, id: string): Promise<{ summary: string; svgText: string; bars: number; rows: string[][] }> {
  const figure = page.locator(`figure[data-chart="${id}"]`);
  const image = figure.locator('[role="img"]');
  await image.locator('svg text').first().waitFor();
  const summary = (await image.getAttribute('aria-label')) ?? '';
  const svgText = (await image.locator('svg text').allTextContents()).join(' ');
  // The bars: ECharts draws each as a path within the grid; more than the axes' own lines.
  const bars = await image.locator('svg path').count();
  const table = figure.getByRole('table');
  expect(await table.isVisible()).toBe(false);
  await figure.getByText('查看数据').click();
  await table.waitFor({ state: 'visible' });
  const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
  return { summary, svgText, bars, rows };
}

beforeAll(async () => {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'console', 'index.html'))) throw new Error('the console is not built: npm run build');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  stack = await startStack({ app: { baseUrl: base, signIn: { kind: 'development', secret: STACK_SECRET }, authorities: withSubordinates() } });
  server = stack.app.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  browser = await launchConsoleBrowser({ viewport: { width: 1280, height: 800 } });
  context = browser.context;
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await stack?.stop();
});

async function open(jurisdiction: string, authority: string, organisation: string): Promise<string> {
  const token = await stack.token({ roles: ['officer'], authority, sub: 'seed-officer', name: '李办案' });
  const res = await fetch(`${base}/v1/cases`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ jurisdiction, subject: { name: '王某', organisation }, matter: '改革试点中的程序瑕疵', accountability: { reference: '问〔2026〕1号' }, eventDate: today }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

async function signIn(page: Page, who: { sub: string; name: string; roles: string[]; authority: string }, landing = '我的待办'): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: '登录容错免责办案工作台' }).waitFor();
  await page.getByLabel('所属机关').selectOption(who.authority);
  for (const role of ['officer', 'supervisor', 'auditor', 'admin', 'system-admin', 'organisation', 'party']) {
    const box = page.locator(`input[name="roles"][value="${role}"]`);
    if ((await box.isChecked()) !== who.roles.includes(role)) await box.click();
  }
  await page.getByLabel('用户标识').fill(who.sub);
  await page.getByLabel('姓名').fill(who.name);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: landing, exact: true }).waitFor();
}

/** Waits until the archive holds this many views of the authority's cases. */
async function viewsOf(authority: string, count: number): Promise<void> {
  const token = await stack.token({ roles: ['supervisor'], authority, sub: 'probe' });
  await eventually(async () => {
    const res = await fetch(`${base}/v1/ledger`, { headers: { Authorization: `Bearer ${token}` } });
    const { total } = (await res.json()) as { total: number };
    if (total !== count) throw new Error(`${authority}: ${total} of ${count} views`);
  }, 60_000);
}

it('shows each authority’s figures and ledger as the cases made', async () => {
  const binhai = [await open('binhai', 'binhai-jw', '某街道党工委'), await open('binhai', 'binhai-jw', '某区发改委')];
  const hangzhou = [await open('hangzhou-education', 'hz-jyj', '某中学')];
  // The views are in the archive once each case has written its own.
  await viewsOf('binhai-jw', binhai.length);
  await viewsOf('hz-jyj', hangzhou.length);
  for (const [authority, ids, units] of [['binhai-jw', binhai, ['某街道党工委', '某区发改委']], ['hz-jyj', hangzhou, ['某中学']]] as const) {
    const page = await context.newPage();
    await signIn(page, { sub: `sup-${authority}`, name: '张审核', roles: ['supervisor'], authority });
    await page.getByRole('link', { name: '统计', exact: true }).click();
    await page.getByRole('heading', { name: '统计' }).waitFor();
    await page.locator('[data-figure="cases"]').waitFor();
    expect(await page.locator('[data-figure="cases"]').textContent()).toBe(String(ids.length));
    expect(await page.locator('[data-figure="applications"]').textContent()).toBe(String(ids.length));
    expect(await page.locator('[data-figure="outcome-exempt"]').textContent()).toBe('0');
    // Each unit one case: the chart names every unit and says so, and its numbers, one click away, are the cases made.
    const byUnit = await chart(page, 'byUnit');
    for (const unit of units) {
      expect(byUnit.svgText).toContain(unit);
      expect(byUnit.summary).toContain(`${unit} 1 件`);
    }
    expect(byUnit.bars).toBeGreaterThan(units.length);
    expect(byUnit.rows.sort()).toEqual(units.map((u) => [u, '1']).sort());
    const outcomes = await chart(page, 'outcomes');
    expect(outcomes.rows).toEqual([['免责', '0'], ['减轻', '0'], ['从轻', '0'], ['不予免责', '0']]);
    expect(outcomes.svgText).toContain('不予免责');
    const byJurisdiction = await chart(page, 'byJurisdiction');
    expect(byJurisdiction.rows).toEqual([[authority === 'hz-jyj' ? '杭州市教育局党员干部改革创新容错免责实施办法（试行）' : '滨海新区容错免责实施办法（试行）', String(ids.length)]]);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('link', { name: '台账', exact: true }).click();
    await page.getByRole('heading', { name: '台账' }).waitFor();
    await page.locator('table.ledger tbody tr').first().waitFor();
    expect(await page.locator('table.ledger tbody tr').count()).toBe(ids.length);
    const shown = await page.locator('table.ledger tbody tr td:first-child').allTextContents();
    expect(shown.sort()).toEqual([...ids].sort());
    await page.close();
  }
});

it('shows a superior body’s totals over its two subordinates as the sum of theirs', async () => {
  const [tanggu, xinhe] = SUBORDINATES;
  const opened = { [tanggu.id]: ['塘沽街道某社区党委', '塘沽街道城管科'], [xinhe.id]: ['新河街道某社区党委'] };
  for (const [authority, units] of Object.entries(opened)) {
    for (const unit of units) await open('binhai', authority, unit);
    await viewsOf(authority, units.length);
  }
  const page = await context.newPage();
  await signIn(page, { sub: 'sup-binhai-superior', name: '张审核', roles: ['supervisor'], authority: 'binhai-jw' });
  await page.getByRole('link', { name: '统计', exact: true }).click();
  await page.locator('[data-figure="cases"]').waitFor();
  await page.getByLabel('统计范围').selectOption('subordinates');
  const bySubordinate = await chart(page, 'bySubordinate');
  const cases = (name: string) => Number(bySubordinate.rows.find((r) => r[0] === name)?.[1]);
  expect(bySubordinate.rows.map((r) => r[0])).toEqual([tanggu.name, xinhe.name, '合计']);
  expect([cases(tanggu.name), cases(xinhe.name)]).toEqual([2, 1]);
  // The 合计 row and the totals' own table: the sum of theirs, and the superior's own two cases in neither.
  expect(cases('合计')).toBe(cases(tanggu.name) + cases(xinhe.name));
  expect(await page.locator('[data-figure="cases"]').textContent()).toBe('3');
  expect(bySubordinate.summary).toContain(`${xinhe.name} 1 件`);
  const units = await chart(page, 'byUnit');
  expect(units.rows.sort()).toEqual([['塘沽街道城管科', '1'], ['塘沽街道某社区党委', '1'], ['新河街道某社区党委', '1']]);
  expect(await axeViolations(page)).toEqual([]);
  // One subordinate alone: its own figures.
  await page.getByLabel('统计范围').selectOption(tanggu.id);
  await page.getByRole('heading', { name: tanggu.name }).waitFor();
  expect(await page.locator('[data-figure="cases"]').textContent()).toBe('2');
  await page.close();
});

it('signs the organisation department in to 结果运用, its one page', async () => {
  const page = await context.newPage();
  await signIn(page, { sub: 'org-binhai', name: '刘组织', roles: ['organisation'], authority: 'binhai-jw' }, '结果运用');
  expect(await page.getByRole('navigation', { name: '主导航' }).getByRole('link').allTextContents()).toEqual(['结果运用']);
  await page.getByRole('textbox', { name: '姓名' }).fill('王某');
  await page.getByRole('textbox', { name: '单位' }).fill('某街道党工委');
  await page.getByRole('button', { name: '查询' }).click();
  // None of the cases made here is concluded: the API's 404, said on the page.
  await page.getByText('该干部在本机关无容错认定结论').waitFor();
  await page.getByRole('radio', { name: '当事人账号' }).check();
  await page.getByRole('button', { name: '查询' }).click();
  await page.locator('.field-error').first().waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.close();
});
