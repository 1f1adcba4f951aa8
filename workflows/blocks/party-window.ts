/**
 * A window that belongs to a party (the application): the filing is recorded
 * if it reached the authority by the window's last day, even when it is
 * entered after the window lapsed (within the recording period); when that
 * period ends with nothing recorded the window closes for good and the
 * rulebook says what becomes of the case.
 */
import { RefusalType, type DeadlineRecord } from '../../domain/case/contract';
import { openingEventOf, type StepOf } from '../../domain/rulebooks/schema';
import { refuse } from '../engine/actions';
import { checkApplicationContents, checkDate, checkText, missingNote, today, type CaseContext } from '../engine/context';
import { awaitLateRecording, refuseIfLate, settleFiled, type PartyWindow } from '../engine/party-filing';

const FILER_NAMES = { subject: '被调查对象', subjectOrganisation: '所在党组织' } as const;

export async function partyWindow(step: StepOf<'partyWindow'>, ctx: CaseContext): Promise<void> {
  const { file, deadlines, actions, input } = ctx;
  file.enterStage(step.stage);
  if (step.exOfficio && input.route === 'exOfficio') {
    file.state.intake = { route: 'exOfficio', basis: step.exOfficio.basis };
    file.record('intake', { actor: input.openedBy, detail: '问责部门依职权启动；当事人仍可在期限内提交申请', basis: step.exOfficio.basis });
  }
  const window = await deadlines.open({ key: step.stage, label: step.label, binds: 'party', rule: step.deadline, from: input.eventDate });
  const party: PartyWindow = { window, basis: step.deadline.basis, label: step.label, what: '申请' };
  let recording: DeadlineRecord | undefined;

  const offer = (deadline: DeadlineRecord) =>
    actions.offer('fileApplication', {
      label: step.label,
      // Histories recorded before roles were part of the step carry none: an officer records filings.
      roles: step.roles ?? ['officer'],
      deadline,
      // The applicants the rule names may also file it themselves, online.
      filers: step.filers,
      validate: (filing) => {
        // A date that has not come yet is wrong as a date, whatever the window: said so before "late".
        checkDate('receivedOn', filing.receivedOn, { date: input.eventDate, what: openingEventOf(ctx.rulebook, input.route).label });
        refuseIfLate(party, filing.receivedOn);
        if (!step.filers.includes(filing.filedBy)) refuse(RefusalType.invalidInput, `filedBy：只能由 ${step.filers.join('、')} 提交`);
        checkText('summary', filing.summary);
        checkApplicationContents(ctx.rulebook, filing.contents);
      },
      apply: (filing) => {
        const recordedOn = today();
        const missing = checkApplicationContents(ctx.rulebook, filing.contents);
        file.state.application = {
          filedBy: filing.filedBy,
          filedAt: filing.receivedOn,
          recordedOn,
          recordedBy: filing.actor,
          summary: filing.summary,
          ...(filing.contents ? { contents: filing.contents } : {}),
          ...(missing.length > 0 ? { missing } : {}),
        };
        settleFiled(ctx, party, recording);
        actions.withdraw('fileApplication');
        file.record('applicationFiled', {
          actor: filing.actor,
          detail: `${FILER_NAMES[filing.filedBy]}提交，${filing.receivedOn} 送达（期限最后一日 ${window.deadline}），${recordedOn} 登记${missingNote(ctx, missing)}`,
          basis: step.deadline.basis,
        });
      },
    });
  offer(window);

  const filed = () => file.state.application !== undefined;
  const result = await deadlines.waitFor(window, filed, actions);
  if (result !== 'lapsed') return;
  const late = await awaitLateRecording(ctx, party, 'fileApplication', filed, (r) => {
    recording = r;
    offer(r);
  });
  if (late) return;
  if (step.exOfficio) {
    await considerExOfficio(step, step.exOfficio, ctx);
    return;
  }
  file.record('noApplication', { detail: `${step.label}期限 ${window.deadline} 届满，登记期内未登记期限内送达的申请`, basis: step.deadline.basis });
  file.close(step.onLapse.outcome, step.onLapse.explanation);
}

/**
 * Nobody applied: the authority still considers tolerance of its own motion (滨海 第十二条(一)). A
 * case it opened so goes on; otherwise it decides, with reasons, whether to go on or to close.
 */
async function considerExOfficio(step: StepOf<'partyWindow'>, exOfficio: NonNullable<StepOf<'partyWindow'>['exOfficio']>, ctx: CaseContext): Promise<void> {
  const { file, actions, input } = ctx;
  const { basis } = exOfficio;
  if (input.route === 'exOfficio') {
    file.state.exOfficio = { proceed: true, decidedOn: today(), reasons: '立案时依职权启动，期限内未收到申请', decidedBy: input.openedBy };
    file.record('exOfficioProceeds', { detail: `${step.label}期限内未收到申请，依职权继续容错免责程序`, basis });
    return;
  }
  file.enterStage('exOfficioConsideration');
  actions.offer('decideExOfficio', {
    label: '依职权决定是否继续容错免责程序',
    roles: exOfficio.roles,
    validate: (decision) => {
      checkDate('decidedOn', decision.decidedOn, { date: input.eventDate, what: openingEventOf(ctx.rulebook, input.route).label });
      checkText('reasons', decision.reasons);
    },
    apply: (decision) => {
      file.state.exOfficio = { proceed: decision.proceed, decidedOn: decision.decidedOn, reasons: decision.reasons, decidedBy: decision.actor };
      if (decision.proceed) file.state.intake = { route: 'exOfficio', basis };
      actions.withdraw('decideExOfficio');
      file.record(decision.proceed ? 'exOfficioProceeds' : 'exOfficioDeclined', {
        actor: decision.actor,
        detail: `${decision.decidedOn} ${decision.proceed ? '依职权继续容错免责程序' : '经主动考虑，不启动容错免责'}：${decision.reasons}`,
        basis,
      });
    },
  });
  await actions.until(() => file.state.exOfficio !== undefined);
  const decided = file.state.exOfficio!;
  if (!decided.proceed) file.close(exOfficio.declinedOutcome, `问责部门经主动考虑，不予容错免责：${decided.reasons}`);
}
