/** A case as it stands when opened, before any step: the workflow starts from it, the dossier sweep falls back on it. */
import type { CaseInput, CaseState } from './contract';

export function openingState(input: CaseInput): CaseState {
  return {
    caseId: input.caseId,
    jurisdiction: input.rulebook.id,
    rulebookVersion: input.rulebook.version,
    authority: input.authority,
    subject: input.subject,
    matter: input.matter,
    accountability: { ...input.accountability, status: 'proceeding' },
    stage: 'opened',
    closed: false,
    deadlines: [],
    timeline: [],
    availableActions: [],
    documents: [],
    recusals: [],
    statements: [],
    hearings: [],
    deferrals: [],
    limits: [],
    extensions: [],
    participants: [],
  };
}
