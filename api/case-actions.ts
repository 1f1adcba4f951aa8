/**
 * The human steps a caller may take on a case, each a Workflow Update. The
 * API validates the body with the step's schema, adds the caller as actor,
 * checks the caller holds a role the case's rulebook gives the step, and lets
 * the workflow's validator accept or refuse.
 */
import { z } from 'zod';
import type { ActionName } from '../domain/case/contract';
import { PAPER_ACTIONS } from '../domain/case/materials';
import { OUTCOMES, PARTICIPANT_KINDS } from '../domain/rulebooks/schema';
import { accountId, isoDateSchema, personName, text } from './schemas';

const party = z.enum(['subject', 'subjectOrganisation']);
const ids = z.array(z.string().regex(/^[a-z0-9-]{1,60}$/, 'is not a catalogue item id')).max(40);
/**
 * The materials of the case's file the step carries (its written document, the report, the minutes, a
 * proof of service): ids from POST /v1/cases/{id}/materials, checked to be this case's and not withdrawn.
 */
const attachments = z.array(z.uuid('is not a material id')).min(1).max(20).optional();
/** Someone named in a step: by account where there is one, and by name (normalised, so one person is written one way). */
const person = z.object({ sub: accountId.optional(), name: personName(50) }).strict();

export const actionBodies = {
  fileApplication: z
    .object({
      filedBy: party,
      receivedOn: isoDateSchema,
      summary: text(5000),
      /** The application's parts, where the rulebook lists them (`applicationContents` in GET /v1/rulebooks/{id}), by part id. */
      contents: z
        .record(z.string().regex(/^[a-z][A-Za-z]*$/, 'is not a part of the application'), text(5000))
        .refine((c) => Object.keys(c).length <= 20, 'must have at most 20 parts')
        .optional(),
      attachments,
    })
    .strict(),
  recordAdvanceStep: z
    .object({ requirement: z.string().regex(/^[a-z][A-Za-z]*$/), item: z.string().regex(/^[a-z][A-Za-z]*$/), reference: text(100), by: text(100), on: isoDateSchema })
    .strict(),
  decideExOfficio: z.object({ proceed: z.boolean(), decidedOn: isoDateSchema, reasons: text(2000) }).strict(),
  recordAccusationFalse: z
    .object({ foundOn: isoDateSchema, finding: text(5000), malicious: z.boolean(), clarifyTo: z.array(text(100)).min(1).max(20), means: text(500) })
    .strict(),
  decideAcceptance: z.object({ accepted: z.boolean(), decidedOn: isoDateSchema, reason: text(2000).optional() }).strict(),
  extendInvestigation: z
    .object({
      until: isoDateSchema,
      reason: text(2000),
      /** Who approved, where the rulebook asks for an approver. */
      approvedBy: text(100).optional(),
      /** The collective decision, where the rulebook asks for one (阳江: 容错调查工作小组研究同意). */
      groupDecision: z.object({ metOn: isoDateSchema, decision: text(2000) }).strict().optional(),
    })
    .strict(),
  recordParticipant: z.object({ kind: z.enum(PARTICIPANT_KINDS), name: text(100), summary: text(5000) }).strict(),
  recordExecution: z
    .object({ executedOn: isoDateSchema, accountabilityResult: text(2000).optional(), rectificationOrder: text(2000).optional() })
    .strict(),
  issueCorrectionList: z
    .object({
      items: z
        .array(z.object({ id: z.string().regex(/^[A-Za-z0-9-]{1,20}$/, 'is not an item id'), description: text(2000), owner: text(100), dueOn: isoDateSchema }).strict())
        .max(50),
      noneReason: text(2000).optional(),
    })
    .strict(),
  fileRectificationReport: z.object({ itemId: text(20), reportedOn: isoDateSchema, summary: text(5000) }).strict(),
  waiveCorrectionItem: z.object({ itemId: text(20), reason: text(2000) }).strict(),
  approveStart: z.object({ approved: z.boolean(), approvedOn: isoDateSchema, capacity: text(50), reason: text(1000).optional() }).strict(),
  recordRecusal: z.object({ person, reason: text(1000) }).strict(),
  bindSubjectAccount: z.object({ userId: accountId }).strict(),
  appointInvestigationGroup: z
    .object({
      appointedOn: isoDateSchema,
      members: z.array(person.extend({ declaresNoConflict: z.boolean() }).strict()).min(1).max(20),
    })
    .strict(),
  recordStatement: z
    .object({
      receivedOn: isoDateSchema,
      summary: text(5000),
      by: party.optional(),
      declined: z.boolean().optional(),
      form: z.enum(['transcript', 'interviewRecord', 'written']).optional(),
      attachments,
    })
    .strict(),
  recordHearing: z.object({ heldOn: isoDateSchema, summary: text(5000) }).strict(),
  submitInvestigationReport: z
    .object({
      submittedOn: isoDateSchema,
      findings: text(20000),
      recommendation: z.enum(OUTCOMES),
      circumstances: ids,
      mitigating: ids,
      itemFindings: z.array(z.object({ item: text(500), finding: text(5000) }).strict()).max(50).optional(),
      attachments,
    })
    .strict(),
  referToCommittee: z.object({ referredOn: isoDateSchema, reason: text(2000) }).strict(),
  reportUpward: z.object({ reportedOn: isoDateSchema, reportedTo: text(100), reason: text(2000) }).strict(),
  deferDecision: z.object({ until: isoDateSchema, reason: text(2000) }).strict(),
  recordDetermination: z
    .object({
      decidedOn: isoDateSchema,
      decidedBy: z.enum(['authorityLeadership', 'partyCommittee']),
      outcome: z.enum(OUTCOMES),
      circumstances: ids,
      mitigating: ids,
      conditions: ids,
      exclusions: ids,
      reasons: text(10000),
      complex: z.boolean(),
      approval: z.object({ by: text(100), approvedOn: isoDateSchema }).strict().optional(),
      attachments,
      withAccountabilityDecision: z.boolean().optional(),
    })
    .strict(),
  recordFiling: z.object({ filedOn: isoDateSchema, reference: text(100).optional() }).strict(),
  serveNotice: z.object({ servedOn: isoDateSchema, servedTo: z.array(z.enum(['subject', 'subjectOrganisation', 'accountabilityBody'])).min(1).max(3), attachments }).strict(),
  fileAppeal: z.object({ receivedOn: isoDateSchema, filedBy: party.optional(), summary: text(5000), attachments }).strict(),
  decideAppeal: z
    .object({
      decidedOn: isoDateSchema,
      result: z.enum(['upheld', 'revised']),
      reasons: text(10000),
      /** The changed conclusion, required when the result is revised. */
      revision: z
        .object({ outcome: z.enum(OUTCOMES), circumstances: ids, mitigating: ids, conditions: ids, exclusions: ids, reasons: text(10000) })
        .strict()
        .optional(),
    })
    .strict(),
  recordPublication: z
    .object({ published: z.boolean(), publishedOn: isoDateSchema.optional(), scope: text(200).optional(), reason: text(1000).optional() })
    .strict(),
  archiveCase: z
    .object({
      archivedOn: isoDateSchema,
      reference: text(100),
      /** 保管期限 of the bound file (DA/T 22-2015 7.1); 永久 where unset. */
      retention: z.enum(['永久', '定期30年', '定期10年']).optional(),
      /** 密级, where the file is classified: printed on its cover. */
      classification: z.enum(['秘密', '机密', '绝密']).optional(),
    })
    .strict(),
  recordFollowUpVisit: z.object({ visitedOn: isoDateSchema, summary: text(5000) }).strict(),
  retryEffect: z.object({ effectId: text(300) }).strict(),
  skipEffect: z.object({ effectId: text(300), reason: text(2000) }).strict(),
  withdrawCase: z
    .object({ reason: text(2000), applicantWithdrawal: z.object({ filedBy: party, receivedOn: isoDateSchema }).strict().optional(), attachments })
    .strict(),
  attachPapers: z
    .object({
      /** The step the papers belong to, taken already: a proof of service that came back, the scan of an application recorded from paper. */
      step: z.enum(PAPER_ACTIONS),
      attachments: z.array(z.uuid('is not a material id')).min(1).max(20),
    })
    .strict(),
  /** By account: the API names each from the staff directory and checks it is an officer of the authority, not recused. */
  assignCase: z
    .object({
      responsible: accountId,
      team: z.array(accountId).max(10).optional(),
      reason: text(1000),
    })
    .strict(),
  claimCase: z.object({ reason: text(500).optional() }).strict(),
  bindOrganisationAccount: z.object({ userId: accountId }).strict(),
} satisfies { [N in ActionName]: z.ZodType };

export const ACTION_SUMMARIES: { [N in ActionName]: string } = {
  fileApplication: '登记容错免责申请 Record the written application; receivedOn is the day it reached the authority (送达日), which decides whether it is in time',
  recordAdvanceStep: '事前程序 Record a step taken before the measure was implemented (焦作 特事特办: consent, report)',
  recordAccusationFalse: '澄清正名 Record that the accusation was found false; the authority then clears the cadre’s name with the bodies named',
  decideExOfficio: '依职权决定是否继续 Decide, where nobody applied, whether the authority goes on with the review of its own motion',
  decideAcceptance: '决定是否受理 Decide whether to take the application up',
  extendInvestigation: '延长调查 Extend the investigation',
  recordParticipant: '邀请参与调查 Record an outside participant',
  recordExecution: '执行 Record the execution of the decision',
  issueCorrectionList: '纠错建议清单 Issue the correction list',
  fileRectificationReport: '整改报告 Record a rectification report for an item',
  waiveCorrectionItem: '免于整改 Waive a correction item with a reason',
  approveStart: '审批启动 Approve or refuse the start of the review',
  recordRecusal: '登记回避 Record that a person must recuse',
  bindSubjectAccount: '绑定被调查对象账户 Bind the subject’s own account: its notices go to that inbox, and it never acts on the case',
  appointInvestigationGroup: '成立调查组 Appoint the investigation group',
  recordStatement: '听取意见 Record the statement of the subject or the applicant, or its refusal to give one',
  recordHearing: '召开听证会 Record a hearing',
  submitInvestigationReport: '提交调查报告 Submit the investigation report',
  referToCommittee: '提交同级党委审议 Refer the decision to the party committee',
  reportUpward: '向上级报告 Report a complex case upward',
  deferDecision: '暂缓作出决定 Defer the decision',
  recordDetermination: '集体研究认定 Record the collective determination',
  recordFiling: '备案 Record the filing with the superior body',
  serveNotice: '书面告知/反馈 Record that the conclusion was served',
  fileAppeal: '登记申诉 Record an appeal; receivedOn is the day it reached the authority (送达日), which decides whether it is in time',
  decideAppeal: '申诉处理决定 Record the appeal decision',
  recordPublication: '结论公开 Record publication or why not',
  archiveCase: '归档 Archive the case file',
  recordFollowUpVisit: '回访 Record a follow-up visit',
  retryEffect: '重试失败的操作 Retry an effect that failed and waits for a person',
  skipEffect: '跳过失败的操作 Let the case go on without an effect that failed, with the reason',
  withdrawCase: '撤回申请或终结程序 End the case: the applicant withdrew in writing, or the authority ends the review',
  attachPapers: '补附书面材料 Attach papers of the case file to a step already taken (a proof of service, the scan of an application recorded from paper)',
  assignCase: '指定承办人 Assign or reassign the case to an officer of the authority (承办人) and its team, with a reason; never someone who must recuse',
  claimCase: '认领案件 Claim a case nobody holds: the caller becomes its 承办人',
  bindOrganisationAccount: '绑定所在单位账户 Bind the account of the subject’s organisation: its notices go to that inbox, it files where the rule lets it, and it never acts on the case',
};

export function isActionName(name: string): name is ActionName {
  return Object.hasOwn(actionBodies, name);
}
