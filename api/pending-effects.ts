/**
 * The effects a running case is still retrying (the archive database down, an
 * SMTP server refusing): what Temporal knows of each pending activity, with its
 * attempt count and last failure, so a fault that passes is visible while it
 * lasts instead of the case just looking slow.
 */
import type { Client } from '@temporalio/client';
import { decodeOptionalFailureToOptionalError } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';

export interface PendingEffect {
  activity: string;
  attempt: number;
  state: 'scheduled' | 'started' | 'cancelRequested' | 'paused' | 'unknown';
  lastFailure: string | null;
  lastStartedAt: string | null;
}

const STATES = ['unknown', 'scheduled', 'started', 'cancelRequested', 'paused'] as const;
const isoOf = (t: { seconds?: unknown } | null | undefined) => (t?.seconds ? new Date(Number(t.seconds) * 1000).toISOString() : null);

/** Long enough for a busy server; short enough that a read with Temporal away still answers from the case's view at once. */
const DESCRIBE_WAIT_MS = 2_000;

/** The case's pending activities; null when Temporal does not answer in time (unknown, not none). */
export async function pendingEffects(client: Client, caseId: string): Promise<PendingEffect[] | null> {
  let raw;
  try {
    ({ raw } = await client.connection.withDeadline(Date.now() + DESCRIBE_WAIT_MS, () => client.workflow.getHandle(caseId).describe()));
  } catch {
    return null;
  }
  return Promise.all(
    (raw.pendingActivities ?? []).map(async (a) => ({
      activity: a.activityType?.name ?? 'unknown',
      attempt: a.attempt ?? 1,
      state: STATES[Number(a.state ?? 0)] ?? 'unknown',
      lastFailure: (await decodeOptionalFailureToOptionalError(client.options.loadedDataConverter, a.lastFailure))?.message ?? null,
      lastStartedAt: isoOf(a.lastStartedTime),
    })),
  );
}
