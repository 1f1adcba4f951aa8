/**
 * What a step costs a case's history and its replay does not grow with the
 * case: each step writes the same events of the same size however many came
 * before (nothing in them carries the state), and replaying a case encodes and
 * decodes payloads in proportion to its steps, not to their square (the read
 * model is written by the worker from outside the history, never on replay).
 * `npm run bench:load` times the replay of cases of 100 to 2,000 steps.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { actionUpdate, type CaseInput } from '../../domain/case/contract';
import { CaseDriver, officer, withCaseWorker } from '../support/case-driver';
import { testDataConverter } from '../support/keys';
import { workflowBundle } from '../support/temporal';
import { timeSkippingSuite } from '../support/time-skipping-suite';

const suite = timeSkippingSuite();
const EventType = temporal.api.enums.v1.EventType;
/** Steps enough to see growth, well under the bounds of a run: these cases never hand over. */
const FEW = 30;
const MANY = 150;
const NO_HAND_OVER = { bounds: { updates: 10_000, events: 100_000 } };

const recusal = (i: number) => ({ actor: officer, person: { name: `回避人${i}` }, reason: '与被调查对象有利害关系' });

/** The bytes of each event, encoded as the server stores it. */
const sizeOf = (e: temporal.api.history.v1.IHistoryEvent) => temporal.api.history.v1.HistoryEvent.encode(e).finish().length;

/** The events each step wrote: from the update's acceptance to the next's (the workflow task that delivered the next one included). */
function stepsOf(events: temporal.api.history.v1.IHistoryEvent[]): temporal.api.history.v1.IHistoryEvent[][] {
  const steps: temporal.api.history.v1.IHistoryEvent[][] = [];
  let current: temporal.api.history.v1.IHistoryEvent[] | undefined;
  for (const e of events) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) steps.push((current = []));
    current?.push(e);
  }
  return steps;
}

/** A codec that counts what passes through it, around the live one. */
function counting(inner: PayloadCodec): PayloadCodec & { bytes: number } {
  const total = (payloads: Payload[]) => payloads.reduce((sum, p) => sum + (p.data?.length ?? 0), 0);
  const codec = {
    bytes: 0,
    async encode(payloads: Payload[]) {
      const encoded = await inner.encode(payloads);
      codec.bytes += total(payloads);
      return encoded;
    },
    async decode(payloads: Payload[]) {
      const decoded = await inner.decode(payloads);
      codec.bytes += total(decoded);
      return decoded;
    },
  };
  return codec;
}

async function recordCase(tq: string, steps: number): Promise<{ input: CaseInput; events: temporal.api.history.v1.IHistoryEvent[] }> {
  const c = await CaseDriver.open(suite.env, suite.db, tq, 'binhai', { run: NO_HAND_OVER });
  for (let i = 0; i < steps; i += 1) await c.handle.executeUpdate(actionUpdate('recordRecusal'), { args: [recusal(i)] });
  const events = (await c.handle.fetchHistory()).events ?? [];
  await c.handle.terminate('recorded');
  return { input: c.input, events };
}

async function replayBytes(recorded: { input: CaseInput; events: temporal.api.history.v1.IHistoryEvent[] }): Promise<number> {
  const codec = counting(testDataConverter.payloadCodecs![0]!);
  const history = temporal.api.history.v1.History.create({ events: recorded.events });
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), dataConverter: { ...testDataConverter, payloadCodecs: [codec] } }, history, recorded.input.caseId);
  return codec.bytes;
}

describe('the cost of a step does not grow with the case', () => {
  let few: Awaited<ReturnType<typeof recordCase>>;
  let many: Awaited<ReturnType<typeof recordCase>>;
  beforeAll(async () => {
    await withCaseWorker(suite.env, suite.db, 'replay-cost', async (tq) => {
      few = await recordCase(tq, FEW);
      many = await recordCase(tq, MANY);
    });
  });

  it('writes the same events of the same size for each step, the first or the hundred-and-fiftieth', () => {
    // The last step's workflow task is not followed by another yet: the steps before it, each complete.
    const steps = stepsOf(many.events).slice(0, -1);
    expect(steps).toHaveLength(MANY - 1);
    const shape = (step: temporal.api.history.v1.IHistoryEvent[]) => step.map((e) => e.eventType);
    for (const step of steps) expect(shape(step)).toEqual(shape(steps[0]!));
    const bytes = steps.map((step) => step.reduce((sum, e) => sum + sizeOf(e), 0));
    // The only difference between two steps is the recusal's number (回避人9 against 回避人149) inside encrypted, compressed payloads.
    expect(Math.max(...bytes) - Math.min(...bytes)).toBeLessThanOrEqual(64);
    // And no event of the case is anywhere near the size of its state.
    expect(Math.max(...many.events.map(sizeOf))).toBeLessThan(Math.max(...few.events.map(sizeOf)) + 256);
  });

  it('replays in proportion to its steps: the payloads a replay encodes and decodes grow linearly', async () => {
    const [small, large] = [await replayBytes(few), await replayBytes(many)];
    const perStep = (large - small) / (MANY - FEW);
    // Linear: the steps after the first thirty cost per step what the average of the first thirty did.
    // A view written through the history (the whole state once per change) would grow with the square.
    expect(perStep).toBeLessThan((small / FEW) * 1.5);
    expect(large / small).toBeLessThan((MANY / FEW) * 1.2);
  });
});
