/**
 * The papers a step carries: the written application with the filing, the
 * report with its submission, the minutes with the deliberation, a proof of
 * service with a served notice. The case records each with the step it
 * belongs to; where the rulebook asks a step for a written document
 * (`papers`), a step taken without it is either refused (the rulebook says
 * it may not proceed without the scan) or recorded and the document shown as
 * missing until it is attached (`attachPapers`).
 *
 * Only what the step's input and the case's pinned rulebook say is used, so
 * cases whose rulebook asks for no papers, and histories recorded before
 * papers existed, take their steps as they always did.
 */
import { RefusalType, type ActionInputs, type ActionName, type CaseState } from '../../domain/case/contract';
import { materialKindLabel, PAPER_ACTIONS, type PaperAction, type PaperRef } from '../../domain/case/materials';
import type { Rulebook } from '../../domain/rulebooks/schema';
import { refuse } from './actions';
import type { CaseFile } from './case-file';
import { now } from './clock';

const isPaperAction = (name: ActionName): name is PaperAction => (PAPER_ACTIONS as readonly string[]).includes(name);

type Requirement = NonNullable<Rulebook['papers']>[number];

/** The requirements of the rulebook for this step. */
export function requirementsOf(rulebook: Rulebook, step: PaperAction): Requirement[] {
  return (rulebook.papers ?? []).filter((r) => r.step === step);
}

/** Whether the papers (carried now, or already attached to the step) meet the requirement. */
function met(requirement: Requirement, state: CaseState, carried: PaperRef[]): boolean {
  const onFile = (state.papers?.attached ?? []).filter((p) => p.step === requirement.step);
  return [...carried, ...onFile].some((p) => requirement.kinds.includes(p.kind));
}

/** Refuses a step the rulebook will not let proceed without a paper it does not carry. */
export function checkPapers(rulebook: Rulebook, state: CaseState, name: ActionName, input: ActionInputs[ActionName]): void {
  if (name === 'attachPapers') return;
  if (!isPaperAction(name)) {
    if (input?.papers?.length) refuse(RefusalType.invalidInput, `papers：${name} 不附材料；材料可随 ${PAPER_ACTIONS.join('、')} 提交，或以 attachPapers 补附`);
    return;
  }
  for (const requirement of requirementsOf(rulebook, name)) {
    if (requirement.mayProceedWithout || met(requirement, state, input?.papers ?? [])) continue;
    const kinds = requirement.kinds.map((k) => materialKindLabel(k, rulebook.materialKinds)).join('或');
    refuse(RefusalType.invalidInput, `attachments：${requirement.label}须附扫描件（${kinds}），请先上传材料再办理`, requirement.basis);
  }
}

/** Records the papers a step carried, and what the rulebook asked of it that it did not carry. */
export function recordPapers(file: CaseFile, rulebook: Rulebook, step: PaperAction, input: { papers?: PaperRef[] | undefined; actor: { sub: string; name: string } }): void {
  const state = file.state;
  const carried = input.papers ?? [];
  const requirements = requirementsOf(rulebook, step);
  if (carried.length === 0 && requirements.length === 0) return;
  const papers = (state.papers ??= { attached: [], missing: [] });
  const at = new Date(now()).toISOString();
  for (const paper of carried) {
    if (papers.attached.some((p) => p.materialId === paper.materialId && p.step === step)) continue;
    papers.attached.push({ ...paper, step, at, by: { sub: input.actor.sub, name: input.actor.name } });
  }
  if (carried.length > 0) {
    const listed = carried.map((p) => `${materialKindLabel(p.kind, rulebook.materialKinds)}《${p.title}》（SHA-256 ${p.sha256.slice(0, 16)}…）`).join('、');
    file.record('papersAttached', { actor: input.actor, detail: `${step} 附：${listed}` });
  }
  // What is still missing: met requirements leave the list, unmet ones join it once.
  papers.missing = papers.missing.filter((m) => m.step !== step || !papers.attached.some((p) => p.step === step && m.kinds.includes(p.kind)));
  for (const requirement of requirements) {
    if (met(requirement, state, []) || papers.missing.some((m) => m.requirement === requirement.id)) continue;
    papers.missing.push({ requirement: requirement.id, step, label: requirement.label, kinds: requirement.kinds, article: requirement.basis.article, since: at });
  }
  file.changed();
}

/** Whether this step records papers itself (attachPapers does, for the step it names). */
export function carriesPapers(name: ActionName): name is PaperAction {
  return isPaperAction(name);
}

/**
 * Papers for a step already taken, at any point until the case closes: a proof of service that came
 * back, the scan of an application recorded from paper. Staff attach them; the step must have been
 * taken (its timeline shows it), so a paper never stands for a step the case did not take.
 */
export function offerAttachPapers(file: CaseFile, rulebook: Rulebook, actions: { offer: import('./actions').Actions['offer'] }): void {
  actions.offer('attachPapers', {
    label: '补附书面材料',
    roles: ['officer', 'supervisor'],
    validate: (input) => {
      if (!input.papers?.length) refuse(RefusalType.invalidInput, 'attachments：须列明所附材料');
      if (!isPaperAction(input.step)) refuse(RefusalType.invalidInput, `step：只能为 ${PAPER_ACTIONS.join('、')} 补附材料`);
      if (!stepTaken(file.state, input.step)) refuse(RefusalType.invalidInput, `step：本案尚未办理 ${input.step}，材料随该步骤提交`);
    },
    apply: (input) => recordPapers(file, rulebook, input.step, input),
  });
}

/** The timeline events each paper step leaves, to tell whether it was taken. */
const STEP_EVENTS: Record<PaperAction, (state: CaseState) => boolean> = {
  fileApplication: (s) => s.application !== undefined,
  recordStatement: (s) => s.statements.length > 0,
  fileAppeal: (s) => s.appeal !== undefined,
  submitInvestigationReport: (s) => s.investigationReport !== undefined,
  recordDetermination: (s) => s.determination !== undefined,
  serveNotice: (s) => s.notice !== undefined || (s.noticeReceipts ?? []).length > 0,
  withdrawCase: (s) => s.withdrawal !== undefined,
};

function stepTaken(state: CaseState, step: PaperAction): boolean {
  return STEP_EVENTS[step](state);
}
