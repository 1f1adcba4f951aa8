/**
 * The console (办案工作台) in a real browser: Debian's Chromium, driven by
 * playwright-core, against the real stack (Temporal dev server, worker,
 * archive database, the API serving the built console). People sign in with
 * the development sign-in, as the embedded default offers it, and do a
 * Binhai case's work through the pages: an officer opens the case, binds the
 * subject's own account to it, files the application, claims the case in
 * 我的待办 and finds its next step there, and sees a step refused with its
 * article; a supervisor finds the deliberation in its 我的待办 and its inbox,
 * and records the determination; the subject signs in as a party, sees only
 * its own case and cannot open another, acknowledges the conclusion in its
 * inbox and files its appeal online with a receipt; an auditor reads and
 * exports who looked at the case; the decision document is
 * downloaded and its hash checked; the officer's calendar feed carries the
 * case's deadline; an authority's admin checks a year's holiday schedule and
 * the system administrator loads it. Every page is photographed into
 * test-results/console/ (git-ignored).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import ICAL from 'ical.js';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { addDays, beijingDate } from '../../domain/calendar';
import { docxOf, pdfOf, scanOf } from '../support/material-files';
import { launchConsoleBrowser, type ConsoleBrowser } from '../support/browser';
import { freePort } from '../support/ports';
import { STACK_SECRET, startStack, type Stack } from '../support/stack';

const SHOTS = path.join(__dirname, '..', '..', 'test-results', 'console');
const README_SHOTS = path.join(__dirname, '..', '..', 'docs');

let stack: Stack;
let server: Server;
let base: string;
let context: BrowserContext;
let uploads: string;
let browser: ConsoleBrowser | undefined;
/** What the browser reported against the Content-Security-Policy, on any page. */
const violations: string[] = [];

beforeAll(async () => {
  if (!fs.existsSync(path.join(__dirname, '..', '..', 'dist', 'console', 'index.html'))) throw new Error('the console is not built: npm run build');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  stack = await startStack({ app: { baseUrl: base, signIn: { kind: 'development', secret: STACK_SECRET } } });
  server = stack.app.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  // This run's pictures only.
  fs.rmSync(SHOTS, { recursive: true, force: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  // Files the test uploads (materials, a schedule) are written here.
  uploads = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-console-files-'));
  browser = await launchConsoleBrowser({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  context = browser.context;
});

afterAll(async () => {
  await browser?.close();
  if (uploads) fs.rmSync(uploads, { recursive: true, force: true });
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await stack?.stop();
});

/** A new tab: its own sessionStorage, so its own signed-in user. */
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

/** What axe-core (WCAG 2 A and AA: labels, names, contrast, structure) finds on each page photographed. */
const accessibility: string[] = [];
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function audit(page: Page, name: string): Promise<void> {
  // Evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern.
  await page.evaluate(AXE);
  const result = (await page.evaluate(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) => ({ passed: r.passes.length, violations: r.violations.map((v) => v.id + ': ' + v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')) }))",
  )) as { passed: number; violations: string[] };
  // The audit ran (its checks passed somewhere), and found nothing.
  expect([name, result.passed > 10]).toEqual([name, true]);
  accessibility.push(...result.violations.map((f) => `${name}: ${f}`));
}

async function shot(page: Page, name: string, readme = false): Promise<void> {
  await audit(page, name);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  if (readme) await page.screenshot({ path: path.join(README_SHOTS, `console-${name}.png`) });
}

async function signIn(page: Page, who: { sub: string; name: string; roles: string[]; authority?: string }): Promise<void> {
  await page.goto(`${base}/`);
  await page.getByRole('heading', { name: '登录容错免责办案工作台' }).waitFor();
  await page.getByLabel('所属机关').selectOption(who.authority ?? 'binhai-jw');
  for (const role of ['officer', 'supervisor', 'auditor', 'admin', 'system-admin', 'party']) {
    const box = page.locator(`input[name="roles"][value="${role}"]`);
    if ((await box.isChecked()) !== who.roles.includes(role)) await box.click();
  }
  await page.getByLabel('用户标识').fill(who.sub);
  await page.getByLabel('姓名').fill(who.name);
  await page.getByRole('button', { name: '登录' }).click();
  // The landing page: 我的待办 for officers and supervisors, a party's own cases, the 工作台 for everyone else.
  const landing = who.roles.includes('party') ? '我的案件' : who.roles.some((r) => r === 'officer' || r === 'supervisor') ? '我的待办' : '工作台';
  await page.getByRole('heading', { name: landing, exact: true }).waitFor();
}

/** Loads the page again until `holds`: for pages without a 刷新 button (a party's, the inbox). */
async function reloadUntil(page: Page, heading: string, holds: () => Promise<boolean>, what: string): Promise<void> {
  await expectEventually(
    page,
    async () => {
      if (await holds()) return true;
      await page.reload();
      await page.getByRole('heading', { name: heading }).first().waitFor();
      return holds();
    },
    what,
  );
}

/** The form of a step on the case page, opened; it appears once the case offers the step. */
async function step(page: Page, action: string): Promise<Locator> {
  const box = page.locator(`details.step-box[data-action="${action}"]`);
  await expectEventually(page, async () => (await box.count()) > 0, `the step ${action} to be offered`);
  if ((await box.getAttribute('open')) === null) await box.locator('summary').click();
  await box.locator('form').waitFor();
  return box;
}

/** Reloads the case page (刷新) until `holds`: the case moves on by itself after a step (documents, notices). */
async function expectEventually(page: Page, holds: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const started = Date.now();
  while (!(await holds())) {
    if (Date.now() - started > timeoutMs) {
      // What the page showed instead is the first thing to look at.
      await page.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true });
      throw new Error(`timed out waiting for ${what} (the page as it was: test-results/console/failure.png)`);
    }
    const refresh = page.getByRole('button', { name: '刷新' });
    if (await refresh.count()) await refresh.click();
    await page.waitForTimeout(500);
  }
}

/**
 * Waits for `holds` while the page follows the case by itself: no 刷新, no reload (a marker set on the
 * window survives), and no retry notice on the way (each effect here succeeds at its first attempt).
 */
async function followed(page: Page, holds: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  await page.evaluate('window.__notReloaded = true');
  const started = Date.now();
  while (!(await holds())) {
    if ((await page.locator('p.warning', { hasText: '正在重试' }).count()) > 0) throw new Error(`a retry notice appeared while waiting for ${what}`);
    if (Date.now() - started > timeoutMs) {
      await page.screenshot({ path: path.join(SHOTS, 'failure.png'), fullPage: true });
      throw new Error(`the page did not follow the case to ${what} (test-results/console/failure.png)`);
    }
    await page.waitForTimeout(200);
  }
  expect([what, await page.evaluate('window.__notReloaded === true')]).toEqual([what, true]);
}

/** Words in Latin letters a person may read on a page: case numbers, account ids, digests and the names of formats. */
const LATIN_ALLOWED = [
  /case-[a-z-]+-\d{4}-\d{4}/g,
  /\b(cadre|bh|hz)-[a-z0-9-]+\b/g,
  /\b[0-9a-f]{8,64}\b/g,
  /\b(PDF\/A|PDF|SHA-256|SM3|docx|veraPDF|CSV|ics|JSON|OIDC|HTTPS|ID|DOCX|Outlook|Temporal|A4|JPEG|PNG|TIFF|Word|OFD|KB|MB)\b/g,
];
/** Latin words found on screen where Chinese belongs, by page. */
const english: string[] = [];

/** Every Latin word in the page's main part that is not a case number, an account id, a digest or a format's name. */
async function noEnglish(page: Page, where: string): Promise<void> {
  // The page and its header (who is signed in, at which authority: by name, never an id).
  let text = `${await page.locator('header.top').innerText()}\n${await page.locator('#main').innerText()}`;
  for (const allowed of LATIN_ALLOWED) text = text.replace(allowed, ' ');
  const words = text.match(/[A-Za-z][A-Za-z0-9_.-]*[A-Za-z0-9]|[A-Za-z]{2,}/g) ?? [];
  english.push(...[...new Set(words)].map((w) => `${where}: ${w}`));
}

/**
 * A page at 390 px and at 1024 px: nothing wider than the screen (no sideways scrolling of the page), its main
 * actions on the screen within its width and not covered, axe-core clean, and a picture of each; the 390 px one,
 * of the top of the page as a phone shows it, for the README.
 */
async function smallScreens(page: Page, name: string, actions: Locator[]): Promise<void> {
  for (const width of [390, 1024]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 768 });
    await page.waitForTimeout(100);
    const wide = (await page.evaluate('document.documentElement.scrollWidth')) as number;
    expect([name, width, wide <= width]).toEqual([name, width, true]);
    for (const [i, action] of actions.entries()) {
      await action.scrollIntoViewIfNeeded();
      const box = await action.boundingBox();
      const onScreen = box !== null && box.width > 0 && box.x >= 0 && box.x + box.width <= width + 0.5;
      // What a tap at its middle reaches is the action itself (or its own text), nothing laid over it.
      // (Run in the page: the test's own TypeScript has no DOM types, hence the element's own document.)
      // A link that wraps is tapped on its first line: the middle of its whole box may fall between its lines.
      const reached = await action.evaluate((el: any) => {
        const r = el.getClientRects()[0] ?? el.getBoundingClientRect();
        const hit = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return hit === null ? 'nothing' : hit === el || el.contains(hit) ? true : `${hit.tagName}.${hit.className}`;
      });
      expect([name, width, `action ${i + 1}`, onScreen, reached]).toEqual([name, width, `action ${i + 1}`, true, true]);
    }
    await page.evaluate('window.scrollTo(0, 0)');
    await audit(page, `${name}-${width}`);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    if (width === 390) await page.screenshot({ path: path.join(README_SHOTS, `console-390-${name}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

// Playwright's assertions belong to its test runner; these wait the same way, on the page's own state.
async function contains(locator: Locator, text: string): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ timeout: 30_000 });
}

async function hasValue(locator: Locator, value: string): Promise<void> {
  const started = Date.now();
  while ((await locator.inputValue()) !== value) {
    if (Date.now() - started > 10_000) expect(await locator.inputValue()).toBe(value);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function submitStep(box: Locator): Promise<void> {
  await box.locator('button[type="submit"]').click();
}

/** A decisive step: its answers are shown to be checked, then confirmed. */
async function confirmStep(box: Locator, checks: string[] = []): Promise<void> {
  await box.locator('button[type="submit"]').click();
  const review = box.locator('.check-answers');
  await review.waitFor();
  for (const c of checks) await contains(review, c);
  await review.getByRole('button', { name: /^确认提交/ }).click();
}

/** Uploads a file to the case file through the page's form, as an officer would, and waits for it in the list. */
async function uploadMaterial(page: Page, file: string, fields: { kind: string; title: string; source?: string; obtainedBy?: string; originalDate?: string }): Promise<void> {
  const form = page.getByRole('form', { name: '上传材料' });
  await form.getByLabel('材料类别').selectOption(fields.kind);
  await form.getByLabel('题名').fill(fields.title);
  if (fields.source) await form.getByLabel('来源', { exact: true }).fill(fields.source);
  if (fields.obtainedBy) await form.getByLabel('调取过程').fill(fields.obtainedBy);
  if (fields.originalDate) await form.getByLabel('原件日期').fill(fields.originalDate);
  await form.getByLabel('文件').setInputFiles(file);
  await form.getByRole('button', { name: '上传' }).click();
  await contains(page.locator('.materials table'), fields.title);
}

/** A step taken through the API once the case offers it (the part of the procedure the pages were shown for already). */
async function apiStep(caseId: string, action: string, body: Record<string, unknown>, who: { sub: string; roles: string[]; authority?: string }): Promise<void> {
  const token = await stack.token({ roles: who.roles, authority: who.authority ?? 'binhai-jw', sub: who.sub, name: '李办案' });
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const started = Date.now();
  for (;;) {
    const state = (await (await fetch(`${base}/v1/cases/${caseId}`, { headers })).json()) as { availableActions: { name: string }[] };
    if (state.availableActions.some((a) => a.name === action)) break;
    if (Date.now() - started > 60_000) throw new Error(`${action} was not offered`);
    await new Promise((r) => setTimeout(r, 300));
  }
  const res = await fetch(`${base}/v1/cases/${caseId}/actions/${action}`, { method: 'POST', headers, body: JSON.stringify(body) });
  expect([action, res.status]).toEqual([action, 200]);
}

it('takes a Binhai case from 立案 to its decision through the pages, as officer, supervisor and subject', async () => {
  const today = beijingDate(Date.now());

  // ---- The officer signs in and opens a case ------------------------------------------------------
  const officer = await newPage();
  await officer.goto(`${base}/`);
  await officer.getByText('开发环境登录').waitFor();
  await shot(officer, 'sign-in');
  await signIn(officer, { sub: 'bh-officer', name: '李办案', roles: ['officer'] });

  await officer.getByRole('link', { name: '立案' }).click();
  await officer.getByRole('heading', { name: '立案' }).waitFor();
  // The event date is the day the subject was told: Binhai's application window counts from it (第十二条(二)).
  await officer.getByLabel('问责部门告知日').waitFor();
  await contains(officer.locator('#eventDate-hint'), '第十二条(二)');
  await officer.getByLabel('姓名', { exact: true }).fill('王某');
  await officer.getByLabel('所在单位（党组织）').fill('某街道党工委');
  // The subject's account is no field of the opening: an officer binds it to the case afterwards.
  expect(await officer.getByLabel(/系统账号/).count()).toBe(0);
  // A matter naming the subject is refused at the field: operators see matters.
  await officer.getByLabel('事项（不得写入姓名、身份证号）').fill('王某在老旧小区改造中的程序瑕疵');
  await officer.getByLabel('问责文书文号').fill('滨纪问〔2026〕31号');
  await officer.getByLabel('问责部门告知日').fill(today);
  // The zone question (第三章, 第九条) is asked, and must be answered: no default decides which items apply.
  await officer.getByRole('group', { name: '被调查对象所在单位属自贸试验区或开发区' }).waitFor();
  await officer.getByRole('button', { name: '立案' }).click();
  await contains(officer.locator('fieldset.choice .field-error'), '请选择');
  await officer.locator('#attr-specialZone-no').check();
  await officer.getByRole('button', { name: '立案' }).click();
  // Check your answers before 立案: what will be recorded, in words.
  await contains(officer.locator('#open-review'), '提交前请核对');
  await contains(officer.locator('#open-review'), '被调查对象所在单位属自贸试验区或开发区');
  await shot(officer, 'open-case-review');
  await officer.getByRole('button', { name: '确认立案' }).click();
  await contains(officer.locator('#matter-error'), '不得写入被调查对象姓名');
  await shot(officer, 'open-case');
  // Official text as typed: full-width punctuation stays full-width.
  const matter = '老旧小区改造中的程序瑕疵（先行施工，后补手续）：已整改';
  await officer.getByLabel('事项（不得写入姓名、身份证号）').fill(matter);
  // A mistyped year is refused naming the rulebook's in-force date …
  await officer.getByLabel('问责部门告知日').fill(`2019${today.slice(4)}`);
  await officer.getByRole('button', { name: '立案' }).click();
  await officer.getByRole('button', { name: '确认立案' }).click();
  await contains(officer.locator('#eventDate-error'), '施行日 2021-10-11');
  // … and a date whose application window has run out is put to the officer as a question.
  await officer.getByLabel('问责部门告知日').fill(addDays(today, -60));
  await officer.getByRole('button', { name: '立案' }).click();
  await officer.getByRole('button', { name: '确认立案' }).click();
  await contains(officer.locator('#lapsed-question'), '申请期限已届满，确认仍要立案？');
  await contains(officer.locator('#lapsed-question'), '第十二条(二)');
  await shot(officer, 'open-case-lapsed-question');
  await officer.getByRole('button', { name: '返回修改日期' }).click();
  await officer.getByLabel('问责部门告知日').fill(today);
  await officer.getByRole('button', { name: '立案' }).click();
  await officer.getByRole('button', { name: '确认立案' }).click();
  await officer.getByRole('heading', { name: /^案件 case-binhai-/ }).waitFor();
  const caseId = (await officer.getByRole('heading', { name: /^案件 case-binhai-/ }).textContent())!.replace('案件 ', '').trim();
  await contains(officer.locator('.summary'), matter);
  // Fresh without a refresh: the page follows the new case until its application window is counted, then confirms.
  await followed(officer, async () => ((await officer.locator('.deadlines').textContent()) ?? '').includes('第十二条(二)'), 'the application window after 立案');
  await followed(officer, async () => (await officer.locator('section.confirmation').count()) > 0, 'the confirmation of 立案');
  await contains(officer.locator('section.confirmation'), '已办理：立案');
  await contains(officer.locator('section.confirmation'), '接下来');
  await noEnglish(officer, 'case after 立案');

  // ---- The subject's own account, bound through its generated form: its notices go to that inbox ----------------
  await contains(officer.locator('.summary .subject-account'), '未绑定');
  const account = await step(officer, 'bindSubjectAccount');
  await account.getByLabel('被调查对象本人的系统账号').fill('cadre-7');
  await submitStep(account);
  await followed(officer, async () => (await officer.locator('.summary .subject-account').textContent()) === 'cadre-7', 'the subject’s account to be bound');
  await contains(officer.locator('.timeline'), '绑定被调查对象账户');

  // ---- The case file: the scanned application, uploaded through the page and carried by the filing ----------------
  const files = path.join(uploads, 'materials');
  fs.mkdirSync(files, { recursive: true });
  const write = (name: string, bytes: Buffer) => (fs.writeFileSync(path.join(files, name), bytes), path.join(files, name));
  await uploadMaterial(officer, write('application.jpg', await scanOf('jpeg', 'Application')), { kind: 'application', title: '容错免责申请（扫描件）', originalDate: today });
  const application = await step(officer, 'fileApplication');
  await application.getByLabel('申请书《容错免责申请（扫描件）》').check();
  await application.getByLabel('提交人').selectOption({ label: '被调查对象' });
  await hasValue(application.getByLabel('收到日期'), today);
  await application.getByLabel('内容摘要').fill('在老旧小区改造中为赶工期简化程序，申请容错免责');
  // A day of receipt after today is a slip of the date, said as such (not 已逾期，不予受理), in the summary and at the field.
  await application.getByLabel('收到日期').fill(addDays(today, 3));
  await submitStep(application);
  await contains(application.locator('.error-summary'), '收到日期：不能是将来的日期');
  await application.getByLabel('收到日期').fill(today);
  await submitStep(application);
  await followed(officer, async () => (await officer.locator('.summary .stage').textContent()) === '调查核实', 'the investigation stage');
  await contains(officer.locator('.deadlines'), '第十二条(二)');
  await followed(officer, async () => ((await officer.locator('section.confirmation').textContent()) ?? '').includes('已办理：提交《容错免责申请》'), 'the confirmation of the filing');
  await contains(officer.locator('section.confirmation'), '案件现处于：调查核实');
  await noEnglish(officer, 'case after the application');

  // ---- 我的待办: nobody holds the case; the officer claims it and finds its next step there ----------------------
  await officer.getByRole('link', { name: '我的待办' }).click();
  await officer.getByRole('heading', { name: '我的待办' }).waitFor();
  const claimable = officer.locator('section[aria-labelledby="unassigned"] tr', { hasText: caseId });
  await reloadUntil(officer, '我的待办', async () => (await claimable.count()) > 0, 'the case among those nobody holds');
  await claimable.getByRole('button', { name: /认领/ }).click();
  await contains(officer.locator('p.ok[role="status"]'), `已认领 ${caseId}`);
  const next = officer.locator(`section[aria-labelledby="mine"] tr[data-case="${caseId}"][data-action="appointInvestigationGroup"]`);
  await next.waitFor();
  await contains(next, '成立调查组');
  await shot(officer, 'my-work', true);
  await next.getByRole('link', { name: caseId }).click();
  await officer.getByRole('heading', { name: `案件 ${caseId}` }).waitFor();
  await contains(officer.locator('.assignment .assignee'), '李办案（我）');
  await contains(officer.locator('.timeline'), '认领案件');
  // A staff-only note, kept with its author.
  await officer.getByLabel(/新增备注/).fill('当事人表示将补充书面材料');
  await officer.getByRole('button', { name: '保存备注' }).click();
  await contains(officer.locator('.notes ol'), '当事人表示将补充书面材料');

  // ---- A step refused with its article; the form keeps what was typed ---------------------------------
  const group = await step(officer, 'appointInvestigationGroup');
  await group.getByLabel('姓名').first().fill('陈调查');
  await group.getByLabel('声明无亲属、利害关系').first().check();
  await submitStep(group);
  const refusal = group.locator('.refusal');
  await contains(refusal, '调查组须由2人以上组成');
  await contains(refusal, '第十三条(一)');
  await hasValue(group.getByLabel('姓名').first(), '陈调查');
  await shot(officer, 'case-refused');
  // Yes or no is two explicit choices, neither chosen for the user.
  expect(await group.getByLabel('不作声明').count()).toBe(1);
  await group.getByRole('button', { name: /添加/ }).click();
  await group.getByLabel('姓名').nth(1).fill('刘调查');
  await group.getByLabel('声明无亲属、利害关系').nth(1).check();
  await submitStep(group);
  await expectEventually(officer, async () => (await officer.locator('details.step-box[data-action="submitInvestigationReport"]').count()) > 0, 'the report to be offered');

  // Binhai's investigation hears the subject before it reports (第十三条(二)): the statement, through its form.
  const statement = await step(officer, 'recordStatement');
  await hasValue(statement.getByLabel('收到日期'), today);
  await statement.getByLabel('内容摘要').fill('本人陈述：为赶工期简化了审批程序，未谋私利');
  await submitStep(statement);
  await expectEventually(officer, async () => ((await officer.locator('.timeline').textContent()) ?? '').includes('听取意见'), 'the statement in the timeline');

  // Two pieces of evidence with where they came from and how they were obtained (第十三条(二)), and the written report.
  await uploadMaterial(officer, write('contract.pdf', await pdfOf(2, 'Contract')), {
    kind: 'evidence',
    title: '施工合同复印件',
    source: '某街道办事处',
    obtainedBy: '调查组两人到街道办事处调取原件复印，经核对与原件一致',
    originalDate: today,
  });
  await uploadMaterial(officer, write('photo.png', await scanOf('png', 'Photo')), { kind: 'evidence', title: '施工现场照片', source: '某社区居委会', obtainedBy: '调查组现场拍摄', originalDate: today });
  await contains(officer.locator('.materials tr', { hasText: '施工合同复印件' }), '调查组两人到街道办事处调取原件复印');
  await uploadMaterial(officer, write('report.docx', await docxOf(['关于王某容错免责申请的调查报告', '经调查，该同志为推进改革简化程序，未谋私利。'])), { kind: 'investigationReport', title: '调查报告', originalDate: today });
  await shot(officer, 'case-materials');
  const report = await step(officer, 'submitInvestigationReport');
  await report.getByLabel('调查报告《调查报告》').check();
  await report.getByLabel('调查结论').fill('为推进改革简化程序，未谋私利，已及时纠正');
  await report.getByLabel('初步建议').selectOption({ label: '免责' });
  // Not a zone case: the five items of 第九条 are not offered at all.
  expect(await report.locator('.checkboxes label', { hasText: '第九条' }).count()).toBe(0);
  expect(await report.locator('.checkboxes label', { hasText: '第六条(三)' }).count()).toBe(1);
  const circumstance = report.locator('.checkboxes input[type="checkbox"]').first();
  await circumstance.check();
  await submitStep(report);
  await followed(officer, async () => (await officer.locator('.summary .stage').textContent()) === '集体研究认定', 'the deliberation stage');
  // The timeline names the recommendation in Chinese (初步建议：免责), never its id.
  await noEnglish(officer, 'case after the report');

  // ---- The supervisor is told the deliberation waits, and records the determination -----------------------------------
  const supervisor = await newPage();
  await signIn(supervisor, { sub: 'bh-leader', name: '赵主任', roles: ['supervisor'] });
  const deliberation = supervisor.locator(`tr[data-case="${caseId}"][data-action="recordDetermination"]`);
  await reloadUntil(supervisor, '我的待办', async () => (await deliberation.count()) > 0, 'the deliberation in the supervisor’s 我的待办');
  await contains(deliberation, '集体研究认定');
  await supervisor.getByRole('link', { name: '收件箱' }).click();
  const told = supervisor.locator('li', { hasText: caseId }).filter({ hasText: '【待办】' }).filter({ hasText: '集体研究认定' });
  await reloadUntil(supervisor, '收件箱', async () => (await told.count()) > 0, 'the supervisors told that a deliberation waits');
  await supervisor.goto(`${base}/#/cases/${caseId}`);
  // A supervisor assigns and reassigns on the case page: the officers who have signed in, and a reason.
  await supervisor.getByLabel('指定理由').waitFor();
  await supervisor.locator('#assign-responsible option', { hasText: '李办案' }).waitFor({ state: 'attached' });
  await uploadMaterial(supervisor, write('minutes.pdf', await pdfOf(1, 'Minutes')), { kind: 'minutes', title: '领导班子会议纪要', originalDate: today });
  const determination = await step(supervisor, 'recordDetermination');
  await determination.getByLabel('会议纪要《领导班子会议纪要》').check();
  await determination.getByLabel('决定机构').selectOption({ label: '问责部门领导班子' });
  await determination.getByLabel('认定结果').selectOption({ label: '免责' });
  await determination.locator('input[type="checkbox"][id^="recordDetermination_circumstances"]').first().check();
  await determination.getByLabel('理由').fill('符合第六条所列情形，经领导班子集体研究予以免责');
  // Whether the case is complex has consequences (approval): two explicit choices, none made for the supervisor.
  expect(await determination.getByLabel('不属于复杂案件').isChecked()).toBe(false);
  expect(await determination.getByLabel('属于复杂案件（须经批准）').isChecked()).toBe(false);
  await submitStep(determination);
  // The error summary at the top names the field and links to it; the field shows the error again.
  const summary = determination.locator('.error-summary');
  await contains(summary, '属于复杂案件：必填');
  await shot(supervisor, 'case-error-summary');
  await summary.getByRole('link', { name: /属于复杂案件/ }).click();
  expect(await supervisor.evaluate('document.activeElement.id')).toMatch(/^recordDetermination_complex/);
  await contains(determination.locator('.field-error, .error-detail, .text-danger'), '必填');
  // 属于复杂案件 brings its 批准 part into the form, 不属于 takes it away again.
  const approval = determination.locator('[id^="recordDetermination_approval"]');
  expect(await approval.count()).toBe(0);
  await determination.getByLabel('属于复杂案件（须经批准）').check();
  await approval.first().waitFor();
  await determination.getByLabel('不属于复杂案件').check();
  await approval.first().waitFor({ state: 'detached' });
  // Check your answers, in words: the outcome and the choices by their names.
  await confirmStep(determination, ['认定结果', '免责', '不属于复杂案件', '问责部门领导班子']);
  await followed(supervisor, async () => (await supervisor.locator('.summary .outcome').textContent()) === '免责', 'the outcome');
  await followed(supervisor, async () => ((await supervisor.locator('section.confirmation').textContent()) ?? '').includes('结果：免责'), 'the confirmation of the determination');
  await shot(supervisor, 'case-confirmation');

  const filing = await step(supervisor, 'recordFiling');
  await submitStep(filing);
  await followed(supervisor, async () => (await supervisor.locator('.summary .stage').textContent()) === '书面告知容错免责结论', 'the notice stage');
  await noEnglish(supervisor, 'case after 备案');

  // ---- The subject signs in as a party: its own case only, and nobody else's ------------------------------------------
  const staffToken = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'bh-officer', name: '李办案' });
  const another = (await (
    await fetch(`${base}/v1/cases`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${staffToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ jurisdiction: 'binhai', subject: { name: '赵某', organisation: '另一街道党工委' }, matter: '另一起程序瑕疵', accountability: { reference: '滨纪问〔2026〕32号' }, eventDate: today }),
    })
  ).json()) as { id: string };
  const subject = await newPage();
  await signIn(subject, { sub: 'cadre-7', name: '王某', roles: ['party'] });
  const myCases = subject.locator('table.my-cases tbody tr');
  await myCases.first().waitFor();
  expect(await myCases.count()).toBe(1);
  await contains(myCases.first(), caseId);
  expect(await subject.getByRole('link', { name: '案件列表' }).count()).toBe(0);
  await shot(subject, 'my-cases');
  await subject.goto(`${base}/#/my/cases/${another.id}`);
  await contains(subject.locator('#main [role="alert"]'), '未找到');
  await subject.goto(`${base}/#/cases/${caseId}`);
  await contains(subject.locator('#main [role="alert"]'), '需要以下角色之一');

  // ---- The subject acknowledges the conclusion in its inbox ---------------------------------------------
  await subject.goto(`${base}/#/inbox`);
  await subject.getByRole('heading', { name: '收件箱' }).waitFor();
  const conclusion = subject.locator('li.unserved', { hasText: caseId }).filter({ hasText: '容错免责结论' });
  await expectEventually(
    subject,
    async () => {
      if ((await conclusion.count()) > 0) return true;
      await subject.reload();
      await subject.getByRole('heading', { name: '收件箱' }).waitFor();
      return (await conclusion.count()) > 0;
    },
    'the conclusion in the subject’s inbox',
  );
  await hasValue(conclusion.getByLabel('送达日期'), today);
  await shot(subject, 'inbox');
  await conclusion.getByRole('button', { name: '签收' }).click();
  await contains(subject.locator('li.served', { hasText: caseId }).filter({ hasText: '容错免责结论' }), `已于 ${Number(today.slice(0, 4))}年`);

  // ---- It files its appeal online (第十七条), and gets its receipt at once and in its inbox ----------------------------
  await subject.goto(`${base}/#/my/cases/${caseId}`);
  const appealForm = subject.locator('form[data-filing="appeal"]');
  // Open, and its window counted (the deadline names its article once counted).
  await reloadUntil(subject, `案件 ${caseId}`, async () => (await appealForm.count()) > 0 && ((await appealForm.textContent()) ?? '').includes('第十七条'), 'the appeal open to the subject');
  await contains(appealForm, '第十七条');
  await appealForm.getByLabel('书面申诉内容').fill('对免责结论中认定的事实有补充意见，提出申诉');
  await appealForm.getByRole('button', { name: '提交' }).click();
  // Filed, the form gives way (no second appeal is open) and the receipt stays among its filings.
  const receipt = subject.locator('section.receipts .receipt').first();
  await contains(receipt, '回执编号');
  const receiptNumber = (await receipt.locator('.receipt-number').textContent())!.trim();
  expect(receiptNumber).toMatch(/回执〔\d{4}〕\d+号$/);
  await contains(receipt, `收到日期 ${Number(today.slice(0, 4))}年`);
  await subject.evaluate('window.scrollTo(0, 0)');
  await shot(subject, 'my-case', true);
  await subject.getByRole('link', { name: '收件箱' }).first().click();
  await reloadUntil(subject, '收件箱', async () => (await subject.locator('li', { hasText: receiptNumber }).count()) > 0, 'the receipt in the subject’s inbox');

  // ---- The decision document, downloaded, its hash checked -----------------------------------------------
  await officer.getByRole('button', { name: '刷新' }).click();
  const decision = officer.locator('.documents tr', { hasText: '免责决定书' });
  await expectEventually(officer, async () => (await decision.count()) > 0, 'the 免责决定书');
  const recorded = (await decision.locator('code.hash[data-kind="docx"]').textContent())!.trim();
  const [download] = await Promise.all([officer.waitForEvent('download'), decision.getByRole('button', { name: /下载 \.docx/ }).click()]);
  const file = await download.path();
  const actual = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  expect(actual).toBe(recorded);
  expect(download.suggestedFilename()).toMatch(/免责决定书\.docx$/);
  await contains(decision, '已校验，与存档记录一致');
  // The top of the page, with one deadline's quoted rule open, for the README.
  await officer.locator('.deadlines details.basis summary').first().click();
  await officer.evaluate('window.scrollTo(0, 0)');
  await shot(officer, 'case', true);

  // The printed case: summary, deadlines, the whole 办理记录, documents and materials, the date and who printed it; no forms.
  await officer.emulateMedia({ media: 'print' });
  await officer.locator('.deadlines').waitFor();
  await officer.locator('section.timeline').waitFor();
  await officer.locator('section.documents').waitFor();
  await officer.locator('section.materials').waitFor();
  await contains(officer.locator('.print-meta'), '打印人：李办案');
  await officer.locator('section.steps').waitFor({ state: 'hidden' });
  await officer.locator('header.top').waitFor({ state: 'hidden' });
  const printed = path.join(SHOTS, 'case-print.pdf');
  await officer.pdf({ path: printed, format: 'A4', preferCSSPageSize: true });
  await officer.emulateMedia({ media: 'screen' });
  // Without its line breaks and spaces: a title in a narrow column wraps.
  const printedText = execFileSync('pdftotext', [printed, '-']).toString().replace(/\s+/g, '');
  const timelineCount = await officer.locator('section.timeline li').count();
  for (const words of ['办理记录', '立案', '登记容错免责申请', '集体研究认定', '免责决定书', '案卷材料', '证据材料《施工', '打印人：李办案', '打印时间']) expect([words, printedText.includes(words)]).toEqual([words, true]);
  expect(timelineCount).toBeGreaterThan(5);

  // ---- The officer subscribes to the .ics feed and finds the case's deadline in it --------------------------
  const state = (await (await fetch(`${base}/v1/cases/${caseId}`, { headers: { Authorization: `Bearer ${await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'bh-officer' })}` } })).json()) as {
    deadlines: { key: string; label: string; deadline: string; status: string; basis: { article: string } }[];
  };
  const pending = state.deadlines.find((d) => d.status === 'pending');
  expect(pending).toBeDefined();
  await officer.getByRole('link', { name: '日历' }).click();
  await officer.getByRole('heading', { name: '日历', exact: true }).waitFor();
  await officer.getByRole('button', { name: '生成订阅地址' }).click();
  const feedUrl = await officer.getByLabel('订阅地址（仅显示这一次）').inputValue();
  expect(feedUrl).toMatch(new RegExp(`^${base}/v1/calendar/feeds/[A-Za-z0-9_-]{43}\\.ics$`));
  if (pending!.deadline.slice(0, 7) === today.slice(0, 7)) await contains(officer.locator('table.month'), pending!.label);
  await shot(officer, 'calendar');
  const feed = await fetch(feedUrl);
  expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
  const events = new ICAL.Component(ICAL.parse(await feed.text())).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
  const event = events.find((e) => e.uid === `${caseId}.${pending!.key}@rongcuo`);
  expect(event?.startDate.toString()).toBe(pending!.deadline);
  expect(event?.summary).toContain(pending!.label);
  expect(event?.description).toContain(pending!.basis.article);
  // Revoked, the address answers no more.
  await officer.getByRole('button', { name: '撤销订阅地址' }).click();
  await officer.getByText('尚未生成订阅地址').waitFor();
  expect((await fetch(feedUrl)).status).toBe(404);

  // ---- An auditor reads who looked at the case, and exports it --------------------------------------------------------
  const auditor = await newPage();
  await signIn(auditor, { sub: 'bh-auditor', name: '周审计', roles: ['auditor'] });
  await auditor.goto(`${base}/#/cases/${caseId}`);
  const accessLog = auditor.locator('section.access-log');
  await contains(accessLog, '王某（cadre-7，当事人');
  await contains(accessLog, '李办案（bh-officer');
  await contains(accessLog, '下载文书');
  const [csv] = await Promise.all([auditor.waitForEvent('download'), accessLog.getByRole('button', { name: '导出 CSV' }).click()]);
  const exported = fs.readFileSync(await csv.path(), 'utf8');
  expect(exported).toContain('"cadre-7"');
  expect(exported).toContain('"getMyCase"');
  await shot(auditor, 'access-log');

  // ---- The other pages, photographed ---------------------------------------------------------------------------
  await officer.getByRole('link', { name: '工作台' }).click();
  await contains(officer.locator('table.cases'), caseId);
  // Focus moves to the new page's heading, so keyboard and screen-reader users start there.
  expect(await officer.evaluate('document.activeElement.tagName + document.activeElement.textContent')).toBe('H1工作台');
  await shot(officer, 'dashboard', true);
  // On a 1920 screen the page uses the width and a larger type.
  await officer.setViewportSize({ width: 1920, height: 1080 });
  await shot(officer, 'dashboard-1920');
  await officer.setViewportSize({ width: 1280, height: 800 });
  await officer.getByRole('link', { name: '案件列表' }).click();
  await officer.getByLabel('事项关键词').fill('老旧小区');
  await officer.getByRole('button', { name: '筛选' }).click();
  await contains(officer.locator('table.cases'), caseId);
  await shot(officer, 'cases');
  await officer.getByRole('link', { name: '法规' }).click();
  await officer.getByRole('link', { name: /滨海新区/ }).first().click();
  await contains(officer.locator('.rulebook'), '第十二条(二)');
  await shot(officer, 'rulebook');

  // ---- Small screens: the pages of a day's work at 390 px and 1024 px ------------------------------------------------
  await officer.getByRole('link', { name: '工作台' }).click();
  await contains(officer.locator('table.cases'), caseId);
  await noEnglish(officer, 'dashboard');
  await smallScreens(officer, 'dashboard', [officer.locator('table.cases a', { hasText: caseId }).first(), officer.getByRole('link', { name: '立案' })]);
  await officer.getByRole('link', { name: '我的待办' }).click();
  await officer.getByRole('heading', { name: '我的待办' }).waitFor();
  await noEnglish(officer, 'my work');
  await smallScreens(officer, 'my-work', [officer.locator(`section[aria-labelledby="mine"] tr[data-case="${caseId}"] a`).first()]);
  await officer.getByRole('link', { name: '案件列表' }).click();
  await contains(officer.locator('table.cases'), caseId);
  await noEnglish(officer, 'case list');
  await smallScreens(officer, 'cases', [officer.getByRole('button', { name: '筛选' }), officer.locator('table.cases a', { hasText: caseId }).first()]);
  await officer.goto(`${base}/#/cases/${caseId}`);
  await officer.getByRole('heading', { name: `案件 ${caseId}` }).waitFor();
  await officer.locator('.documents table').waitFor();
  await noEnglish(officer, 'case page');
  await smallScreens(officer, 'case', [officer.locator('section.steps details.step-box summary').first(), officer.getByRole('button', { name: '打印案件' })]);
  await officer.getByRole('link', { name: '日历' }).click();
  await officer.getByRole('heading', { name: '日历', exact: true }).waitFor();
  await noEnglish(officer, 'calendar');
  await smallScreens(officer, 'calendar', [officer.getByRole('button', { name: '下个月' }), officer.getByRole('button', { name: '生成订阅地址' })]);

  // ---- The calendar: an authority's admin checks a year, the system administrator loads it --------------------------
  const upload = path.join(uploads, 'schedule-2099.json');
  fs.writeFileSync(upload, JSON.stringify({ year: 2099, source: '国办发明电〔2098〕1号', holidays: [{ date: '2098-01-01', name: '元旦' }], makeUpWorkdays: [] }));
  const fixed = { ...JSON.parse(fs.readFileSync(upload, 'utf8')), holidays: [{ date: '2099-01-01', name: '元旦' }] };
  const admin = await newPage();
  await signIn(admin, { sub: 'bh-admin', name: '孙管理', roles: ['admin'] });
  await admin.getByRole('link', { name: '管理' }).click();
  // A schedule uploaded as JSON fills the form; the API's check names the day outside the year.
  await admin.getByLabel('从 JSON 文件读入（可选）').setInputFiles(upload);
  await hasValue(admin.getByLabel('依据的通知（文号）'), '国办发明电〔2098〕1号');
  await hasValue(admin.getByLabel('年度', { exact: true }), '2099');
  await admin.getByRole('button', { name: '检查' }).click();
  await contains(admin.locator('.field-error').first(), '须在 2099 年内');
  await admin.getByLabel('放假日 1 日期').fill('2099-01-01');
  await admin.getByRole('button', { name: '检查' }).click();
  await admin.getByRole('heading', { name: '载入前检查：2099年' }).waitFor();
  await contains(admin.locator('#preview').locator('..'), '将重新计算 0 件');
  // Checked, but an authority's admin does not load the national calendar: the page says who does.
  expect(await admin.getByRole('button', { name: '载入' }).isDisabled()).toBe(true);
  await contains(admin.locator('#load-who'), '系统管理员');
  await shot(admin, 'admin');

  // The system administrator: no authority's cases on its 工作台, and the year loaded from the same file.
  const system = await newPage();
  await signIn(system, { sub: 'sys-admin', name: '周系统', roles: ['system-admin'] });
  await contains(system.locator('#main'), '系统管理员不属于任何机关');
  expect(await system.getByRole('link', { name: '案件列表' }).count()).toBe(0);
  fs.writeFileSync(upload, JSON.stringify(fixed));
  await system.getByRole('link', { name: '管理', exact: true }).click();
  await system.getByLabel('从 JSON 文件读入（可选）').setInputFiles(upload);
  await hasValue(system.getByLabel('放假日 1 日期'), '2099-01-01');
  await system.getByRole('button', { name: '检查' }).click();
  await system.getByRole('heading', { name: '载入前检查：2099年' }).waitFor();
  await system.getByRole('button', { name: '载入' }).click();
  await contains(system.locator('p.ok[role="status"]'), '已载入 2099 年放假安排');
  const loaded = system.locator('section[aria-labelledby="years"] tr', { hasText: '国办发明电〔2098〕1号' });
  await contains(loaded, '2099');
  await contains(loaded, '周系统');
  await shot(system, 'admin-loaded');

  // ---- 建档: the rest of the procedure through the API, then the bound file on the case page -------------------------
  await apiStep(caseId, 'serveNotice', { servedOn: today, servedTo: ['subjectOrganisation'] }, { sub: 'bh-officer', roles: ['officer'] });
  await apiStep(caseId, 'issueCorrectionList', { items: [], noneReason: '程序瑕疵已于调查前整改完毕' }, { sub: 'bh-officer', roles: ['officer'] });
  // The subject's appeal, filed online above, is the one decided (Binhai hears one appeal): 变更原决定 shows and requires
  // its 变更后的认定, which is checked and taken back; 维持原决定 submits without it.
  await supervisor.goto(`${base}/#/cases/${caseId}`);
  const appealDecision = await step(supervisor, 'decideAppeal');
  // The page follows the case for a while after it opens; the form is filled once it has settled.
  await supervisor.locator('p.following').waitFor({ state: 'detached', timeout: 30_000 });
  // No result chosen, no 变更后的认定 either: it belongs to 变更原决定 only.
  const revision = appealDecision.locator('[id^="decideAppeal_revision"]');
  expect(await revision.count()).toBe(0);
  await appealDecision.locator('textarea[id^="decideAppeal_reasons"], input[id^="decideAppeal_reasons"]').first().fill('原结论事实清楚，适用条款正确');
  // 变更原决定 reveals 变更后的认定: the conclusion put in the original's place, its items from Binhai's catalogues.
  await appealDecision.getByLabel('处理结果').selectOption({ label: '变更原决定' });
  const revisedOutcome = appealDecision.locator('select#decideAppeal_revision_outcome');
  await revisedOutcome.waitFor();
  await contains(appealDecision.locator('fieldset', { hasText: '变更后的认定' }), '第六条(三)');
  // Binhai lists no conditions (第七条-style) to affirm: the part asks for none.
  expect(await appealDecision.locator('[id^="decideAppeal_revision_conditions"]').count()).toBe(0);
  await noEnglish(supervisor, 'appeal decision with 变更原决定');
  // Required once it applies: left empty, the summary names its fields, and the field says so again.
  await submitStep(appealDecision);
  const appealErrors = appealDecision.locator('.error-summary');
  await contains(appealErrors, '变更后的认定的认定结果：必填');
  await contains(appealErrors, '变更后的认定的理由');
  await contains(appealDecision.locator('#decideAppeal_revision_outcome__error'), '必填');
  expect(await appealDecision.locator('.check-answers').count()).toBe(0);
  // Filled in, it is shown in words to be checked (the outcome and the items by their names, never an id) …
  await revisedOutcome.selectOption({ label: '从轻处理' });
  await appealDecision.locator('.checkboxes input[type="checkbox"][id^="decideAppeal_revision_mitigating"]').first().check();
  await appealDecision.locator('textarea#decideAppeal_revision_reasons, input#decideAppeal_revision_reasons').fill('申诉补充的事实成立，改为从轻处理');
  await submitStep(appealDecision);
  const revisedReview = appealDecision.locator('.check-answers');
  await contains(revisedReview, '变更原决定');
  await contains(revisedReview, '变更后的认定');
  await contains(revisedReview, '认定结果：从轻处理');
  await noEnglish(supervisor, 'the 变更原决定 to check');
  await shot(supervisor, 'case-appeal-revised-review');
  // … and goes back to be changed: this appeal is upheld. 维持原决定 takes the part away again, and submits without it.
  await revisedReview.getByRole('button', { name: '返回修改' }).click();
  await appealDecision.getByLabel('处理结果').selectOption({ label: '维持原决定' });
  await revision.first().waitFor({ state: 'detached' });
  await submitStep(appealDecision);
  const upheldReview = appealDecision.locator('.check-answers');
  await contains(upheldReview, '维持原决定');
  expect(await upheldReview.locator('dt', { hasText: '变更后的认定' }).count()).toBe(0);
  await upheldReview.getByRole('button', { name: /^确认提交/ }).click();
  await followed(supervisor, async () => ((await supervisor.locator('section.confirmation').textContent()) ?? '').includes('已办理：'), 'the confirmation of the appeal decision');
  await contains(supervisor.locator('.timeline'), '作出申诉处理决定');
  await noEnglish(supervisor, 'case after 维持原决定');
  await apiStep(caseId, 'recordPublication', { published: false, reason: '涉及个人隐私，不宜公开' }, { sub: 'bh-officer', roles: ['officer'] });
  await apiStep(caseId, 'archiveCase', { archivedOn: today, reference: '滨纪档〔2026〕31号' }, { sub: 'bh-officer', roles: ['officer'] });
  await officer.goto(`${base}/#/cases/${caseId}`);
  await officer.getByRole('heading', { name: `案件 ${caseId}` }).waitFor();
  const contentsRows = officer.locator('.bound-file table.contents tbody tr');
  await expectEventually(officer, async () => (await contentsRows.count()) > 0, 'the bound file', 180_000);
  const boundToken = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'bh-officer' });
  const bound = (await (await fetch(`${base}/v1/cases/${caseId}/bound-file`, { headers: { Authorization: `Bearer ${boundToken}`, Accept: 'application/json' } })).json()) as {
    sha256: string;
    pages: number;
    contents: { numberedPages: number; items: { title: string; firstPage: number; lastPage: number; source: string; rendering: string }[] };
    validation: { compliant: boolean; validator: string };
  };
  // The 卷内文件目录 lists the application, the two pieces of evidence, the report and the minutes, in the order of the procedure,
  // with their documents, each with the page it begins on, numbered through.
  const materialTitles = bound.contents.items.filter((i) => i.source === 'material').map((i) => i.title);
  expect(materialTitles).toEqual(['容错免责申请（扫描件）', '施工合同复印件', '施工现场照片', '调查报告', '领导班子会议纪要']);
  let expectedFirst = 1;
  for (const [i, item] of bound.contents.items.entries()) {
    expect([item.title, item.firstPage]).toEqual([item.title, expectedFirst]);
    expectedFirst = item.lastPage + 1;
    const row = contentsRows.nth(i);
    await contains(row, item.title);
    const last = i === bound.contents.items.length - 1 && item.lastPage !== item.firstPage;
    expect((await row.locator('td.page').textContent())?.trim()).toBe(last ? `${item.firstPage}-${item.lastPage}` : String(item.firstPage));
  }
  expect(bound.contents.items.find((i) => i.title === '施工合同复印件')!.lastPage - bound.contents.items.find((i) => i.title === '施工合同复印件')!.firstPage).toBe(1);
  // The PDF/A check, as the page shows it: veraPDF's, passed.
  expect(bound.validation).toMatchObject({ compliant: true, validator: 'veraPDF 1.28.2' });
  await contains(officer.locator('[data-testid="pdfa-check"]'), '通过');
  await contains(officer.locator('[data-testid="pdfa-check"]'), 'veraPDF');
  // The bound PDF, downloaded and checked in the browser against the digests recorded at binding.
  const [boundDownload] = await Promise.all([officer.waitForEvent('download'), officer.getByRole('button', { name: '下载装订案卷（PDF/A）' }).click()]);
  const boundPdf = fs.readFileSync(await boundDownload.path());
  expect(createHash('sha256').update(boundPdf).digest('hex')).toBe(bound.sha256);
  await contains(officer.locator('.bound-file'), '已校验，与存档记录一致');
  // The page the 目录 names for the minutes carries that number at its top right.
  const boundFile = path.join(files, 'bound.pdf');
  fs.writeFileSync(boundFile, boundPdf);
  const frontPages = bound.pages - bound.contents.numberedPages - 1;
  const minutes = bound.contents.items.find((i) => i.title === '领导班子会议纪要')!;
  const page = execFileSync('pdftotext', ['-f', String(frontPages + minutes.firstPage), '-l', String(frontPages + minutes.firstPage), '-layout', boundFile, '-']).toString();
  // The minutes, a PDF that is not PDF/A, are bound as its page's image: the only text on the page is its number.
  expect(minutes).toMatchObject({ rendering: 'rasterised' });
  expect(page.trim()).toBe(String(minutes.firstPage));
  await officer.locator('.bound-file').scrollIntoViewIfNeeded();
  await shot(officer, 'case-bound-file');

  expect(violations).toEqual([]);
  expect(accessibility).toEqual([]);
  expect(english).toEqual([]);
});

/** The stage the case page shows, once it has followed the case there by itself. */
async function atStage(page: Page, stage: string): Promise<void> {
  await followed(page, async () => (await page.locator('.summary .stage').textContent()) === stage, `the stage ${stage}`);
}

/** The confirmation of a step taken on the case page, once it says so by itself. */
async function confirmed(page: Page, label: string): Promise<void> {
  await followed(page, async () => ((await page.locator('section.confirmation').textContent()) ?? '').includes(`已办理：${label}`), `the confirmation of ${label}`);
}

it('takes a Hangzhou case from 立案 to its follow-up visit through the pages, as its officer and the committee’s principal leader', async () => {
  const today = beijingDate(Date.now());

  // ---- 立案 through the page: the event date named for Hangzhou's rulebook, from which 第九条(一)'s 7 working days count ----
  const officer = await newPage();
  await signIn(officer, { sub: 'hz-officer', name: '钱办案', roles: ['officer'], authority: 'hz-jyj' });
  await officer.getByRole('link', { name: '立案' }).click();
  await officer.getByRole('heading', { name: '立案' }).waitFor();
  await officer.getByLabel('局党委启动问责程序日').waitFor();
  await contains(officer.locator('#eventDate-hint'), '第九条(一)');
  await officer.getByLabel('姓名', { exact: true }).fill('孙某');
  await officer.getByLabel('所在单位（党组织）').fill('某直属中学党委');
  await officer.getByLabel('职务（可选）').fill('副校长');
  await officer.getByLabel('事项（不得写入姓名、身份证号）').fill('推进集团化办学改革中先行先试，程序存在瑕疵');
  await officer.getByLabel('问责文书文号').fill('杭教问〔2026〕3号');
  await officer.getByLabel('问责机关（可选）').fill('市教育局党委');
  await officer.getByLabel('局党委启动问责程序日').fill(today);
  await noEnglish(officer, 'Hangzhou 立案');
  await officer.getByRole('button', { name: '立案' }).click();
  await contains(officer.locator('#open-review'), '局党委启动问责程序日');
  await officer.getByRole('button', { name: '确认立案' }).click();
  const heading = officer.getByRole('heading', { name: /^案件 case-hangzhou-education-/ });
  await heading.waitFor();
  const hzCase = (await heading.textContent())!.replace('案件 ', '').trim();
  await followed(officer, async () => ((await officer.locator('.deadlines').textContent()) ?? '').includes('第九条(一)'), 'the Hangzhou application window after 立案');
  await confirmed(officer, '立案');
  await noEnglish(officer, 'Hangzhou case after 立案');

  // ---- The written application (第九条(一)), through its form ----------------------------------------------------------
  const application = await step(officer, 'fileApplication');
  await application.getByLabel('提交人').selectOption({ label: '被调查对象' });
  await hasValue(application.getByLabel('收到日期'), today);
  await application.getByLabel('内容摘要').fill('推进集团化办学改革中先行先试，申请容错免责');
  await noEnglish(officer, 'Hangzhou application form');
  await submitStep(application);
  await atStage(officer, '局党委主要负责人审批启动');
  await confirmed(officer, '提出书面免责申请');
  await noEnglish(officer, 'Hangzhou case after the application');

  // ---- The principal leader's 审批启动 (第九条(二)): two explicit choices, checked, confirmed and followed -----------------
  const leader = await newPage();
  await signIn(leader, { sub: 'hz-leader', name: '吴书记', roles: ['supervisor'], authority: 'hz-jyj' });
  await leader.goto(`${base}/#/cases/${hzCase}`);
  await leader.getByRole('heading', { name: `案件 ${hzCase}` }).waitFor();
  const start = await step(leader, 'approveStart');
  expect(await start.getByLabel('批准启动', { exact: true }).isChecked()).toBe(false);
  expect(await start.getByLabel('不批准启动').isChecked()).toBe(false);
  await start.getByLabel('批准启动', { exact: true }).check();
  await start.getByLabel('批准人职务').fill('局党委主要负责人');
  await noEnglish(leader, 'Hangzhou case before 审批启动');
  await confirmStep(start, ['批准启动']);
  await confirmed(leader, '局党委主要负责人审批启动');
  await atStage(leader, '调查核实');
  // The one month of 第九条(四) runs from the approval.
  await contains(leader.locator('.deadlines'), '第九条(四)');
  await noEnglish(leader, 'Hangzhou case after 审批启动');

  // ---- 调查核实 (第九条(三)): the applicant heard, a hearing, the written report with its recommendation --------------------
  await officer.reload();
  await officer.getByRole('heading', { name: `案件 ${hzCase}` }).waitFor();
  const statement = await step(officer, 'recordStatement');
  await hasValue(statement.getByLabel('收到日期'), today);
  await statement.getByLabel('内容摘要').fill('申请人据实申诉，说明决策经过');
  await noEnglish(officer, 'Hangzhou statement form');
  await submitStep(statement);
  await followed(officer, async () => ((await officer.locator('.timeline').textContent()) ?? '').includes('听取意见'), 'the statement in the timeline');
  const hearing = await step(officer, 'recordHearing');
  await hearing.getByLabel('内容摘要').fill('召开听证会，听取各方意见');
  await noEnglish(officer, 'Hangzhou hearing form');
  await submitStep(hearing);
  await followed(officer, async () => ((await officer.locator('.timeline').textContent()) ?? '').includes('听证'), 'the hearing in the timeline');
  const report = await step(officer, 'submitInvestigationReport');
  await report.getByLabel('调查结论').fill('推进集团化办学改革中先行先试，因缺乏经验出现失误，已主动纠正');
  await report.getByLabel('初步建议').selectOption({ label: '免责' });
  await report.locator('.checkboxes label', { hasText: '第六条(二)' }).locator('input').check();
  await noEnglish(officer, 'Hangzhou report form');
  await submitStep(report);
  await atStage(officer, '党委会审议认定');
  await noEnglish(officer, 'Hangzhou case after the report');

  // ---- 党委会审议认定 (第九条(四)): 第六条's circumstance and all six conditions of 第七条, checked and confirmed ---------------
  await leader.reload();
  await leader.getByRole('heading', { name: `案件 ${hzCase}` }).waitFor();
  const determination = await step(leader, 'recordDetermination');
  await leader.locator('p.following').waitFor({ state: 'detached', timeout: 30_000 });
  await determination.getByLabel('决定机构').selectOption({ label: '局党委会' });
  await determination.getByLabel('认定结果').selectOption({ label: '免责' });
  await determination.locator('[id^="recordDetermination_circumstances"] label, .checkboxes label').filter({ hasText: '第六条(二)' }).locator('input').first().check();
  const conditions = determination.locator('input[type="checkbox"][id^="recordDetermination_conditions"]');
  expect(await conditions.count()).toBe(6);
  for (let i = 0; i < 6; i++) await conditions.nth(i).check();
  await determination.getByLabel('理由').fill('符合第六条(二)情形及第七条全部条件，经局党委会集体研究予以免责');
  await determination.getByLabel('不属于复杂案件').check();
  await noEnglish(leader, 'Hangzhou determination form');
  await confirmStep(determination, ['认定结果', '免责', '局党委会', '不属于复杂案件']);
  await followed(leader, async () => (await leader.locator('.summary .outcome').textContent()) === '免责', 'the Hangzhou outcome');
  await atStage(leader, '反馈认定结果');
  await noEnglish(leader, 'Hangzhou case after the determination');

  // ---- 反馈 within 3 working days (第九条(五)), the 容错免责认定结果反馈函 served on the applicant --------------------------
  await officer.reload();
  await officer.getByRole('heading', { name: `案件 ${hzCase}` }).waitFor();
  await contains(officer.locator('.deadlines'), '第九条(五)');
  await expectEventually(officer, async () => (await officer.locator('.documents tr', { hasText: '容错免责认定结果反馈函' }).count()) > 0, 'the 反馈函');
  const feedback = await step(officer, 'serveNotice');
  await feedback.getByLabel('被调查对象').check();
  await noEnglish(officer, 'Hangzhou feedback form');
  await submitStep(feedback);
  await confirmed(officer, '反馈认定结果');
  await noEnglish(officer, 'Hangzhou case after the feedback');

  // ---- 责成整改 (第十一条(一)): nothing to correct, said why; 备案 with the 驻局纪检监察组 (第九条(六)); 归档 ------------------------
  const correction = await step(officer, 'issueCorrectionList');
  await correction.getByLabel('无须整改的理由').fill('失误已主动纠正，无须责令纠错');
  await noEnglish(officer, 'Hangzhou correction form');
  await submitStep(correction);
  await confirmed(officer, '责成整改');
  const filing = await step(officer, 'recordFiling');
  await filing.getByLabel('文号/编号').fill('驻局纪检监察组备案〔2026〕2号');
  await noEnglish(officer, 'Hangzhou filing form');
  await submitStep(filing);
  await atStage(officer, '整理成卷、归档保存');
  await noEnglish(officer, 'Hangzhou case after 备案');
  const archive = await step(officer, 'archiveCase');
  await archive.getByLabel('文号/编号').fill('杭教档〔2026〕3号');
  await noEnglish(officer, 'Hangzhou archive form');
  await submitStep(archive);
  await atStage(officer, '容错回访');
  await noEnglish(officer, 'Hangzhou case after 归档');

  // ---- 容错回访 (第十四条): the follow-up visits of an exempted cadre, the first recorded -------------------------------------
  const visit = await step(officer, 'recordFollowUpVisit');
  await visit.getByLabel('内容摘要').fill('谈心谈话，了解思想和工作状态');
  await noEnglish(officer, 'Hangzhou follow-up form');
  await submitStep(visit);
  await confirmed(officer, '记录回访谈心谈话');
  await followed(officer, async () => ((await officer.locator('.timeline').textContent()) ?? '').includes('回访'), 'the visit in the timeline');
  await noEnglish(officer, 'Hangzhou case after the follow-up visit');
  await officer.evaluate('window.scrollTo(0, 0)');
  await shot(officer, 'hangzhou-case');

  expect(violations).toEqual([]);
  expect(accessibility).toEqual([]);
  expect(english).toEqual([]);
});
