/** Where the test run's one workflow bundle is: set by the global setup, read by every test file. */
export const SHARED_BUNDLE_VARIABLE = 'RONGCUO_TEST_WORKFLOW_BUNDLE';
