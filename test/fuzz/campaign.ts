/**
 * A fuzzing campaign: every operation of the OpenAPI document gets the same
 * number of generated requests, sent one at a time over a socket to the app
 * on the real stack. Shared by the bounded run in `npm test` and `npm run fuzz`.
 */
import fc from 'fast-check';
import { startStack, type Stack } from '../support/stack';
import { describeRequest, emptyFigures, judge, listen, record, requestArb, type FuzzFigures } from './requests';
import { prepareWorld } from './world';

/** Longer than any bounded wait of the app (steps wait 2 s here, reads 2 s), so only a real hang reaches it. */
const HANG_MS = 20_000;

export interface Campaign {
  stack: Stack;
  operations: number;
  /** Runs `perOperation` requests for each operation; `stopAtFailure` shrinks the first failing request and throws it. */
  run(perOperation: number, options: { seed?: number; stopAtFailure: boolean; onProgress?: (figures: FuzzFigures) => void }): Promise<FuzzFigures>;
  stop(): Promise<void>;
}

export async function startCampaign(): Promise<Campaign> {
  const stack = await startStack({ stepWaitMs: 2_000 });
  const { world, operations } = await prepareWorld(stack);
  const client = await listen(stack.app);
  return {
    stack,
    operations: operations.length,
    async run(perOperation, { seed, stopAtFailure, onProgress }) {
      const figures = emptyFigures();
      for (const operation of operations) {
        const property = fc.asyncProperty(requestArb([operation], world), async (req) => {
          const answer = await client.send(req, HANG_MS);
          const verdict = judge(req, answer);
          record(figures, req, answer, verdict);
          if (!verdict.ok && stopAtFailure) throw new Error(`${verdict.kind}: ${verdict.why}\n${describeRequest(req)}`);
        });
        await fc.assert(property, { numRuns: perOperation, ...(seed === undefined ? {} : { seed }), endOnFailure: !stopAtFailure });
        onProgress?.(figures);
      }
      return figures;
    },
    async stop() {
      await client.close();
      await stack.stop();
    },
  };
}
