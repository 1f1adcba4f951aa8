/**
 * Who holds a case (承办人) and its team: a supervisor assigns or reassigns it
 * with a reason (assignCase), an officer claims it while nobody holds it
 * (claimCase); either is in the timeline. Nobody who must recuse is ever
 * assigned, and a recusal recorded later takes the person off the case. The
 * case's Assignees search attribute holds keyed hashes of the accounts (the
 * API computes them), so the case list filters "mine" and "unassigned"
 * without an account in visibility.
 *
 * The API checks first that each assignee is an officer of the case's
 * authority (it knows accounts from their tokens); the workflow decides the
 * rest again here.
 */
import { upsertSearchAttributes } from '@temporalio/workflow';
import { RefusalType, searchAttributes as sa, type Actor } from '../../domain/case/contract';
import { waitingSteps, type Assignee, type Assignment } from '../../domain/case/people';
import { samePerson } from '../../domain/case/persons';
import { recusalBasis, refuse } from './actions';
import { checkText, type CaseContext } from './context';
import { now } from './clock';
import { describeStep } from './work-notices';

/** 承办人 and team are a matter of the authority's own organisation of work, not of a regulation. */
const ASSIGNMENT_BASIS = { article: '本系统规则（非法规条文）', quote: '每件案件确定一名承办人，可配备协办人员；应当回避的人员不得承办' };

function keysOf(assignment: Assignment | undefined): string[] {
  return assignment ? [assignment.responsible.key, ...assignment.team.map((m) => m.key)] : [];
}

function mirror(ctx: CaseContext, assignment: Assignment | undefined): void {
  // A new run catching up keeps the search attributes the run before handed over (hand-over.ts).
  if (ctx.file.journal.catchingUp) return;
  upsertSearchAttributes([{ key: sa.assignees, value: assignment ? keysOf(assignment) : null }]);
}

/** Tells the newly assigned what the case waits for (inbox, and e-mail where configured). */
function tellAssigned(ctx: CaseContext, assignment: Assignment, people: Assignee[]): void {
  const { state } = ctx.file;
  const waiting = waitingSteps(state).filter((s) => s.roles.includes('officer'));
  for (const person of people) {
    ctx.background(
      ctx.effects
        .tell({
          caseId: state.caseId,
          idempotencyKey: `${state.caseId}:assigned:${assignment.assignedAt}:${person.sub}`,
          recipient: { kind: 'staff', authority: state.authority, sub: person.sub, name: person.name },
          subject: `【承办】${state.caseId} ${person.sub === assignment.responsible.sub ? '指定您为承办人' : '指定您为协办人员'}`,
          body: `${state.caseId}：${assignment.assignedBy.name}指定${assignment.responsible.name}为承办人（理由：${assignment.reason}）。${waiting.length ? `现等待办理：${waiting.map(describeStep).join('；')}。` : '现无待办步骤。'}`,
        })
        .then(() => undefined),
    );
  }
}

export function offerAssignment(ctx: CaseContext): void {
  const { actions, file, rulebook } = ctx;
  const refuseRecused = (field: string, person: { sub?: string; name: string }) => {
    if (actions.mustRecuse(person)) refuse(RefusalType.recused, `${field}：${person.name}（${person.sub}）应当回避，不得承办本案`, recusalBasis(rulebook));
  };
  const assign = (assignment: Assignment, actor: Actor, event: 'caseAssigned' | 'caseClaimed') => {
    const before = file.state.assignment;
    file.state.assignment = assignment;
    const team = assignment.team.length ? `；协办：${assignment.team.map((m) => m.name).join('、')}` : '';
    file.record(event, { actor, detail: `承办人：${assignment.responsible.name}${team}${before ? `（原承办人：${before.responsible.name}）` : ''}；理由：${assignment.reason}`, basis: ASSIGNMENT_BASIS });
    mirror(ctx, assignment);
    const already = new Set(keysOf(before));
    tellAssigned(ctx, assignment, [assignment.responsible, ...assignment.team].filter((p) => !already.has(p.key) && p.sub !== actor.sub));
  };

  actions.offer('assignCase', {
    label: '指定承办人',
    roles: ['supervisor'],
    validate: (input) => {
      checkText('reason', input.reason);
      if (!input.responsible?.sub || !input.responsible.key) refuse(RefusalType.invalidInput, 'responsible：须指定承办人');
      refuseRecused('responsible', input.responsible);
      for (const [i, member] of (input.team ?? []).entries()) {
        refuseRecused(`team.${i}`, member);
        if (samePerson(member, input.responsible)) refuse(RefusalType.invalidInput, `team.${i}：${member.name} 已是承办人`);
      }
    },
    apply: (input) => {
      assign({ responsible: input.responsible, team: input.team ?? [], assignedBy: input.actor, assignedAt: new Date(now()).toISOString(), reason: input.reason }, input.actor, 'caseAssigned');
    },
  });

  actions.offer('claimCase', {
    label: '认领案件',
    roles: ['officer'],
    validate: (input) => {
      const held = file.state.assignment;
      if (held) refuse(RefusalType.wrongStage, `案件已由 ${held.responsible.name} 承办，不能认领；改派须由审核领导指定`, ASSIGNMENT_BASIS);
      if (!input.key) refuse(RefusalType.invalidInput, 'key：缺少认领人的检索键');
    },
    apply: (input) => {
      const self: Assignee = { sub: input.actor.sub, name: input.actor.name, key: input.key };
      assign({ responsible: self, team: [], assignedBy: input.actor, assignedAt: new Date(now()).toISOString(), reason: input.reason?.trim() || '认领' }, input.actor, 'caseClaimed');
    },
  });
}

/**
 * A person recorded as recused leaves the case's assignment: the 承办人 (the case is unassigned
 * until a supervisor assigns it again) or a member of the team.
 */
export function unassignRecused(ctx: CaseContext, person: { sub?: string | undefined; name: string }, actor: Actor): void {
  const { file } = ctx;
  const assignment = file.state.assignment;
  if (!assignment) return;
  if (samePerson(assignment.responsible, person)) {
    delete file.state.assignment;
    file.record('assignmentEnded', { actor, detail: `承办人 ${assignment.responsible.name} 回避，案件待重新指定承办人`, basis: ASSIGNMENT_BASIS });
    mirror(ctx, undefined);
    return;
  }
  const leaving = assignment.team.filter((m) => samePerson(m, person));
  if (leaving.length === 0) return;
  assignment.team = assignment.team.filter((m) => !leaving.includes(m));
  file.record('assignmentChanged', { actor, detail: `${leaving.map((m) => m.name).join('、')} 回避，退出协办`, basis: ASSIGNMENT_BASIS });
  mirror(ctx, assignment);
}
