/**
 * What the global setup builds once for the whole test run, and where every
 * test file finds it: Jest's workers inherit these variables.
 */

/** The workflow bundle (test/support/temporal.ts workflowBundle). */
export const SHARED_BUNDLE_VARIABLE = 'RONGCUO_TEST_WORKFLOW_BUNDLE';

/** A migrated, empty embedded archive (store/db.ts migratedPgliteImage), each test database's start (test/support/test-db.ts). */
export const SHARED_ARCHIVE_IMAGE_VARIABLE = 'RONGCUO_TEST_ARCHIVE_IMAGE';
