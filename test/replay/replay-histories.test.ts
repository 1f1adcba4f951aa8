/**
 * Every recorded history under test/replay/histories replays on today's
 * workflow code. A change that would break running cases fails here; such a
 * change needs patched() or a new workflow type.
 *
 * The fixtures were recorded again when the patches of the first rounds were
 * retired before go-live (README, "Patches"): they stand for the code of that
 * day, and each patch added from now on keeps a fixture of each of its sides.
 */
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { Payload } from '@temporalio/common';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { fixtureReplay, loadHistories } from '../support/histories';
import { testDataConverter, testPayloadKeys, unsealedReplayDataConverter } from '../support/keys';
import { workflowBundle } from '../support/temporal';
import { PayloadEncryptionCodec } from '../../services/codec/codec';

const histories = loadHistories();

describe('replay of recorded case histories', () => {
  it('has fixtures to replay', () => {
    expect(histories.map((h) => h.workflowId)).toEqual(
      expect.arrayContaining([
        'binhai-exempt',
        'binhai-denied-appealed',
        'binhai-application-lapsed',
        'binhai-application-lapsed-provisionally-before-waiting',
        'binhai-revised-on-appeal',
        'binhai-exofficio-after-lapse',
        'binhai-correction-alongside',
        'binhai-clarification',
        'binhai-notice-overdue-during-filing',
        'binhai-served-through-inbox',
        'binhai-appeal-before-organisation-served',
        'binhai-application-recorded-after-lapse',
        'binhai-application-reopened-by-calendar-load',
        'binhai-application-with-case-view',
        'binhai-forged-signals-dropped',
        'hangzhou-exempt',
        'hangzhou-denied',
        'hangzhou-not-started-with-dossier',
        'yinchuan-exempt',
        'yinchuan-denied',
        'yinchuan-unit-applicant',
        'yinchuan-application-lapsed-after-recording',
        'jiaozuo-exofficio-exempt',
        'jiaozuo-denied-appealed',
        'jiaozuo-appeal-open-ended',
        'yangjiang-exempt-corrected',
        'yangjiang-denied',
        // Issue 27: a party filing for itself, a case claimed, reassigned and unassigned, notices of waiting steps.
        'binhai-people-on-a-case',
        // A long case's runs: the one that handed over (continue-as-new), and one that took it over and closed it.
        'binhai-handed-over-first-run',
        'binhai-handed-over-last-run',
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
  const fixtures = histories.map((h) => ({ name: h.workflowId, workflowId: fixtureReplay(h).workflowId, history: h.history }));

  it('replays every recorded history deterministically on the current workflow code, with the live worker’s converter', async () => {
    // Every fixture is sealed (recorded since payloads are encrypted), so the converter that refuses anything unsealed reads them all.
    expect(histories.filter((h) => !fixtureReplay(h).sealed).map((h) => h.workflowId)).toEqual([]);
    expect(await replay(testDataConverter, fixtures)).toEqual([]);
  });

  it('does not replay a case whose opening input was never sealed: the interceptor fails it at once, where the history goes on', async () => {
    const fixture = fixtures.find((f) => f.name === 'binhai-exempt')!;
    const codec = new PayloadEncryptionCodec(testPayloadKeys);
    // The same input, decrypted and put back as plain JSON: what a start sent around the API would carry.
    const plain = await codec.decode(fixture.history.events![0]!.workflowExecutionStartedEventAttributes!.input!.payloads as Payload[]);
    const json = JSON.parse(historyToJSON(temporal.api.history.v1.History.create(fixture.history)));
    json.events[0].workflowExecutionStartedEventAttributes.input.payloads = plain.map((p) => ({
      metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
      data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
    }));
    const unsealed = { ...fixture, history: historyFromJSON(json) };
    const failures = await replay(testDataConverter, [unsealed]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/DeterminismViolationError/);
  });

  it('drops the forged signals of a recorded case again, as the live worker did; a converter that let them through would not replay it', async () => {
    const forged = fixtures.filter((f) => f.name === 'binhai-forged-signals-dropped');
    expect(forged).toHaveLength(1);
    expect(forged[0]!.workflowId).toMatch(/^case-binhai-\d{4}-\d{4,}$/);
    expect(await replay(testDataConverter, forged)).toEqual([]);
    expect(await replay(unsealedReplayDataConverter, forged)).toHaveLength(1);
  });

  it('catches a silent edit of the workflow', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: path.join(__dirname, 'changed-workflow.ts'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    });
    const results = Worker.runReplayHistories({ workflowBundle: changed, dataConverter: testDataConverter }, fixtures.filter((f) => f.name === 'binhai-exempt'));
    const errors: unknown[] = [];
    for await (const result of results) errors.push(result.error);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(DeterminismViolationError);
  });
});
