/**
 * The contract of the exemption-review workflow: its name, id scheme, input,
 * state, messages and search attributes. No logic lives here; the workflow,
 * the worker, the API and the tests all import it.
 */
import { defineSearchAttributeKey, SearchAttributeType, type UpdateDefinition } from '@temporalio/common';
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DeadlineComputation, IsoDate, PeriodUnit } from '../calendar';
import type { Basis, DeadlineRule, DocumentSpec, Effect, IntakeRoute, IssuerRole, Outcome, Party, Recipient, Rulebook } from '../rulebooks/schema';
import type { AttachedPaper, MissingPaper, PaperAction, PaperRef } from './materials';
import type { AssignCaseInput, Assignment, BindOrganisationAccountInput, ClaimCaseInput, PartyAccounts } from './people';

export const WORKFLOW_TYPE = 'exemptionReview';

/** Readable, business-keyed ids with no personal data: `case-binhai-2026-0001`. */
export function caseWorkflowId(jurisdiction: string, year: number, sequence: number): string {
  return `case-${jurisdiction}-${year}-${String(sequence).padStart(4, '0')}`;
}
export const CASE_ID_PATTERN = /^case-[a-z][a-z0-9-]*-\d{4}-\d{4,}$/;

/** Search attributes, for ops in the Temporal UI and for `GET /v1/cases`. Never personal data. */
export const searchAttributes = {
  caseId: defineSearchAttributeKey('CaseId', SearchAttributeType.KEYWORD),
  jurisdiction: defineSearchAttributeKey('Jurisdiction', SearchAttributeType.KEYWORD),
  authority: defineSearchAttributeKey('Authority', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('Stage', SearchAttributeType.KEYWORD),
  outcome: defineSearchAttributeKey('Outcome', SearchAttributeType.KEYWORD),
  nextDeadline: defineSearchAttributeKey('NextDeadline', SearchAttributeType.DATETIME),
  overdue: defineSearchAttributeKey('Overdue', SearchAttributeType.BOOL),
  provisionalDeadline: defineSearchAttributeKey('ProvisionalDeadline', SearchAttributeType.BOOL),
  /** An effect failed in a way retrying cannot fix, and waits for a person (retryEffect or skipEffect). */
  needsAttention: defineSearchAttributeKey('NeedsAttention', SearchAttributeType.BOOL),
  /**
   * No longer set: search attributes are never encrypted, and this held the
   * matter in clear. Still registered, since cases opened before carry it.
   */
  matter: defineSearchAttributeKey('Matter', SearchAttributeType.TEXT),
  /** Keyed hashes of the matter's search terms (services/cases/search-terms.ts), never the terms themselves. */
  matterTerms: defineSearchAttributeKey('MatterTerms', SearchAttributeType.KEYWORD_LIST),
  /** The id of the payload key the case was opened with, so a worker knows at start whether it can read every running case. */
  payloadKey: defineSearchAttributeKey('PayloadKey', SearchAttributeType.KEYWORD),
  /** Keyed hashes of the accounts the case is assigned to (承办人 and team, domain/case/people.ts), never the accounts; absent: unassigned. */
  assignees: defineSearchAttributeKey('Assignees', SearchAttributeType.KEYWORD_LIST),
} as const;
export const ALL_SEARCH_ATTRIBUTES = Object.values(searchAttributes);

/** Memo fields of a case: payloads, so encrypted like its input, and listed with it. */
export const CASE_MEMO = { matter: 'matter' } as const;

export interface Actor {
  sub: string;
  name: string;
  /** The caller's roles, so the workflow can refuse a step the rulebook gives to another role. */
  roles?: string[];
}

export interface CaseInput {
  caseId: string;
  /** The rulebook version in force when the case was opened, pinned for the life of the case. */
  rulebook: Rulebook;
  authority: string;
  /**
   * `userId`: the subject's own account, if any; the subject may never act on its own case. Cases
   * opened since the account is bound by a step (bindSubjectAccount) start without it.
   */
  subject: { name: string; organisation: string; position?: string | undefined; userId?: string | undefined };
  matter: string;
  accountability: { reference: string; body?: string | undefined };
  /**
   * The day of the event the rulebook names as the case's opening (`openingEvent`: 告知 in 滨海, the
   * start of accountability in 银川 and 杭州, the group's receipt of an opinion in 阳江): the first
   * window counts from it.
   */
  eventDate: IsoDate;
  openedBy: Actor;
  openedAt: string;
  /** How the case came in; an application unless the rulebook's intake allows another route. */
  route?: IntakeRoute | undefined;
  /** The level of the deciding authority (阳江: county decisions are filed with the city group). */
  level?: 'city' | 'county' | undefined;
  /** The advance risk filing (报备) of the reform the matter belongs to, if there was one (焦作). */
  advanceFiling?: { reference: string; filedWith: string; filedOn: IsoDate } | undefined;
  /** The matters raised, which an investigation limited to them (一事一核) must cover and not exceed. */
  raisedItems?: string[] | undefined;
  /** Facts about the case the rulebook declares (`caseAttributes`), recorded at opening. */
  attributes?: Record<string, boolean> | undefined;
  /** When the measure an advance requirement concerns was implemented (焦作 特事特办), per requirement. */
  advanceMatters?: Record<string, { implementedOn: IsoDate }> | undefined;
  /** Periods the deploying body set where the text leaves them open (RULEBOOK_PARAMETERS), pinned at opening. */
  parameters?: Record<string, DeadlineRule> | undefined;
}

export type DeadlineStatus = 'pending' | 'met' | 'lapsed' | 'superseded';

export interface DeadlineRecord {
  key: string;
  label: string;
  /**
   * A party's window closes when it lapses; an authority's deadline marks the case overdue; a
   * recording period (after a party's window lapsed, for filings that reached the authority in
   * time) closes the window for good when it ends.
   */
  binds: 'party' | 'authority' | 'recording';
  basis: Basis;
  from: IsoDate;
  amount: number;
  unit: PeriodUnit;
  deadline: IsoDate;
  endsAt: string;
  provisional: boolean;
  provisionalYears: number[];
  skipped: DeadlineComputation['skipped'];
  status: DeadlineStatus;
  /** When an authority deadline lapsed and was met late, when it was met. */
  metAt?: string;
}

export interface LimitRecord {
  key: string;
  label: string;
  deadline: IsoDate;
  provisional: boolean;
  basis: Basis;
  from?: IsoDate;
  amount?: number;
  unit?: PeriodUnit;
  provisionalYears?: number[];
}

export interface TimelineEntry {
  at: string;
  event: string;
  actor?: Actor;
  detail?: string;
  basis?: Basis;
}

export interface IssuedDocument {
  kind: DocumentSpec['kind'];
  title: string;
  basis: Basis;
  /** Document number, e.g. 滨纪免〔2026〕3号. */
  number: string;
  documentId: string;
  issuedAt: string;
  recipients: string[];
  copyTo: string[];
  /** The role of the body that issued it, where the rulebook says (see IssueDocumentRequest.issuer). */
  issuer?: IssuerRole;
}

export interface AvailableAction {
  name: ActionName;
  label: string;
  roles: string[];
  /** The deadline the action is due by, if one runs. */
  deadline?: IsoDate;
  /** Which of the case's deadlines that is (absent on cases whose offers were made before it was said). */
  deadlineKey?: string;
  /** The parties that may take this step themselves with their own account (a filing: application, statement, appeal). */
  filers?: Party[];
}

export interface InvestigationMember {
  sub?: string | undefined;
  name: string;
  /** Each member declares no kinship or interest with the subject (滨海 第二十四条(二)). */
  declaresNoConflict: boolean;
}

export interface Determination {
  outcome: Outcome;
  decidedBy: 'authorityLeadership' | 'partyCommittee';
  decidedOn: IsoDate;
  circumstances: string[];
  mitigating: string[];
  conditions: string[];
  exclusions: string[];
  reasons: string;
  recordedBy: Actor;
  effects: Effect[];
  /** The body that approved the decision (批准机关): the approving body where the rule requires one, else the deciding body. */
  approvingBody?: string;
  /** The conclusion as changed by the decision on an appeal (the one it replaced is in `determinationHistory`). */
  revisedOnAppeal?: boolean;
}


export interface CaseState {
  caseId: string;
  jurisdiction: string;
  rulebookVersion: string;
  /** The transcription of that version the case runs on (absent on cases opened before revisions). */
  rulebookRevision?: number;
  authority: string;
  subject: CaseInput['subject'];
  matter: string;
  /** Facts about the case the rulebook declares, as recorded at opening. */
  attributes?: Record<string, boolean>;
  accountability: CaseInput['accountability'] & { status: 'proceeding' | 'suspended' | 'stopped' };
  stage: string;
  /** Steps running beside the main line (`stage`), e.g. 纠错 while the appeal window runs. */
  alongside?: string[];
  outcome?: string;
  closed: boolean;
  deadlines: DeadlineRecord[];
  timeline: TimelineEntry[];
  availableActions: AvailableAction[];
  documents: IssuedDocument[];
  recusals: { person: { sub?: string | undefined; name: string }; reason: string; recordedBy: Actor }[];
  /** `filedAt`: the day the application reached the authority; `recordedOn`: the day it was entered. */
  /** `contents`: its parts as the rulebook lists them; `missing`: the labels of parts it lacks (to be supplemented). */
  application?: { filedBy: Party; filedAt: IsoDate; recordedOn?: IsoDate; recordedBy: Actor; summary: string; contents?: Record<string, string>; missing?: string[] };
  startApproval?: { approved: boolean; approvedOn: IsoDate; approvedBy: Actor; capacity: string; reason?: string | undefined };
  /** `recused`: members who had to recuse after the group was appointed, and left it (滨海 第二十四条(二)). */
  investigationGroup?: { members: InvestigationMember[]; appointedOn: IsoDate; appointedBy: Actor; recused?: { member: InvestigationMember; on: IsoDate; reason: string }[] };
  statements: { receivedOn: IsoDate; summary: string; recordedBy: Actor; by?: Party; declined?: boolean; form?: StatementForm }[];
  hearings: { heldOn: IsoDate; summary: string; recordedBy: Actor }[];
  investigationReport?: {
    submittedOn: IsoDate;
    findings: string;
    recommendation: Outcome;
    circumstances: string[];
    mitigating: string[];
    submittedBy: Actor;
  };
  referral?: { referredOn: IsoDate; reason: string; referredBy: Actor };
  upwardReport?: { reportedOn: IsoDate; reportedTo: string; reason: string; reportedBy: Actor };
  deferrals: { from: IsoDate; until: IsoDate; reason: string; deferredBy: Actor }[];
  /**
   * Outer limits an action may not pass, e.g. the latest day a decision may be deferred to. Counted
   * like deadlines and recounted with them when a provisional year's schedule is loaded (the
   * counting fields are absent on limits set before that was so).
   */
  limits: LimitRecord[];
  determination?: Determination;
  /** Conclusions replaced by an appeal decision, oldest first; kept on file with their documents. */
  determinationHistory?: Determination[];
  filing?: { filedWith: string; filedOn: IsoDate; reference?: string | undefined; recordedBy: Actor };
  /** The filing of a conclusion revised on appeal, before it is executed (滨海 第十四条(二)). */
  revisionFiling?: { filedWith: string; filedOn: IsoDate; reference?: string | undefined; recordedBy: Actor };
  notice?: { servedOn: IsoDate; servedTo: Recipient[]; recordedBy: Actor };
  /**
   * Service of the conclusion to each recipient, while it is under way: by the
   * recipient's own acknowledgement in its inbox, or recorded by an officer.
   * The notice counts as served once every recipient is.
   */
  noticeReceipts?: { party: Recipient; servedOn: IsoDate; via: 'inbox' | 'officer'; by: Actor }[];
  appeal?: { receivedOn: IsoDate; recordedOn?: IsoDate; filedBy?: Party; summary: string; recordedBy: Actor; decision?: { decidedOn: IsoDate; result: 'upheld' | 'revised'; reasons: string; decidedBy: Actor } };
  publication?: { published: boolean; publishedOn?: IsoDate | undefined; scope?: string | undefined; reason?: string | undefined; recordedBy: Actor };
  /** `retention` (保管期限) and `classification` (密级) as the archiving step set them, for the bound file's cover. */
  archive?: { archivedOn: IsoDate; reference: string; archivedBy: Actor; retention?: string; classification?: string };
  /**
   * The papers on the case's file (materials attached to the steps they belong to), and the written
   * documents the rulebook asks of a step that was taken without them (`missing`, until attached).
   */
  papers?: { attached: AttachedPaper[]; missing: MissingPaper[] };
  followUp?: { until: IsoDate; reminders: IsoDate[]; visits: { visitedOn: IsoDate; summary: string; recordedBy: Actor }[] };
  intake?: { route: IntakeRoute; basis: Basis };
  /** The accusation was found false (失实举报、诬告), and the cadre's name is being or was cleared. */
  clarification?: { foundOn: IsoDate; finding: string; malicious: boolean; clarifyTo: string[]; means: string; recordedBy: Actor; clarifiedOn?: IsoDate };
  /** The authority's own decision to go on with the review where nobody applied (滨海 第十二条(一)). */
  exOfficio?: { proceed: boolean; decidedOn: IsoDate; reasons: string; decidedBy: Actor };
  acceptance?: { accepted: boolean; decidedOn: IsoDate; reason?: string | undefined; decidedBy: Actor };
  extensions: { until: IsoDate; reason: string; approvedBy: string; groupDecision?: { by: string; metOn: IsoDate; decision: string }; recordedBy: Actor }[];
  participants: { kind: string; name: string; summary: string; recordedBy: Actor }[];
  /** Steps taken before a measure was implemented, as the rule requires for its tolerance (焦作 特事特办). */
  advanceSteps?: { requirement: string; item: string; reference: string; by: string; on: IsoDate; recordedBy: Actor }[];
  /** What the deciders had before them about the advance filing (焦作 报备). */
  advanceFilingShown?: { present: boolean; reference?: string | undefined };
  execution?: { executedOn: IsoDate; accountabilityResult?: string | undefined; rectificationOrder?: string | undefined; recordedBy: Actor };
  correctionList?: { items: CorrectionItem[]; closedOn?: IsoDate; noneReason?: string };
  /** Effects that failed in a way retrying cannot fix and wait for a person; resolved ones stay, marked. */
  attention?: AttentionItem[];
  /** The case was withdrawn before it ran its course (撤回申请, or ended by the authority). */
  withdrawal?: { withdrawnOn: IsoDate; reason: string; by: 'authority' | Party; recordedBy: Actor };
  /** Who holds the case (承办人) and its team; absent while unassigned. */
  assignment?: Assignment;
  /** The parties' own accounts besides the subject's. */
  partyAccounts?: PartyAccounts;
}

export interface AttentionItem {
  /** Stable within the case: the effect's own key and the number of its failure. */
  id: string;
  /** What the case was doing, in words: 发出通知“…”, 制发《…》. */
  effect: string;
  /** The failure's stable type (ApplicationFailure type) and message. */
  type: string;
  error: string;
  failedAt: string;
  /** Whether the case may go on without it (a notice, a document); counting a deadline or archiving may not be skipped. */
  skippable: boolean;
  status: 'open' | 'retried' | 'skipped';
  resolvedBy?: Actor;
  reason?: string;
}

export interface CorrectionItem {
  id: string;
  description: string;
  owner: string;
  dueOn: IsoDate;
  status: 'open' | 'reported' | 'waived';
  overdue: boolean;
  report?: { reportedOn: IsoDate; summary: string; recordedBy: Actor };
  waiver?: { reason: string; waivedBy: Actor };
}

// ---- Human steps: one Workflow Update each --------------------------------------------------------

export interface ByActor {
  actor: Actor;
  /**
   * The materials the step carries (its written document, the report, the minutes, a proof of
   * service), as the API found them in the case's file: the step records them with it.
   */
  papers?: PaperRef[] | undefined;
}
export interface FileApplicationInput extends ByActor {
  filedBy: Party;
  /** The date the written application reached the authority (送达日), which decides whether it is in time; not the day it is entered. */
  receivedOn: IsoDate;
  /** Facts, the basis relied on and the proposal, as the application states them. */
  summary: string;
  /** The application's parts as the rulebook lists them (`applicationContents`), by part id. */
  contents?: Record<string, string> | undefined;
}
export interface ApproveStartInput extends ByActor {
  approved: boolean;
  approvedOn: IsoDate;
  /** The approver's capacity, which must be the one the rulebook names (e.g. 局党委主要负责人). */
  capacity: string;
  reason?: string | undefined;
}
/** The subject's own account, bound by an officer of the case's authority (never typed into the opening form). */
export interface BindSubjectAccountInput extends ByActor {
  userId: string;
}
export interface RecordRecusalInput extends ByActor {
  person: { sub?: string | undefined; name: string };
  reason: string;
}
export interface AppointInvestigationGroupInput extends ByActor {
  appointedOn: IsoDate;
  members: InvestigationMember[];
}
/** How a hearing was written down: 调查笔录, 谈话记录, or the party's own written statement. */
export type StatementForm = 'transcript' | 'interviewRecord' | 'written';
export interface RecordStatementInput extends ByActor {
  receivedOn: IsoDate;
  summary: string;
  /** Whose statement: the subject where unset. */
  by?: Party | undefined;
  /** The party declined to give a statement; the refusal is recorded (it counts as heard). */
  declined?: boolean | undefined;
  form?: StatementForm | undefined;
}
export interface RecordHearingInput extends ByActor {
  heldOn: IsoDate;
  summary: string;
}
export interface SubmitInvestigationReportInput extends ByActor {
  submittedOn: IsoDate;
  findings: string;
  recommendation: Outcome;
  circumstances: string[];
  mitigating: string[];
  /** Where the investigation is limited to the matters raised: a finding on each, and on nothing else. */
  itemFindings?: { item: string; finding: string }[] | undefined;
}
export interface ReferToCommitteeInput extends ByActor {
  referredOn: IsoDate;
  reason: string;
}
export interface ReportUpwardInput extends ByActor {
  reportedOn: IsoDate;
  reportedTo: string;
  reason: string;
}
export interface DeferDecisionInput extends ByActor {
  until: IsoDate;
  reason: string;
}
export interface RecordDeterminationInput extends ByActor {
  decidedOn: IsoDate;
  decidedBy: 'authorityLeadership' | 'partyCommittee';
  outcome: Outcome;
  circumstances: string[];
  mitigating: string[];
  /** Conditions affirmed (杭州 第七条). */
  conditions: string[];
  /** Excluded circumstances found to apply. */
  exclusions: string[];
  reasons: string;
  /** A complex case must have been reported upward first (杭州 第九条(四)). */
  complex: boolean;
  /** The approval the rule requires before the decision (阳江: 同级党委、政府批准). */
  approval?: { by: string; approvedOn: IsoDate } | undefined;
  /** Taken together with the accountability decision (焦作). */
  withAccountabilityDecision?: boolean | undefined;
}
/** What an appeal decision that changes the conclusion puts in its place: a conclusion as a determination states it. */
export type DeterminationRevision = Pick<RecordDeterminationInput, 'outcome' | 'circumstances' | 'mitigating' | 'conditions' | 'exclusions' | 'reasons'>;
export interface RecordFilingInput extends ByActor {
  filedOn: IsoDate;
  reference?: string | undefined;
}
export interface ServeNoticeInput extends ByActor {
  servedOn: IsoDate;
  servedTo: Recipient[];
}
export interface FileAppealInput extends ByActor {
  /** The date the written appeal reached the authority (送达日), which decides whether it is in time; not the day it is entered. */
  receivedOn: IsoDate;
  /** Who appeals, where the rulebook names the appellants (滨海: 被问责对象); the subject where unset. */
  filedBy?: Party | undefined;
  summary: string;
}
export interface DecideAppealInput extends ByActor {
  decidedOn: IsoDate;
  result: 'upheld' | 'revised';
  reasons: string;
  /** The changed conclusion; required when the result is `revised`. */
  revision?: DeterminationRevision | undefined;
}
export interface RecordPublicationInput extends ByActor {
  published: boolean;
  publishedOn?: IsoDate | undefined;
  scope?: string | undefined;
  /** Why it is not published (法律法规规定不宜公开). */
  reason?: string | undefined;
}
export interface ArchiveCaseInput extends ByActor {
  archivedOn: IsoDate;
  reference: string;
  /** 保管期限 (DA/T 22-2015 7.1: 永久, 定期30年, 定期10年); 永久 where unset. */
  retention?: string | undefined;
  /** 密级, where the file is classified. */
  classification?: string | undefined;
}
/** Papers for a step already taken (a proof of service that came back, the scan of an application recorded from paper). */
export interface AttachPapersInput extends ByActor {
  /** The step they belong to. */
  step: PaperAction;
  papers: PaperRef[];
}
export interface RecordFollowUpVisitInput extends ByActor {
  visitedOn: IsoDate;
  summary: string;
}

export interface RecordAccusationFalseInput extends ByActor {
  foundOn: IsoDate;
  /** What was found: the report was untrue, unfounded (查无实据), or malicious. */
  finding: string;
  /** The accusation was malicious (诬告陷害、恶意举报): it is referred for 查处 where the rule says so. */
  malicious: boolean;
  /** The bodies within whose reach the accusation spread, to whom the clarification goes. */
  clarifyTo: string[];
  /** How the name is cleared: 谈话、召开会议、通报 … */
  means: string;
}

export interface RecordAdvanceStepInput extends ByActor {
  /** The rulebook's advance requirement (焦作: specialMeasure) and which of its steps (e.g. governmentConsent). */
  requirement: string;
  item: string;
  /** The document that shows it, e.g. 焦政函〔2026〕1号. */
  reference: string;
  /** The body that consented or was reported to. */
  by: string;
  on: IsoDate;
}

export interface DecideExOfficioInput extends ByActor {
  /** Whether the authority goes on with the review of its own motion. */
  proceed: boolean;
  decidedOn: IsoDate;
  reasons: string;
}

export interface DecideAcceptanceInput extends ByActor {
  accepted: boolean;
  decidedOn: IsoDate;
  reason?: string | undefined;
}
export interface ExtendInvestigationInput extends ByActor {
  /** The new last day for the written report. */
  until: IsoDate;
  reason: string;
  /** Who approved the extension, where the rule asks for an approver. */
  approvedBy?: string | undefined;
  /** The collective decision the rule asks for instead (阳江 经容错调查工作小组研究同意): when the body met, what it decided. */
  groupDecision?: { metOn: IsoDate; decision: string } | undefined;
}
export interface RecordParticipantInput extends ByActor {
  kind: string;
  name: string;
  summary: string;
}
export interface RecordExecutionInput extends ByActor {
  executedOn: IsoDate;
  accountabilityResult?: string | undefined;
  rectificationOrder?: string | undefined;
}
export interface IssueCorrectionListInput extends ByActor {
  items: { id: string; description: string; owner: string; dueOn: IsoDate }[];
  /** Why nothing needs correcting, where the list is empty (the investigation found no 失误 to put right). */
  noneReason?: string | undefined;
}
export interface FileRectificationReportInput extends ByActor {
  itemId: string;
  reportedOn: IsoDate;
  summary: string;
}
export interface WaiveCorrectionItemInput extends ByActor {
  itemId: string;
  reason: string;
}

export interface RetryEffectInput extends ByActor {
  effectId: string;
}
export interface SkipEffectInput extends ByActor {
  effectId: string;
  /** Why the case may go on without it, and what was done instead (e.g. served in person). */
  reason: string;
}
export interface WithdrawCaseInput extends ByActor {
  reason: string;
  /**
   * The applicant's written withdrawal of its application (撤回申请). Without it, the authority
   * ends the review itself (for example, the accountability it belongs to was dropped).
   */
  applicantWithdrawal?: { filedBy: Party; receivedOn: IsoDate } | undefined;
}

export interface ActionInputs {
  fileApplication: FileApplicationInput;
  decideExOfficio: DecideExOfficioInput;
  recordAccusationFalse: RecordAccusationFalseInput;
  recordAdvanceStep: RecordAdvanceStepInput;
  decideAcceptance: DecideAcceptanceInput;
  extendInvestigation: ExtendInvestigationInput;
  recordParticipant: RecordParticipantInput;
  recordExecution: RecordExecutionInput;
  issueCorrectionList: IssueCorrectionListInput;
  fileRectificationReport: FileRectificationReportInput;
  waiveCorrectionItem: WaiveCorrectionItemInput;
  approveStart: ApproveStartInput;
  recordRecusal: RecordRecusalInput;
  bindSubjectAccount: BindSubjectAccountInput;
  appointInvestigationGroup: AppointInvestigationGroupInput;
  recordStatement: RecordStatementInput;
  recordHearing: RecordHearingInput;
  submitInvestigationReport: SubmitInvestigationReportInput;
  referToCommittee: ReferToCommitteeInput;
  reportUpward: ReportUpwardInput;
  deferDecision: DeferDecisionInput;
  recordDetermination: RecordDeterminationInput;
  recordFiling: RecordFilingInput;
  serveNotice: ServeNoticeInput;
  fileAppeal: FileAppealInput;
  decideAppeal: DecideAppealInput;
  recordPublication: RecordPublicationInput;
  archiveCase: ArchiveCaseInput;
  recordFollowUpVisit: RecordFollowUpVisitInput;
  retryEffect: RetryEffectInput;
  skipEffect: SkipEffectInput;
  withdrawCase: WithdrawCaseInput;
  attachPapers: AttachPapersInput;
  assignCase: AssignCaseInput;
  claimCase: ClaimCaseInput;
  bindOrganisationAccount: BindOrganisationAccountInput;
}
export type ActionName = keyof ActionInputs;

/**
 * What a step answers: that it was taken, and the version of the case's state after it. The state
 * itself is read from the case's view (a step's answer is kept in the history, so it stays small).
 */
export interface StepResult {
  caseId: string;
  /** The view of the case at least this new has the step (the API reads it). */
  version: number;
  stage: string;
  closed: boolean;
}

function action<N extends ActionName>(name: N) {
  return defineUpdate<StepResult, [ActionInputs[N]], N>(name);
}

/** Every human step as a Workflow Update; each answers with the version of the case after it. */
export const actionUpdates = {
  fileApplication: action('fileApplication'),
  decideExOfficio: action('decideExOfficio'),
  recordAccusationFalse: action('recordAccusationFalse'),
  recordAdvanceStep: action('recordAdvanceStep'),
  decideAcceptance: action('decideAcceptance'),
  extendInvestigation: action('extendInvestigation'),
  recordParticipant: action('recordParticipant'),
  recordExecution: action('recordExecution'),
  issueCorrectionList: action('issueCorrectionList'),
  fileRectificationReport: action('fileRectificationReport'),
  waiveCorrectionItem: action('waiveCorrectionItem'),
  approveStart: action('approveStart'),
  recordRecusal: action('recordRecusal'),
  bindSubjectAccount: action('bindSubjectAccount'),
  appointInvestigationGroup: action('appointInvestigationGroup'),
  recordStatement: action('recordStatement'),
  recordHearing: action('recordHearing'),
  submitInvestigationReport: action('submitInvestigationReport'),
  referToCommittee: action('referToCommittee'),
  reportUpward: action('reportUpward'),
  deferDecision: action('deferDecision'),
  recordDetermination: action('recordDetermination'),
  recordFiling: action('recordFiling'),
  serveNotice: action('serveNotice'),
  fileAppeal: action('fileAppeal'),
  decideAppeal: action('decideAppeal'),
  recordPublication: action('recordPublication'),
  archiveCase: action('archiveCase'),
  recordFollowUpVisit: action('recordFollowUpVisit'),
  retryEffect: action('retryEffect'),
  skipEffect: action('skipEffect'),
  withdrawCase: action('withdrawCase'),
  attachPapers: action('attachPapers'),
  assignCase: action('assignCase'),
  claimCase: action('claimCase'),
  bindOrganisationAccount: action('bindOrganisationAccount'),
} as const satisfies { [N in ActionName]: unknown };
export const ACTION_NAMES = Object.keys(actionUpdates) as ActionName[];

/** The update of one action, typed by its name (TypeScript cannot narrow the indexed union itself). */
export function actionUpdate<N extends ActionName>(name: N): UpdateDefinition<StepResult, [ActionInputs[N]], N> {
  return actionUpdates[name] as unknown as UpdateDefinition<StepResult, [ActionInputs[N]], N>;
}

/** Kept for callers of the first release; the same update as `actionUpdates.fileApplication`. */
export const fileApplicationUpdate = actionUpdates.fileApplication;

export interface CalendarUpdatedSignal {
  year: number;
  source: string;
}

export const caseStateQuery = defineQuery<CaseState>('caseState');

/**
 * Whether the case is at rest (waiting for a person or for time) or moving on by itself
 * (counting a deadline, issuing a document, serving a notice), and how many effects are under way.
 * Tests and operators wait on this instead of on "the state stopped changing".
 */
export interface CaseProgress {
  atRest: boolean;
  effectsInFlight: number;
  closed: boolean;
  /** The steps on offer now. */
  offered: ActionName[];
}
export const caseProgressQuery = defineQuery<CaseProgress>('caseProgress');

/** A recipient acknowledged, in its own inbox, that it was served with the conclusion (送达回证). */
export interface AcknowledgeServiceInput {
  party: Recipient;
  servedOn: IsoDate;
  /** The inbox notice acknowledged. */
  notificationId: string;
  actor: Actor;
}
export const acknowledgeServiceUpdate = defineUpdate<StepResult, [AcknowledgeServiceInput]>('acknowledgeService');
export const calendarUpdatedSignal = defineSignal<[CalendarUpdatedSignal]>('calendarUpdated');

/** Stable failure types an update can be refused with; the API maps them to HTTP answers. */
export const RefusalType = {
  wrongStage: 'WrongStage',
  windowClosed: 'WindowClosed',
  invalidInput: 'InvalidInput',
  recused: 'Recused',
  notPermitted: 'NotPermitted',
  outcomeNotAllowed: 'OutcomeNotAllowed',
  limitExceeded: 'LimitExceeded',
  /** Not a refusal of the step: the case is handing over to a new run (continue-as-new); the API sends it again. */
  handingOver: 'HandingOver',
} as const;

export const CALENDAR_PROPAGATION_WORKFLOW_TYPE = 'propagateCalendarYear';
/** Writes the dossier of every case closed without one (terminated, timed out, failed), on a schedule. */
export const DOSSIER_SWEEP_WORKFLOW_TYPE = 'sweepDossiers';
export const DOSSIER_SWEEP_SCHEDULE_ID = 'dossier-sweep';
/** Prunes the access log of what is older than its retention (at least 180 days), logging itself, on a schedule. */
export const ACCESS_LOG_RETENTION_WORKFLOW_TYPE = 'retainAccessLog';
export const ACCESS_LOG_RETENTION_SCHEDULE_ID = 'access-log-retention';
/** One propagation per year and schedule: `version` is a digest of the schedule loaded. */
export function calendarPropagationWorkflowId(year: number, version: string): string {
  return `calendar-${year}-${version}`;
}

/**
 * A document to issue: the facts it states, never its wording. The activity
 * composes each kind's text (services/documents/wording.ts) and names every
 * body from the authorities configuration, so the workflow carries no prose
 * and no body is ever printed by its id.
 */
export interface IssueDocumentRequest {
  caseId: string;
  /** Makes a retried issue return the document already recorded. */
  idempotencyKey: string;
  spec: DocumentSpec;
  /** The issuing authority's id; its names, banner and 文号 prefixes come from the configuration. */
  issuer: string;
  /**
   * The body that issues the document by its role in the case, and the article that says so
   * (spec.issuer); the document service resolves the role to the body the authority's configuration
   * names. Absent: the authority itself.
   */
  issuerRole?: { role: IssuerRole; basis: Basis } | undefined;
  /** The 批准机关 the document names (滨海 第十五条), where the spec says it names one. */
  approvingBody?: string | undefined;
  rulebook: { id: string; name: string; issuingBody: string; documentNumberPrefix: string };
  /** 主送: the parties the document is addressed to, or named bodies (a correction item's owner). */
  addressees: (Recipient | { body: string })[];
  /** 抄送: the rulebook's copy-to bodies, as it names them; the authority's configuration maps them to names. */
  copyTo: string[];
  facts: DocumentFacts;
  issuedBy: Actor;
}

/** What a document states, as the case file has it. Dates are ISO; the wording writes them out. */
export interface DocumentFacts {
  subject: CaseInput['subject'];
  matter: string;
  accountability: CaseInput['accountability'];
  /** `contents`: the application's parts with the rulebook's labels, in its order. */
  application?: { filedBy: Party; filedAt: IsoDate; contents?: { label: string; text: string }[] | undefined } | undefined;
  investigation?: { submittedOn: IsoDate; findings: string } | undefined;
  determination?:
    | {
        outcome: Outcome;
        decidedOn: IsoDate;
        /** Who decided: the rulebook's name of the deciding body, and which of the two it is. */
        decidedBy: { id: Determination['decidedBy']; name: string };
        /** Catalogue items relied on (情形, 从轻减轻情形), and conditions affirmed, with their articles. */
        grounds: { article: string; text: string }[];
        conditions: { article: string; text: string }[];
        reasons: string;
        effects: { text: string; article: string }[];
      }
    | undefined;
  /** The right to appeal: its window, where it goes (an authority id; the issuer unless set) and whether execution goes on. */
  /** The right to appeal: its window where one is set (焦作: 按有关规定, none unless the deployment sets it), its article, where it goes. */
  appeal?: { amount?: number | undefined; unit?: PeriodUnit | undefined; article: string; to?: string | undefined; suspendsExecution: boolean } | undefined;
  acceptance?: { accepted: boolean; decidedOn: IsoDate; reason?: string | undefined; article: string } | undefined;
  appealDecision?: { receivedOn: IsoDate; summary: string; decidedOn: IsoDate; result: 'upheld' | 'revised'; reasons: string; article: string; earlier: string[] } | undefined;
  correctionItems?: { id: string; description: string; owner: string; dueOn: IsoDate }[] | undefined;
  /** Documents sent with this one (附件, GB/T 9704-2012 7.3.6): the correction list with the feedback (阳江 二(五)4). */
  enclosures?: { title: string; number: string }[] | undefined;
  /** Why nothing needs correcting, where the correction list goes out with this document and is empty. */
  correctionNone?: string | undefined;
  /** What was found of a false accusation, and how the name is cleared (澄清正名). */
  clarification?: { foundOn: IsoDate; finding: string; malicious: boolean; means: string } | undefined;
}

/** The archival PDF copies of documents already recorded, rendered together in one run of the renderer. */
export interface RenderArchivalCopiesRequest {
  caseId: string;
  documentIds: string[];
}

export interface NotifyRequest {
  caseId: string;
  /** Unique per case, step and recipient: a retry never notifies twice. */
  idempotencyKey: string;
  recipient:
    | { kind: 'role'; role: string; authority: string }
    | { kind: 'party'; party: Party }
    | { kind: 'body'; name: string }
    /** A member of staff by account: the 承办人 told of its work. */
    | { kind: 'staff'; authority: string; sub: string; name: string };
  subject: string;
  body: string;
  /** Set when this notice is the service of the conclusion on a party: its acknowledgement counts as service. */
  service?: { stage: string; party: Recipient } | undefined;
}
