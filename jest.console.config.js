/**
 * `npm run test:console`: the console (办案工作台) in a real browser (Debian's
 * Chromium driven by playwright-core) against the real stack, apart from
 * `npm test`, whose three minutes it would stretch.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/test/console/**/*.browser.ts'],
  testTimeout: 300_000,
  maxWorkers: 1,
};
