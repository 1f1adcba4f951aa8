/**
 * Replay fixtures: real histories of full paths, recorded from the test
 * server with RECORD_HISTORIES=1 and replayed in every run (test/replay).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { boundWorkflowOf, ENCODING_ENCRYPTED } from '../../services/codec/codec';

export const HISTORIES_DIR = path.resolve(__dirname, '..', 'replay', 'histories');

/**
 * Writes the handle's history as fixture `name` when RECORD_HISTORIES=1 and
 * no such fixture exists yet; otherwise does nothing. A recorded history is
 * never replaced: it stands for the cases that ran on the code of its day.
 */
export async function recordHistory(name: string, handle: WorkflowHandle): Promise<void> {
  if (process.env.RECORD_HISTORIES !== '1' || fs.existsSync(path.join(HISTORIES_DIR, `${name}.json`))) return;
  const history = temporal.api.history.v1.History.create(await handle.fetchHistory());
  fs.writeFileSync(path.join(HISTORIES_DIR, `${name}.json`), `${JSON.stringify(JSON.parse(historyToJSON(history)), null, 1)}\n`);
}

export function loadHistories(): { workflowId: string; history: temporal.api.history.v1.IHistory }[] {
  return fs
    .readdirSync(HISTORIES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({
      workflowId: path.basename(file, '.json'),
      history: historyFromJSON(JSON.parse(fs.readFileSync(path.join(HISTORIES_DIR, file), 'utf8'))),
    }));
}

/**
 * How a fixture replays. One recorded before encryption holds no sealed payload, and replays with
 * the converter that lets those through; one recorded since holds nothing else, and replays with the
 * live converter under the id of the workflow it was recorded from (its payloads are sealed for it).
 */
export function fixtureReplay(fixture: { workflowId: string; history: temporal.api.history.v1.IHistory }): { sealed: boolean; workflowId: string } {
  const started = fixture.history.events?.[0]?.workflowExecutionStartedEventAttributes;
  const input = started?.input?.payloads?.[0];
  const sealed = Buffer.from(input?.metadata?.encoding ?? []).toString() === ENCODING_ENCRYPTED;
  // The dev server names the workflow in its first event; the time-skipping server does not, but its sealed input does.
  return { sealed, workflowId: (sealed && (started?.workflowId || (input && boundWorkflowOf(input)))) || fixture.workflowId };
}
