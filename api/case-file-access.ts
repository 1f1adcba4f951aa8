/**
 * Who may do what with a case's file, decided from the roles table (CASE_FILE_ROLES in api/roles.ts) and
 * the case: readers must be of the case's authority (loadCase answers 404 otherwise) and not recused
 * (403); staff steps (uploading for the authority, withdrawing) are not for the case's subject; the
 * case's party uploads the kinds it files itself, to its own case only.
 */
import type { CaseState } from '../domain/case/contract';
import { materialKindLabel, PARTY_FILING_KINDS } from '../domain/case/materials';
import { materialKindsOfCase } from '../services/casefile/rulebook-of-case';
import { partyOfAccount } from '../domain/case/people';
import type { Party } from '../domain/rulebooks/schema';
import { CASE_FILE_ROLES, type User } from './auth';
import { recusedFrom, recusedProblem } from './case-access';
import { Problem, problems } from './problem';

export type CaseFileOperation = keyof typeof CASE_FILE_ROLES;

/** The party of the case this user is, if any: the account bound as the subject's or its organisation's. */
export function partyOf(state: CaseState, user: User): Party | undefined {
  return partyOfAccount(state, user.sub);
}

const holds = (user: User, operation: CaseFileOperation) => user.roles.some((r) => (CASE_FILE_ROLES[operation] as readonly string[]).includes(r));

/**
 * Throws unless the user may do this with the case's file. `kind`, for an upload: a party may upload
 * only the kinds it files itself; with no kind yet (before the upload's fields are read), a party
 * passes, and is asked again with the kind.
 */
export function checkCaseFileAccess(state: CaseState, user: User, operation: CaseFileOperation, kind?: string): void {
  if (recusedFrom(state, user)) throw recusedProblem(state.caseId);
  const party = partyOf(state, user);
  // A party's account reaches only the cases it is bound to: any other is not found, as in its own pages.
  if (user.roles.includes('party') && !party) throw problems.notFound(`case ${state.caseId}`);
  if (operation === 'uploadMaterial' && party) {
    const partyKinds = [...PARTY_FILING_KINDS, ...materialKindsOfCase(state).filter((k) => k.filedByParty).map((k) => k.id)];
    if (kind !== undefined && !partyKinds.includes(kind)) {
      throw new Problem({
        status: 403,
        code: 'party_upload_kind',
        title: 'Not a filing of the party',
        detail: {
          zh: `当事人只能上传本人提交的材料（${partyKinds.map((k) => materialKindLabel(k, materialKindsOfCase(state))).join('、')}），不能上传${materialKindLabel(kind)}`,
          en: `A party uploads only what it files itself (${partyKinds.join(', ')}), not ${kind}`,
        },
        errors: [{ field: 'body.kind', message: `must be one of ${partyKinds.join(', ')} for a party of the case` }],
      });
    }
    return;
  }
  if (!holds(user, operation)) throw problems.forbidden(CASE_FILE_ROLES[operation]);
  // The subject reads its case, but acts on its file only as its party (above).
  if (party && operation !== 'readMaterials' && operation !== 'readBoundFile') throw problems.forbidden(CASE_FILE_ROLES[operation]);
}
