import type { CaseState } from '../domain/case/contract';
import type { Db } from '../store/db';
import { saveCaseView } from '../store/case-views';

/** The read model, written by each case as it changes (run as a local activity: see workflows/engine/case-file.ts). */
export function caseViewActivities(db: Db) {
  return {
    async saveCaseView(request: { state: CaseState; version: number }): Promise<void> {
      await saveCaseView(db, request.state, request.version);
    },
  };
}
