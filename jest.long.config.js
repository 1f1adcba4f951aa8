/**
 * `npm run test:long`: the long cases (test/long), apart from `npm test`,
 * which runs their short versions (test/procedures/hand-over.test.ts).
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/test/long/**/*.long.ts'],
  testTimeout: 1_800_000,
  maxWorkers: 1,
};
