/**
 * The read model, written by the worker for each case as it changes: the
 * case's workflow calls the `caseView` sink once per workflow turn in which
 * its state changed (workflows/engine/case-file.ts), never while it replays,
 * and the worker writes the view before the turn's completion goes to the
 * server. Nothing of it goes through the history.
 *
 * A write that fails (the archive restarting) is tried twice more, a moment
 * apart, without holding the case for long; if it still fails the next change
 * writes the whole state again, the API meanwhile reads the case itself, and
 * the failure is logged with the case id.
 */
import type { InjectedSinks } from '@temporalio/worker';
import { Runtime } from '@temporalio/worker';
import type { CaseViewSinks } from '../workflows/engine/case-file';
import type { Db } from '../store/db';
import { saveCaseView } from '../store/case-views';

const ATTEMPTS = 3;
const PAUSE_MS = 200;

export function caseViewSinks(db: Db): InjectedSinks<CaseViewSinks> {
  return {
    caseView: {
      save: {
        fn: async (info, view) => {
          for (let attempt = 1; ; attempt += 1) {
            try {
              await saveCaseView(db, view.state, view.version);
              return;
            } catch (err) {
              if (attempt >= ATTEMPTS) {
                Runtime.instance().logger.warn('case view not written; the next change writes it', { caseId: info.workflowId, version: view.version, error: (err as Error).message });
                return;
              }
              await new Promise((resolve) => setTimeout(resolve, PAUSE_MS * attempt));
            }
          }
        },
        callDuringReplay: false,
      },
    },
  };
}
