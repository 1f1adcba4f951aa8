/**
 * 规则管理 in a real browser (Debian's Chromium through playwright-core),
 * against the API serving the built console on the time-skipping server, so
 * "tomorrow" comes in seconds (the API's clock follows the server's). The test
 * of issue 32 through the pages: a rulebook administrator uploads the sixth
 * 办法's 2026 revision with a misquoted 第五条 and sees the problem with its
 * line, uploads the fixed file; a second administrator compares it with the
 * version in force, dry-runs it (deadlines and documents as tables) and
 * approves it from tomorrow, which its submitter may not; the next day an
 * officer's 立案 page offers it, the case opened there runs to its end with its
 * document, and a case of the 2025 version opened the day before runs on
 * unchanged. Pages are photographed into test-results/console/ and checked
 * with axe-core.
 */
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { addDays, beijingDate, beijingMidnight, type IsoDate } from '../../domain/calendar';
import { signDevToken } from '../../scripts/token';
import { loadStatutoryCalendar } from '../../services/calendar/statutory-calendar';
import { DryRunner } from '../../services/rulebooks/dry-run';
import type { Db } from '../../store/db';
import { createCaseWorker } from '../../worker/worker';
import { fixture, withQingshan } from '../rulebooks/fixtures/qingshan/authority';
import { launchConsoleBrowser, type ConsoleBrowser } from '../support/browser';
import { eventually } from '../support/eventually';
import { testDataConverter, testMatterIndex } from '../support/keys';
import { freePort } from '../support/ports';
import { openTestDb } from '../support/test-db';
import { startTimeSkippingServer, uniqueTaskQueue, workflowBundle } from '../support/temporal';
import { temporalTestServerPath } from '../support/tools';

const SHOTS = path.join(__dirname, '..', '..', 'test-results', 'console');
const secret = new TextEncoder().encode('test-secret-rulebook-console-0123456789abcdef');

let env: TestWorkflowEnvironment;
let db: Db;
let worker: Worker;
let running: Promise<void>;
let server: Server;
let base: string;
let context: BrowserContext;
let browser: ConsoleBrowser | undefined;
let clock = Date.now();
const sync = async () => {
  clock = await env.currentTimeMs();
};
const violations: string[] = [];
const accessibility: string[] = [];
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

beforeAll(async () => {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'console', 'index.html'))) throw new Error('the console is not built: npm run build');
  [env, db] = await Promise.all([startTimeSkippingServer(), openTestDb()]);
  const authorities = withQingshan();
  const taskQueue = uniqueTaskQueue('rulebook-console');
  worker = await createCaseWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    dependencies: { db, client: env.client, authorities },
    dataConverter: testDataConverter,
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
  await sync();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const app = createApp({
    client: env.client,
    db,
    verifyToken: createVerifier({ kind: 'secret', secret }),
    taskQueue,
    namespace: env.namespace ?? 'default',
    baseUrl: base,
    logger: pino({ level: 'silent' }),
    writesPerMinute: 100_000,
    matterIndex: testMatterIndex,
    authorities,
    signIn: { kind: 'development', secret },
    dryRuns: new DryRunner({ testServerPath: temporalTestServerPath, workflowBundle, db, authorities }),
    now: () => clock,
    stepWaitMs: 60_000,
  });
  server = app.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launchConsoleBrowser({ viewport: { width: 1280, height: 900 } });
  context = browser.context;
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  worker?.shutdown();
  await running;
  await Promise.all([env?.teardown(), db?.close()]);
});

async function newPage(): Promise<Page> {
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });
  await page.addInitScript({
    content: "document.addEventListener('securitypolicyviolation', (e) => console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));",
  });
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(AXE);
  const result = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => ({ passed: r.passes.length, violations: r.violations.map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')) }))",
  )) as { passed: number; violations: string[] };
  expect([name, result.passed > 10]).toEqual([name, true]);
  accessibility.push(...result.violations.map((f) => `${name}: ${f}`));
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** The development sign-in, as the console offers it: the authority, the roles, the user. */
async function signIn(page: Page, who: { sub: string; name: string; roles: string[]; authority: string }): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: '登录容错免责办案工作台' }).waitFor();
  await page.getByLabel('所属机关').selectOption(who.authority);
  for (const role of ['officer', 'supervisor', 'auditor', 'admin', 'system-admin', 'rulebook-admin']) {
    const box = page.locator(`input[name="roles"][value="${role}"]`);
    if ((await box.isChecked()) !== who.roles.includes(role)) await box.click();
  }
  await page.getByLabel('用户标识').fill(who.sub);
  await page.getByLabel('姓名').fill(who.name);
  await page.getByRole('button', { name: '登录' }).click();
  // Officers and supervisors land on 我的待办 (issue 27), everyone else on the 工作台.
  const landing = who.roles.some((r) => r === 'officer' || r === 'supervisor') ? '我的待办' : '工作台';
  await page.getByRole('heading', { name: landing, exact: true }).waitFor();
}

/** Reloads the case page (刷新) until `holds`: the case counts its first deadline after it opens. */
async function eventuallyOnPage(page: Page, holds: () => Promise<boolean>, what: string): Promise<void> {
  const started = Date.now();
  while (!(await holds())) {
    if (Date.now() - started > 60_000) {
      await page.screenshot({ path: path.join(SHOTS, 'rulebook-failure.png'), fullPage: true });
      throw new Error(`timed out waiting for ${what} (test-results/console/rulebook-failure.png)`);
    }
    const refresh = page.getByRole('button', { name: '刷新' });
    if (await refresh.count()) await refresh.click();
    await page.waitForTimeout(500);
  }
}

const contains = (locator: Locator, text: string) => locator.filter({ hasText: text }).first().waitFor({ timeout: 60_000 });

/** A file the page's file input takes, as the fixture has it (or changed). */
const upload = (name: string, text: string) => ({ name, mimeType: name.endsWith('.txt') ? 'text/plain' : 'application/yaml', buffer: Buffer.from(text, 'utf8') });

const token = (sub: string, roles: string[], authority = 'qingshan-jw') => signDevToken(secret, { sub, name: '测试', roles, authority });

/** Takes a step over the API once the case offers it (the case's pages are tested in console.browser.ts). */
async function act(t: string, caseId: string, action: string, body: Record<string, unknown>): Promise<void> {
  const http = request(server);
  await eventually(async () => {
    const res = await http.get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${t}`);
    expect(res.body.availableActions?.map((a: { name: string }) => a.name)).toContain(action);
  }, 60_000);
  const res = await http.post(`/v1/cases/${caseId}/actions/${action}`).set('Authorization', `Bearer ${t}`).send(body);
  expect([action, res.status, res.body.detail]).toEqual([action, 200, undefined]);
}

async function runToEnd(caseId: string, item: string, day: IsoDate): Promise<void> {
  const officer = await token('qs-officer', ['officer']);
  const supervisor = await token('qs-supervisor', ['supervisor']);
  await act(officer, caseId, 'appointInvestigationGroup', { appointedOn: day, members: [{ name: '孙核查', declaresNoConflict: true }, { name: '钱核查', declaresNoConflict: true }] });
  await act(officer, caseId, 'submitInvestigationReport', { submittedOn: day, findings: '未谋取私利', recommendation: 'exempt', circumstances: [item], mitigating: [] });
  await act(supervisor, caseId, 'recordDetermination', { decidedOn: day, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: [item], mitigating: [], conditions: [], exclusions: [], reasons: '符合第三条', complex: false });
  await act(officer, caseId, 'serveNotice', { servedOn: day, servedTo: ['subject'] });
}

it('puts the sixth 办法’s revision in force through 规则管理, and a case opened on it the next day runs to its end', async () => {
  const http = request(server);
  const day0 = beijingDate(clock);
  const tomorrow = addDays(day0, 1);

  // The 2025 version is in force (submitted and approved over the API), with a case of it under way.
  const author = await token('rb-author', ['rulebook-admin']);
  const approver = await token('rb-approver', ['rulebook-admin']);
  const v1 = await http.post('/v1/rulebook-versions').set('Authorization', `Bearer ${author}`).send({ file: fixture('2025.yaml'), regulation: fixture('qingshan-2025.txt') }).expect(201);
  await http.post(`/v1/rulebook-versions/${v1.body.versionId}/approval`).set('Authorization', `Bearer ${approver}`).send({ inForceFrom: day0 }).expect(200);
  const apiOfficer = await token('qs-officer', ['officer']);
  const openedA = await http
    .post('/v1/cases')
    .set('Authorization', `Bearer ${apiOfficer}`)
    .send({ jurisdiction: 'qingshan', subject: { name: '张某', organisation: '青山区某局' }, matter: '项目先期投入未达预期', accountability: { reference: '青纪问〔2026〕1号' }, eventDate: day0 })
    .expect(201);
  const caseA = openedA.body.id as string;
  await act(apiOfficer, caseA, 'fileApplication', { filedBy: 'subject', receivedOn: day0, summary: '申请容错' });

  // ---- The author uploads the revision with 第五条 misquoted: the problem, with its line ----
  const authorPage = await newPage();
  await signIn(authorPage, { sub: 'rb-author', name: '李规则', roles: ['rulebook-admin'], authority: 'qingshan-jw' });
  await authorPage.getByRole('link', { name: '规则管理', exact: true }).click();
  await authorPage.getByRole('heading', { name: '规则管理', exact: true }).waitFor();
  await contains(authorPage.locator('tr[data-version]'), '2025');
  const revision = fixture('2026.yaml');
  const misquoted = revision.text.replace('可以在收到问责告知之日起七个工作日内，向区纪委监委提出书面容错申请\n        reading', '可以在收到问责告知之日起七日内，向区纪委监委提出书面容错申请\n        reading');
  await authorPage.locator('#rulebook-file').setInputFiles(upload('2026.yaml', misquoted));
  await authorPage.locator('#regulation-file').setInputFiles(upload('qingshan-2026.txt', fixture('qingshan-2026.txt').text));
  await authorPage.getByRole('button', { name: '提交检查' }).click();
  const problem = authorPage.locator('.problems li[data-path="steps.0.deadline.basis.quote"]');
  await contains(problem, '第五条');
  const line = misquoted.split('\n').findIndex((l) => l.includes('七日内')) + 1;
  await contains(problem, `第 ${line} 行`);
  await contains(problem.locator('pre.file-line'), '七日内');
  await shot(authorPage, 'rulebook-admin-problems');

  // Fixed, it is submitted.
  await authorPage.locator('#rulebook-file').setInputFiles(upload('2026.yaml', revision.text));
  await authorPage.getByRole('button', { name: '提交检查' }).click();
  await contains(authorPage.locator('p.ok'), '全部检查通过');
  await contains(authorPage.locator('tr[data-version]'), '待批准');
  // Its author may not approve it (four eyes).
  await authorPage.locator('#in-force-from').fill(tomorrow);
  await authorPage.getByRole('button', { name: '批准生效' }).click();
  await contains(authorPage.locator('p.error'), '提交人不得批准');

  // ---- A second administrator compares, dry-runs and approves it from tomorrow ----
  const approverPage = await newPage();
  await signIn(approverPage, { sub: 'rb-approver', name: '赵审核', roles: ['rulebook-admin'], authority: 'qingshan-jw' });
  await approverPage.getByRole('link', { name: '规则管理', exact: true }).click();
  const row = approverPage.locator('tr[data-version]').filter({ hasText: '待批准' });
  await row.getByRole('button', { name: /查看/ }).click();
  await approverPage.getByRole('button', { name: '比较差异' }).click();
  const periods = approverPage.getByRole('table', { name: '期限的变化' });
  await contains(periods.locator('tr'), '10个工作日（第五条）');
  await contains(periods.locator('tr'), '7个工作日（第五条）');
  await contains(approverPage.getByRole('table', { name: '情形的变化' }).locator('tr'), '第三条(五)');

  await approverPage.locator('#opening-date').fill(tomorrow);
  await approverPage.getByRole('button', { name: '试运行', exact: true }).click();
  const deadlines = approverPage.getByRole('table', { name: '试运行的期限' });
  const calendar = await loadStatutoryCalendar({ db });
  const window = calendar.deadline(tomorrow, { amount: 7, unit: 'workingDays' }).deadline;
  const [y, m, d] = window.split('-').map(Number);
  await contains(deadlines.locator('tr[data-key="application"]'), `${y}年${m}月${d}日`);
  await contains(deadlines.locator('tr[data-key="application"]'), '第五条');
  await contains(approverPage.getByRole('table', { name: '试运行的文书' }).locator('tr'), '容错免责认定书');
  await contains(approverPage.locator('#dry-run-result'), '办结（免责）');
  await shot(approverPage, 'rulebook-admin-dry-run');

  await approverPage.locator('#in-force-from').fill(tomorrow);
  await approverPage.getByRole('button', { name: '批准生效' }).click();
  await contains(approverPage.locator('p.ok'), '已批准');
  await contains(approverPage.locator('tr[data-version]'), '已批准');
  await contains(approverPage.locator('#audit ~ table tr'), '批准生效');
  await shot(approverPage, 'rulebook-admin-approved');

  // ---- The next day: 立案 offers the revision ----
  await env.sleep(beijingMidnight(tomorrow) + 9 * 3_600_000 - (await env.currentTimeMs()));
  await sync();
  expect(beijingDate(clock)).toBe(tomorrow);
  const officerPage = await newPage();
  await signIn(officerPage, { sub: 'qs-officer', name: '陈办案', roles: ['officer'], authority: 'qingshan-jw' });
  await officerPage.getByRole('link', { name: '立案' }).click();
  await officerPage.getByRole('heading', { name: '立案' }).waitFor();
  // The jurisdiction it is bound to, in the version in force today: the revision, not the 2025 version.
  await officerPage.locator('#jurisdiction option[value="qingshan"]').waitFor({ state: 'attached' });
  expect(await officerPage.locator('#jurisdiction option').allTextContents()).toEqual(['青山区干部担当作为容错纠错办法（中共青山区纪律检查委员会）']);
  await officerPage.getByLabel('姓名', { exact: true }).fill('王某');
  await officerPage.getByLabel('所在单位（党组织）').fill('青山区某街道党工委');
  await officerPage.getByLabel('事项（不得写入姓名、身份证号）').fill('为便利群众简化审批程序');
  await officerPage.getByLabel('问责文书文号').fill('青纪问〔2026〕5号');
  await officerPage.getByLabel('收到问责告知之日').fill(day0);
  await officerPage.getByRole('button', { name: '立案' }).click();
  // Check your answers, then 立案.
  await officerPage.getByRole('button', { name: '确认立案' }).click();
  await officerPage.getByRole('heading', { name: /^案件 case-qingshan-/ }).waitFor();
  const caseB = (await officerPage.getByRole('heading', { name: /^案件 case-qingshan-/ }).textContent())!.replace('案件 ', '').trim();
  await eventuallyOnPage(officerPage, async () => ((await officerPage.locator('.deadlines').textContent()) ?? '').includes('第五条'), 'the application window of 第五条');
  await contains(officerPage.locator('.deadlines'), '7个工作日');

  // ---- Both run to their end, each under its own version ----
  await act(apiOfficer, caseB, 'fileApplication', { filedBy: 'subject', receivedOn: tomorrow, summary: '申请容错' });
  await runToEnd(caseA, 'qs-3-1', tomorrow);
  await runToEnd(caseB, 'qs-3-5', tomorrow);
  await env.sleep(40 * 86_400_000);
  await sync();
  for (const id of [caseA, caseB]) await act(apiOfficer, id, 'archiveCase', { archivedOn: beijingDate(clock), reference: `青纪档〔2027〕${id === caseA ? 1 : 2}号` });
  for (const [id, title, version] of [
    [caseA, '容错认定书', '2025'],
    [caseB, '容错免责认定书', '2026'],
  ] as const) {
    const state = await eventually(async () => {
      const res = await http.get(`/v1/cases/${id}`).set('Authorization', `Bearer ${apiOfficer}`);
      expect(res.body.closed).toBe(true);
      return res.body;
    }, 60_000);
    expect([state.rulebookVersion, state.outcome, state.documents.map((doc: { title: string }) => doc.title)]).toEqual([version, 'exempt', [title]]);
  }
  await officerPage.goto(`${base}/#/cases/${caseB}`);
  await eventuallyOnPage(officerPage, async () => ((await officerPage.locator('body').textContent()) ?? '').includes('容错免责认定书'), 'the 容错免责认定书 on the case page');
  await shot(officerPage, 'rulebook-case-closed');

  expect(violations).toEqual([]);
  expect(accessibility).toEqual([]);
}, 300_000);
