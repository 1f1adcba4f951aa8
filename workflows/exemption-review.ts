/**
 * 容错免责: one case, from the authority's notice to the subject until it
 * closes, as the jurisdiction's rulebook prescribes. The workflow interprets
 * the rulebook's steps with a small set of building blocks; the rulebook
 * version arrives in the input, so a later amendment never changes a running
 * case or its replay.
 */
import { allHandlersFinished, condition, patched, setHandler } from '@temporalio/workflow';
import { calendarUpdatedSignal, caseStateQuery, type CaseInput, type CaseState } from '../domain/case/contract';
import type { Step } from '../domain/rulebooks/schema';
import { acceptance } from './blocks/acceptance';
import { appeal } from './blocks/appeal';
import { archive } from './blocks/archive';
import { correction } from './blocks/correction';
import { renderArchivalCopies } from './blocks/documents';
import { deliberation } from './blocks/deliberation';
import { execution } from './blocks/execution';
import { filing } from './blocks/filing';
import { followUp } from './blocks/follow-up';
import { intake } from './blocks/intake';
import { investigation } from './blocks/investigation';
import { notice } from './blocks/notice';
import { partyWindow } from './blocks/party-window';
import { publication } from './blocks/publication';
import { startApproval } from './blocks/start-approval';
import { Actions, recusalBasis } from './engine/actions';
import { CaseFile } from './engine/case-file';
import { checkText, effects, type CaseContext } from './engine/context';

/** Closing a case writes its dossier to the archive database (added after the first cases ran). */
export const ARCHIVE_DOSSIER_PATCH = 'archive-dossier-on-close';
import { Deadlines } from './engine/deadlines';

type Blocks = { [K in Step['kind']]: (step: Extract<Step, { kind: K }>, ctx: CaseContext) => Promise<void> };

const blocks: Blocks = {
  intake,
  acceptance,
  partyWindow,
  startApproval,
  investigation,
  deliberation,
  filing,
  notice,
  appeal,
  publication,
  archive,
  execution,
  correction,
  followUp,
};

/** Anyone with kinship or interest is recorded as recused, at any point of the case, and may not act on it. */
function offerRecusal({ actions, file, rulebook }: CaseContext): void {
  const basis = recusalBasis(rulebook);
  actions.offer('recordRecusal', {
    label: '登记回避',
    roles: ['officer', 'supervisor'],
    validate: (input) => {
      checkText('person.name', input.person?.name);
      checkText('reason', input.reason);
    },
    apply: (input) => {
      file.state.recusals.push({ person: input.person, reason: input.reason, recordedBy: input.actor });
      file.record('recusalRecorded', { actor: input.actor, detail: `${input.person.name} 回避：${input.reason}`, basis });
    },
  });
}

function run(step: Step, ctx: CaseContext): Promise<void> {
  return (blocks[step.kind] as (s: Step, c: CaseContext) => Promise<void>)(step, ctx);
}

export async function exemptionReview(input: CaseInput): Promise<CaseState> {
  const file = new CaseFile(input);
  const deadlines = new Deadlines(file);
  const actions = new Actions(file, input.rulebook);
  const background: Promise<void>[] = [];
  const ctx: CaseContext = { input, rulebook: input.rulebook, file, deadlines, actions, background: (task) => void background.push(task) };

  offerRecusal(ctx);
  setHandler(caseStateQuery, () => file.state);
  setHandler(calendarUpdatedSignal, async ({ year, source }) => {
    await deadlines.onYearLoaded(year, source);
  });

  for (const step of input.rulebook.steps) {
    await run(step, ctx);
    if (file.state.closed) break;
  }
  if (!file.state.closed) file.close(file.state.outcome ?? 'completed', '程序终结');

  await Promise.all(background);
  await condition(allHandlersFinished);
  await renderArchivalCopies(ctx);
  // Cases closed before the dossier existed did not write one; their histories replay without it.
  if (patched(ARCHIVE_DOSSIER_PATCH)) await effects.archiveDossier(file.state);
  return file.state;
}
