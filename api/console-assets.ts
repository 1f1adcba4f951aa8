/**
 * The console (办案工作台): a single-page app built by `npm run build` into
 * dist/console and served here at `/`, from this process, so an intranet with
 * no internet needs nothing else. Its hashed assets are cached for good; the
 * page itself is always asked for afresh, so a new release shows at once.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { Problem } from './problem';

/** dist/console, whether this file runs compiled (dist/api) or from source (api/, in tests). */
export const CONSOLE_DIR = (() => {
  const parent = path.dirname(__dirname);
  return path.basename(parent) === 'dist' ? path.join(parent, 'console') : path.join(parent, 'dist', 'console');
})();

export function consoleAssets(dir: string = CONSOLE_DIR): Router {
  const router = Router();
  const index = path.join(dir, 'index.html');
  router.get(['/', '/index.html'], (_req, res) => {
    if (!fs.existsSync(index)) {
      throw new Problem({
        status: 404,
        code: 'console_not_built',
        title: 'Console not built',
        detail: { zh: '办案工作台尚未构建：请运行 npm run build（npm start 会自动构建）', en: 'The console is not built: run npm run build (npm start does)' },
      });
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  router.use('/assets', express.static(path.join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
  router.get('/favicon.svg', (_req, res, next) => {
    const icon = path.join(dir, 'favicon.svg');
    if (fs.existsSync(icon)) res.sendFile(icon);
    else next();
  });
  return router;
}
