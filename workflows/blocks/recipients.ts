/** Who a conclusion goes to in a case, and what the documents call them. */
import type { CaseState } from '../../domain/case/contract';
import type { Recipient, StepOf } from '../../domain/rulebooks/schema';

export const RECIPIENT_NAMES = { subject: '被调查对象', subjectOrganisation: '所在党组织', accountabilityBody: '问责实施机关' } as const;

/** The notice's recipients in this case: the applicant is whoever applied (the subject where nobody did). */
export function recipientsOf(step: StepOf<'notice'>, state: CaseState): Recipient[] {
  return [...new Set(step.recipients.map((r) => (r === 'applicant' ? (state.application?.filedBy ?? 'subject') : r)))];
}
