/**
 * A silent edit of the case workflow, for the replay test to catch: it asks
 * for the deadline only after a timer the recorded histories never had.
 */
import { sleep } from '@temporalio/workflow';
import type { CaseInput, CaseState } from '../../domain/case/contract';
import { exemptionReview as original } from '../../workflows/exemption-review';

export async function exemptionReview(input: CaseInput): Promise<CaseState> {
  await sleep('1 second');
  return original(input);
}
