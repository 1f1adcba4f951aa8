/**
 * The browser of the console's tests: Chromium from Debian's packages
 * (scripts/install-chromium.sh), driven by playwright-core, which never
 * downloads a browser of its own. One launcher for every browser test, so each
 * sees the console as an official in China would: the page in zh-CN on
 * Beijing time, and the browser's own parts of a page (a date input's
 * 年/月/日, a file input's 选择文件) in Chinese too, which follow the browser's
 * interface language (--lang, chromium-l10n), not the page's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--lang=zh-CN'];

export interface ConsoleBrowser {
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

export async function launchConsoleBrowser(options: { viewport: { width: number; height: number }; acceptDownloads?: boolean }): Promise<ConsoleBrowser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: bash scripts/install-chromium.sh`);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    // LANGUAGE only: LANG names the system's character set, and a zh_CN locale the system lacks would make it ASCII (a download's Chinese name then falls back to "download").
    env: { ...process.env, LANGUAGE: 'zh_CN' },
    viewport: options.viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    acceptDownloads: options.acceptDownloads ?? false,
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
