/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }],
    // jose and the OpenAPI validator ship ES modules only; compile them to CommonJS for Jest.
    '^.+/node_modules/(jose|@seriousme)/.+\\.js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(jose|@seriousme)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/quiet-runtime.ts'],
  testTimeout: 120_000,
  // Three test files at a time on two cores: much of a file's time is waiting (on timers, on the
  // server's commits, on LibreOffice), and with two the cores sat idle a third of the run
  // (measured: 234 s with two, 176 s with three, 168 s with four; the same 572 tests pass).
  maxWorkers: 3,
};
