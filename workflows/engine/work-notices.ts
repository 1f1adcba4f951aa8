/**
 * When a step starts waiting for someone, they are told: a step for a
 * supervisor (the deliberation, an approval, an appeal decision) goes to the
 * supervisors' inbox; a step for an officer to the case's 承办人, or, while
 * the case is unassigned, to the officers' inbox. One notice per recipient for
 * all the steps a turn offers, listing each with its last day and article. A
 * party's own window is the party's, not anybody's work, and an effect that
 * failed tells the supervisors itself (domain/case/people.ts).
 */
import type { ActionName, NotifyRequest } from '../../domain/case/contract';
import { forSupervisor, TOLD_OTHERWISE, waitingSteps, type WaitingStep } from '../../domain/case/people';
import type { CaseContext } from './context';

/** A step as the notice lists it: its label, and its last day and article where a deadline runs. */
export function describeStep(step: WaitingStep): string {
  return step.deadline ? `${step.label}（最后一日 ${step.deadline}${step.article ? `，${step.article}` : ''}）` : step.label;
}

/** Who is told of a step: the supervisors, the 承办人, or while none is assigned, the officers. */
function recipientOf(ctx: CaseContext, step: WaitingStep): NotifyRequest['recipient'] {
  const { state } = ctx.file;
  if (forSupervisor(step)) return { kind: 'role', role: 'supervisor', authority: state.authority };
  const responsible = state.assignment?.responsible;
  if (responsible) return { kind: 'staff', authority: state.authority, sub: responsible.sub, name: responsible.name };
  return { kind: 'role', role: 'officer', authority: state.authority };
}

const recipientTag = (r: NotifyRequest['recipient']) => (r.kind === 'staff' ? `staff-${r.sub}` : r.kind === 'role' ? `role-${r.role}` : r.kind);

export function tellWhenWaiting(ctx: CaseContext): void {
  let turns = 0;
  ctx.actions.whenWaiting((names: ActionName[]) => {
    const { state } = ctx.file;
    if (state.closed) return;
    const steps = waitingSteps(state).filter((s) => names.includes(s.action) && !TOLD_OTHERWISE.includes(s.action));
    if (steps.length === 0) return;
    turns += 1;
    const byRecipient = new Map<string, { recipient: NotifyRequest['recipient']; steps: WaitingStep[] }>();
    for (const step of steps) {
      const recipient = recipientOf(ctx, step);
      const tag = recipientTag(recipient);
      const entry = byRecipient.get(tag) ?? { recipient, steps: [] };
      entry.steps.push(step);
      byRecipient.set(tag, entry);
    }
    for (const [tag, { recipient, steps: listed }] of byRecipient) {
      ctx.background(
        ctx.effects
          .tell({
            caseId: state.caseId,
            idempotencyKey: `${state.caseId}:waiting:${turns}:${tag}`,
            recipient,
            subject: `【待办】${state.caseId} ${listed.map((s) => s.label).join('、')}`,
            body: `${state.caseId} 现等待办理：${listed.map(describeStep).join('；')}。`,
          })
          .then(() => undefined),
      );
    }
  });
}
