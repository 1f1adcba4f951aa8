/**
 * `npm run test:cluster`: the production topology run for real (test/cluster),
 * apart from `npm test`, which its minutes would outgrow.
 */
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: ['**/test/cluster/**/*.cluster.ts'],
  // Minutes, not seconds: a killed worker's activities time out after one.
  testTimeout: 900_000,
  maxWorkers: 1,
};
