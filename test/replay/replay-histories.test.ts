/**
 * Every recorded history under test/replay/histories replays on today's
 * workflow code. A change that would break running cases fails here; such a
 * change needs patched() or a new workflow type.
 */
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { loadHistories } from '../support/histories';
import { testDataConverter } from '../support/keys';
import { workflowBundle } from '../support/temporal';

const histories = loadHistories();

describe('replay of recorded case histories', () => {
  it('has fixtures to replay', () => {
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'binhai-application-lapsed',
        'binhai-exempt',
        'binhai-denied-appealed',
        'hangzhou-exempt',
        'hangzhou-denied',
        'yinchuan-exempt',
        'yinchuan-denied',
        'jiaozuo-exofficio-exempt',
        'jiaozuo-denied-appealed',
        'yangjiang-exempt-corrected',
        'yangjiang-denied',
        'hangzhou-not-started-with-dossier',
        'binhai-served-through-inbox',
        'binhai-application-recorded-after-lapse',
        'yinchuan-application-lapsed-after-recording',
        'binhai-notice-overdue-during-filing',
        'jiaozuo-appeal-open-ended',
        'binhai-exofficio-after-lapse',
        'binhai-correction-alongside',
        'binhai-clarification',
        'binhai-revised-on-appeal',
        'yinchuan-unit-applicant',
        'binhai-application-with-case-view',
        // Both sides of each change of this pass (issue 25): recorded before it, and after.
        'binhai-application-lapsed-provisionally-before-waiting',
        'binhai-application-reopened-by-calendar-load',
        'binhai-appeal-before-organisation-served',
        'binhai-revised-on-appeal-filed-before-execution',
        'yangjiang-correction-list-with-feedback',
      ]),
    );
  });

  it('replays every recorded history deterministically on the current workflow code', async () => {
    // With the product's data converter: fixtures recorded before encryption decode unchanged, later ones decrypt.
    const results = Worker.runReplayHistories({ workflowBundle: await workflowBundle(), dataConverter: testDataConverter }, histories);
    const failures: string[] = [];
    for await (const result of results) {
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    expect(failures).toEqual([]);
  });

  it('catches a silent edit of the workflow', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'changed-workflow.ts'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    // A fixture recorded before encryption: the changed bundle is replayed without the product's codec.
    const results = Worker.runReplayHistories({ workflowBundle: changed }, histories.filter((h) => h.workflowId === 'binhai-application-lapsed'));
    const errors: unknown[] = [];
    for await (const result of results) errors.push(result.error);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DeterminismViolationError);
  });
});
