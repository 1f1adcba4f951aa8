/** A case as it stands when opened, before any step: the workflow starts from it, the dossier sweep falls back on it. */
import type { CaseInput, CaseState } from './contract';

export function openingState(input: CaseInput): CaseState {
  return {
    caseId: input.caseId,
    jurisdiction: input.rulebook.id,
    rulebookVersion: input.rulebook.version,
    ...(input.rulebook.revision ? { rulebookRevision: input.rulebook.revision } : {}),
    authority: input.authority,
    subject: input.subject,
    matter: input.matter,
    ...(input.attributes ? { attributes: input.attributes } : {}),
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
