/**
 * Every recorded history under test/replay/histories replays on today's
 * workflow code. A change that would break running cases fails here; such a
 * change needs patched() or a new workflow type.
 */
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import { fixtureReplay, loadHistories } from '../support/histories';
import { testDataConverter, unsealedReplayDataConverter } from '../support/keys';
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
        'binhai-forged-signals-dropped',
        // Both sides of each change of issue 25's pass: recorded before it, and after.
        'binhai-application-lapsed-provisionally-before-waiting',
        'binhai-application-reopened-by-calendar-load',
        'binhai-appeal-before-organisation-served',
        'binhai-revised-on-appeal-filed-before-execution',
        'yangjiang-correction-list-with-feedback',
        // Issue 27's new side: a party filing for itself, a case claimed, reassigned and unassigned, notices of waiting steps.
        'binhai-people-on-a-case',
      ]),
    );
  });

  const replay = async (dataConverter: typeof testDataConverter, fixtures: { name: string; workflowId: string; history: (typeof histories)[number]['history'] }[]) => {
    const names = new Map(fixtures.map((f) => [f.workflowId, f.name]));
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowBundle: await workflowBundle(), dataConverter }, fixtures)) {
      if (result.error) failures.push(`${names.get(result.workflowId)}: ${String(result.error)}`);
    }
    return failures;
  };
  const byKind = (sealed: boolean) =>
    histories.flatMap((h) => {
      const how = fixtureReplay(h);
      return how.sealed === sealed ? [{ name: h.workflowId, workflowId: how.workflowId, history: h.history }] : [];
    });

  it('replays every recorded history deterministically on the current workflow code', async () => {
    // Fixtures recorded since encryption with the live worker's converter, which refuses anything not sealed;
    // those recorded before, whose payloads were never encrypted, with the one that lets them through.
    expect(byKind(true).length).toBeGreaterThan(0);
    expect(await replay(testDataConverter, byKind(true))).toEqual([]);
    expect(await replay(unsealedReplayDataConverter, byKind(false))).toEqual([]);
  });

  it('does not replay the fixtures recorded before encryption with the live worker’s converter, which refuses their payloads', async () => {
    const before = byKind(false).slice(0, 2);
    expect(before).toHaveLength(2);
    const failures = await replay(testDataConverter, before);
    expect(failures).toHaveLength(2);
    // The interceptor fails a workflow whose input is not sealed at once, where the recorded history goes on.
    for (const failure of failures) expect(failure).toMatch(/DeterminismViolationError/);
  });

  it('drops the forged signals of a recorded case again, as the live worker did; a converter that let them through would not replay it', async () => {
    const forged = byKind(true).filter((f) => f.name === 'binhai-forged-signals-dropped');
    expect(forged).toHaveLength(1);
    expect(forged[0]!.workflowId).toMatch(/^case-binhai-\d{4}-\d{4}$/);
    expect(await replay(testDataConverter, forged)).toEqual([]);
    expect(await replay(unsealedReplayDataConverter, forged)).toHaveLength(1);
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
