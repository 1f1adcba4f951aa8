/**
 * One time-skipping server and one in-memory archive database per test file,
 * started before its tests and stopped after them.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Db } from '../../store/db';
import { openTestDb } from './test-db';
import { terminateStartedCases } from './case-driver';
import { startTimeSkippingServer } from './temporal';

export interface Suite {
  readonly env: TestWorkflowEnvironment;
  readonly db: Db;
}

export function timeSkippingSuite(): Suite {
  let env: TestWorkflowEnvironment | undefined;
  let db: Db | undefined;
  beforeAll(async () => {
    [env, db] = await Promise.all([startTimeSkippingServer(), openTestDb()]);
  });
  // Every case a test started is terminated when the test ends, whatever became of the test.
  afterEach(terminateStartedCases);
  afterAll(async () => {
    await Promise.all([env?.teardown(), db?.close()]);
  });
  return {
    get env() {
      if (!env) throw new Error('the time-skipping server is not started yet');
      return env;
    },
    get db() {
      if (!db) throw new Error('the archive database is not open yet');
      return db;
    },
  };
}
