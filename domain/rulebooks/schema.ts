/**
 * A rulebook: one jurisdiction's regulation as data. The workflow interprets
 * it; every deadline, catalogue item, document and effect names the article it
 * comes from, so an auditor can check the rulebook against the source text.
 */
import { z } from 'zod';
import { PERIOD_UNITS } from '../calendar/period';
import { isoDateSchema } from '../calendar/year-input';

export const basisSchema = z.object({
  /** The article, as the regulation numbers it, e.g. 第十二条(二). */
  article: z.string().min(2),
  /** The words of the source that set the rule, quoted. */
  quote: z.string().min(2),
  /**
   * Where the source is an OCR page with interleaved columns (焦作), the quote
   * is the untangled sentence and these are its pieces as they stand in the file.
   */
  ocrFragments: z.array(z.string().min(1)).optional(),
  /**
   * Where reading the quoted words is a choice (the text is silent or ambiguous): the choice made
   * and why, in a sentence, so an auditor can disagree with it.
   */
  reading: z.string().min(2).optional(),
});
export type Basis = z.infer<typeof basisSchema>;

/** The article of a value the source text does not set: the product chose it, and says so. */
export const PRODUCT_CHOICE = '本规则设定（原文未规定）';

/** A basis for a value the product sets where the text sets none: what was chosen, and why. */
export function productChoice(what: string, reading: string): Basis {
  return { article: PRODUCT_CHOICE, quote: what, reading };
}

export const deadlineRuleSchema = z.object({
  amount: z.number().int().min(1).max(366),
  unit: z.enum(PERIOD_UNITS),
  basis: basisSchema,
});
export type DeadlineRule = z.infer<typeof deadlineRuleSchema>;

/**
 * Periods a deploying body sets where the text leaves them to 有关规定, per jurisdiction and
 * parameter name, each with the article of the rule it rests on (RULEBOOK_PARAMETERS). There are
 * no defaults: an unset parameter means no period.
 */
export const rulebookParametersSchema = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.record(z.string(), deadlineRuleSchema.strict()));
export type RulebookParameters = z.infer<typeof rulebookParametersSchema>;

/**
 * A filing that reached the authority within a party's window may still be recorded for a while
 * after the window lapsed (an officer enters it the next morning, or after a weekend); only when
 * this period ends with nothing recorded does the case go on as if nobody filed.
 */
export const DEFAULT_RECORDING_PERIOD: DeadlineRule = {
  amount: 5,
  unit: 'workingDays',
  basis: productChoice(
    '期限届满后5个工作日内，可以登记期限内已送达的申请或申诉；逾期未登记的，视为未提出',
    '在期限内送达的书面材料不因登记迟延而失效；5个工作日足以跨过周末和短假，又不使案件久悬',
  ),
};

/**
 * A party's window, or the recording period after it, whose last day was counted while the
 * schedule of a year in it was unpublished (provisional: weekends and the fixed holidays only) does
 * not lapse for good on that provisional day. The official schedule may move the last day later
 * (a holiday bridged by days off), and a party must never lose a filing that is in time by the
 * official calendar, whenever that calendar is loaded. So: when the year is loaded, a window that
 * lapsed on a provisional last day is counted again and reopened if its official last day is still
 * to come (its recording period counts from the new last day); and the recording period, reaching
 * its end while it or its window is still provisional, does not end the window: the case waits, at
 * rest, until the year's schedule is loaded (re-checking daily), and only then decides. Chosen over
 * taking the provisional day as final because 民法典 第二百零三条 moves a period's end to the next
 * working day, which only the official schedule says; and over waiting for the schedule before
 * every count, because most periods end before the next year and need no wait.
 */
export const PROVISIONAL_LAPSE: Basis = productChoice(
  '以暂定节假日安排计算的申请、申诉期限届满的，待载入该年度正式安排后方视为届满；按正式安排期限尚未届满的，重新开放',
  '民法典第二百零三条：期限的最后一日是法定休假日的，以法定休假日结束的次日为期限的最后一日。暂定安排只含周末与固定节日，正式安排可能使最后一日后延；当事人不得因安排公布迟延而丧失期限内的权利',
);

export const OUTCOMES = ['exempt', 'mitigated', 'lenient', 'denied'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const OUTCOME_NAMES: Record<Outcome, string> = { exempt: '免责', mitigated: '减轻', lenient: '从轻', denied: '不予免责' };

export const ROLE_NAMES = ['officer', 'supervisor', 'auditor', 'admin'] as const;

/** The steps a rulebook's `papers` may name: those that carry papers (domain/case/materials.ts PAPER_ACTIONS). */
export const PAPER_STEPS = ['fileApplication', 'recordStatement', 'fileAppeal', 'submitInvestigationReport', 'recordDetermination', 'serveNotice', 'withdrawCase'] as const;
const roles = z.array(z.enum(ROLE_NAMES)).min(1);

const stage = z.string().regex(/^[a-z][A-Za-z]*$/);
/**
 * The step runs beside the main line of the procedure from the point where it stands (纠错 while
 * the conclusion takes effect, an appeal that does not stop execution); the case closes once both
 * are done.
 */
const alongside = z.boolean().optional();
const party = z.enum(['subject', 'subjectOrganisation']);
export type Party = z.infer<typeof party>;
/** Who is told in writing: the parties, and the body holding the accountability (银川 认定书). */
const recipient = z.enum(['subject', 'subjectOrganisation', 'accountabilityBody']);
export type Recipient = z.infer<typeof recipient>;
/**
 * Who a rulebook's notice goes to: a recipient, or the applicant, whoever applied (银川 程序(三)、
 * 阳江 二(三)5、杭州 第九条(五) 申请单位或个人); the subject where nobody applied.
 */
const noticeRecipient = z.enum([...recipient.options, 'applicant']);
export type NoticeRecipient = z.infer<typeof noticeRecipient>;

/** How a case comes in (焦作: ex officio or on application; 阳江: three routes). */
export const INTAKE_ROUTES = ['application', 'exOfficio', 'accountabilityBodyOpinion', 'functionalDepartmentOpinion'] as const;
export type IntakeRoute = (typeof INTAKE_ROUTES)[number];

export const PARTICIPANT_KINDS = ['deputy', 'cppccMember', 'expert', 'thirdParty', 'serviceRecipient', 'stakeholder', 'department'] as const;

export const catalogueItemSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  article: z.string().min(2),
  text: z.string().min(2),
  /**
   * The outcomes the item may ground, where not its catalogue's (an eligible item grounds every
   * tolerance outcome, a mitigating one 减轻 and 从轻).
   */
  supports: z.array(z.enum(OUTCOMES)).min(1).optional(),
  /** Conditions of one group are alternatives: affirming one of them meets the group. */
  group: z.string().regex(/^[a-z][A-Za-z]*$/).optional(),
  /** The item may be relied on only in a case with this attribute (滨海 第九条: a unit in a free-trade or development zone). */
  requiresAttribute: z.string().regex(/^[a-z][A-Za-z]*$/).optional(),
});
export type CatalogueItem = z.infer<typeof catalogueItemSchema>;

const catalogueSchema = z.object({
  basis: basisSchema,
  items: z.array(catalogueItemSchema).min(1),
});

/**
 * The body that issues a document, by its role in the case (the names are the deployment's):
 * the case's authority (问责部门、纪检监察机关), the body that made the determination (党委(党组)
 * or the authority's leadership), the same-level party committee, or the investigation group.
 */
export const ISSUER_ROLES = ['authority', 'decider', 'partyCommittee', 'investigationGroup'] as const;
export type IssuerRole = (typeof ISSUER_ROLES)[number];

export const documentSpecSchema = z.object({
  kind: z.enum(['conclusionNotice', 'exemptionDecision', 'determinationNotice', 'appealDecision', 'feedbackLetter', 'acceptanceNotice', 'correctionList', 'clarification']),
  title: z.string().min(2),
  basis: basisSchema,
  /** Who issues it, and the article that says so; the regulation's issuer where unset (rulebooks of the first release). */
  issuer: z.object({ role: z.enum(ISSUER_ROLES), basis: basisSchema }).optional(),
  /** The document names the body that approved the decision (滨海 第十五条 批准机关). */
  namesApprovingBody: z.boolean().optional(),
});
export type DocumentSpec = z.infer<typeof documentSpecSchema>;

export const effectSchema = z.object({
  text: z.string().min(2),
  basis: basisSchema,
  /** The accountability proceeding stops when the decision is served (免于追责). */
  stopsAccountability: z.boolean().optional(),
});
export type Effect = z.infer<typeof effectSchema>;

/**
 * A window that belongs to a party (application, appeal): the filing is taken
 * while it is open; when it lapses it closes for good.
 */
export const partyWindowStepSchema = z.object({
  kind: z.literal('partyWindow'),
  stage,
  label: z.string().min(2),
  /** What the window counts from: the event date of the opened case. */
  countsFrom: z.literal('caseEvent'),
  deadline: deadlineRuleSchema,
  filers: z.array(party).min(1),
  /** Who records a filing (the party files on paper; an officer records it). */
  roles: roles.default(['officer']),
  /** What the case becomes when nobody files in time. */
  onLapse: z.object({ outcome: z.string().min(2), explanation: z.string().min(2) }),
  /**
   * The authority must consider tolerance of its own motion (滨海 第十二条(一)): a case may be opened
   * ex officio, and where nobody applies the case does not close for want of an application; the
   * authority decides whether to go on (`decideExOfficio`), or goes on where it opened the case so.
   */
  exOfficio: z.object({ basis: basisSchema, roles, declinedOutcome: z.string().min(2) }).optional(),
});

/**
 * How the case came in. An application route waits for the written
 * application (no window where the rule sets none); the other routes start
 * the review with the opening of the case itself.
 */
export const intakeStepSchema = z.object({
  kind: z.literal('intake'),
  stage,
  label: z.string().min(2),
  roles,
  routes: z.array(z.object({ route: z.enum(INTAKE_ROUTES), label: z.string().min(2), basis: basisSchema })).min(1),
});

/** The decision to take an application up, within an authority deadline, told to the applicant in writing. */
export const acceptanceStepSchema = z.object({
  kind: z.literal('acceptance'),
  stage,
  label: z.string().min(2),
  roles,
  basis: basisSchema,
  /** Routes the decision is needed for; other routes are taken up as they come. */
  appliesTo: z.array(z.enum(INTAKE_ROUTES)).min(1),
  deadline: deadlineRuleSchema.optional(),
  /** The written answer to the applicant. */
  document: documentSpecSchema.optional(),
  /** Accountability waits while the review runs (银川 暂缓追责); other leads are still investigated. */
  suspendsAccountability: z.object({ basis: basisSchema, otherLeads: basisSchema }).optional(),
  onRejection: z.object({ outcome: z.string().min(2), explanation: z.string().min(2) }),
});

/** Someone must approve that the review starts (Hangzhou 第九条(二)). */
export const startApprovalStepSchema = z.object({
  kind: z.literal('startApproval'),
  stage,
  label: z.string().min(2),
  basis: basisSchema,
  roles,
  /** The capacity the approver must hold, e.g. 局党委主要负责人. */
  approverCapacity: z.string().min(2),
  /** An authority deadline that starts with the approval and ends with the determination. */
  opensVerificationDeadline: deadlineRuleSchema.optional(),
  onRefusal: z.object({ outcome: z.string().min(2), explanation: z.string().min(2) }),
});

export const investigationStepSchema = z.object({
  kind: z.literal('investigation'),
  stage,
  label: z.string().min(2),
  basis: basisSchema,
  roles,
  group: z
    .object({
      minMembers: z.number().int().min(1),
      basis: basisSchema,
    })
    .optional(),
  /** The applicant may state its case (申诉) during the investigation. */
  statements: basisSchema.optional(),
  /**
   * The subject (or the applicant) must be heard, or its refusal to speak recorded, before the
   * report (滨海 第十三条(二), 杭州 第九条(三)). Offers the statement step.
   */
  hearSubject: z.object({ basis: basisSchema, from: z.enum(['subject', 'applicant']) }).optional(),
  /** A hearing (听证会) may be held when needed. */
  hearing: basisSchema.optional(),
  /** The written report is due within this period from acceptance (or from the application, where there is no acceptance). */
  deadline: deadlineRuleSchema.optional(),
  /** The report deadline may be extended: within a total cap counted from the same day, or without one but with an approver. */
  extensions: z
    .object({
      basis: basisSchema,
      cap: deadlineRuleSchema.optional(),
      requiresApprover: z.boolean(),
      /**
       * The extension needs the collective decision of this body (阳江 "经容错调查工作小组研究同意"): the
       * day it met and what it decided are recorded, not one official's name.
       */
      collectiveDecision: z.object({ by: z.string().min(2) }).optional(),
    })
    .optional(),
  /** Outside participants (deputies, CPPCC members, experts, third parties, service recipients) may take part. */
  participants: z.object({ kinds: z.array(z.enum(PARTICIPANT_KINDS)).min(1), basis: basisSchema }).optional(),
  /** 一事一核: the report covers exactly the matters raised, no more. */
  scopeLimited: basisSchema.optional(),
});

const toleranceRuleSchema = z.object({
  outcomes: z.array(z.enum(OUTCOMES)).min(1),
  allConditions: z.boolean(),
  eligibleCircumstance: z.boolean(),
  noExclusion: z.boolean(),
  basis: basisSchema,
});

export const deliberationStepSchema = z.object({
  kind: z.literal('deliberation'),
  stage,
  label: z.string().min(2),
  basis: basisSchema,
  roles,
  outcomes: z.array(z.enum(OUTCOMES)).min(2),
  /** Who decides: the authority's leadership, and on referral the same-level party committee. */
  deciders: z.array(z.object({ id: z.enum(['authorityLeadership', 'partyCommittee']), name: z.string().min(2) })).min(1),
  referral: basisSchema.optional(),
  /** Complex cases are reported upward before the decision. */
  upwardReport: basisSchema.optional(),
  /** The decision needs the approval of one of these bodies first (阳江: 同级党委、政府批准). */
  approval: z.object({ by: z.array(z.string().min(2)).min(1), basis: basisSchema }).optional(),
  /** Whether an advance risk filing (报备) of the reform exists is put before the deciders. */
  advanceFiling: basisSchema.optional(),
  /** The decision may be taken together with the accountability decision. */
  jointWithAccountability: basisSchema.optional(),
  /**
   * The decision may be put off, within a cap counted (in calendar months or days, see
   * `deferralCap`) from the day the first deferral is decided; later deferrals move the day within it.
   */
  deferral: z.object({ max: deadlineRuleSchema.refine((r) => r.unit !== 'workingDays', 'a deferral cap is counted in calendar months or days') }).optional(),
  /**
   * Conditions that must all be affirmed, and catalogues that must (an item grounding the outcome)
   * or must not (excluded) be cited, before a tolerance outcome may be decided; one rule, or one per
   * group of outcomes where they differ.
   */
  toleranceRequires: z.union([toleranceRuleSchema, z.array(toleranceRuleSchema).min(1)]).optional(),
});

/** A report of the decision to a superior body (备案). */
export const filingStepSchema = z.object({
  kind: z.literal('filing'),
  stage,
  label: z.string().min(2),
  basis: basisSchema,
  roles,
  filedWith: z.string().min(2),
  /** An authority deadline from the decision (阳江: county decisions within 5 working days). */
  deadline: deadlineRuleSchema.optional(),
  /** Only cases of this level are filed (阳江: county-level cases with the city group). */
  onlyForLevel: z.enum(['city', 'county']).optional(),
});

/** The written conclusion to the parties, within an authority deadline from the decision. */
export const noticeStepSchema = z.object({
  kind: z.literal('notice'),
  stage,
  label: z.string().min(2),
  /** The authority's deadline for serving; none where the rule says only 及时. */
  deadline: deadlineRuleSchema.optional(),
  /** What the deadline counts from: the decision, or the investigation report (银川: 认定 within 10 working days). */
  countsFrom: z.enum(['decision', 'investigationReport']).default('decision'),
  roles,
  recipients: z.array(noticeRecipient).min(1),
  documents: z.array(z.object({ outcomes: z.array(z.enum(OUTCOMES)).min(1), document: documentSpecSchema })),
  copyTo: z.array(z.object({ outcomes: z.array(z.enum(OUTCOMES)).min(1), to: z.array(z.string().min(2)).min(1), basis: basisSchema })),
});

export const appealStepSchema = z.object({
  kind: z.literal('appeal'),
  stage,
  label: z.string().min(2),
  /**
   * The party's window, counted from the day the notice was served. Where the text sets none (焦作
   * "按有关规定"), none is invented: the deploying body may set one in `windowParameter`, naming the
   * rule it rests on; with neither, an appeal is taken until the case closes (the step then runs
   * `alongside`, so it does not hold the case up).
   */
  window: deadlineRuleSchema.optional(),
  /** The deployment parameter (RULEBOOK_PARAMETERS) that sets the window where the text does not. */
  windowParameter: z.object({ name: z.string().regex(/^[a-z][A-Za-z]*$/), describe: z.string().min(2) }).optional(),
  alongside,
  /**
   * Who may appeal. With one filer its window counts from its own service (滨海 第十七条 "自接到告知之日起"),
   * not from the latest service on every recipient; unset: anyone served, from the latest service.
   */
  filers: z.array(party).min(1).optional(),
  /** The authority's deadline for the appeal decision, counted from receipt of the appeal. */
  decision: deadlineRuleSchema,
  roles,
  decisionRoles: roles,
  /** Execution of the conclusion is not suspended while an appeal runs (滨海 第十七条). */
  suspendsExecution: z.boolean(),
  document: documentSpecSchema,
  /** Outcomes that may be appealed (焦作: a refusal only); all where unset. */
  appliesTo: z.array(z.enum(OUTCOMES)).min(1).optional(),
});

/** The authority carries the decision out; a refusal records the accountability result and a rectification order (焦作). */
export const executionStepSchema = z.object({
  kind: z.literal('execution'),
  stage,
  label: z.string().min(2),
  roles,
  basis: basisSchema,
  onDenied: z.object({ basis: basisSchema }).optional(),
});

/**
 * The correction list issued with the determination (阳江 纠错建议清单): every
 * item has an owner and a due date, is reported on by the unit or waived with
 * a reason; an item past its date is escalated.
 */
export const correctionStepSchema = z.object({
  kind: z.literal('correction'),
  stage,
  label: z.string().min(2),
  roles,
  waiverRoles: roles,
  basis: basisSchema,
  document: documentSpecSchema,
  escalateTo: z.string().min(2),
  /** What the escalation of an overdue item rests on (杭州 第十一条(二) 追责问责), where it is not the step's own basis. */
  escalateBasis: basisSchema.optional(),
  /**
   * The list goes out with the written conclusion (阳江 二(五)4 "纠错建议与调查认定一并反馈"): the notice
   * waits for it, the list is issued first, and the conclusion names it as its enclosure; the step
   * itself then follows the items through.
   */
  issuedWith: z.literal('notice').optional(),
  alongside,
});

/**
 * Clearing the name of a cadre falsely or maliciously reported (澄清正名): at any point of the case
 * the finding that the accusation was false is recorded, the authority issues the clarification to
 * the bodies named and tells them, and a malicious accusation is referred for 查处. Runs beside the
 * whole case (place it first, `alongside`); it does not change the outcome.
 */
export const clarificationStepSchema = z.object({
  kind: z.literal('clarification'),
  stage,
  label: z.string().min(2),
  basis: basisSchema,
  roles,
  document: documentSpecSchema,
  referMalicious: z.object({ to: z.string().min(2), basis: basisSchema }).optional(),
  alongside,
});

export const publicationStepSchema = z.object({
  kind: z.literal('publication'),
  stage,
  label: z.string().min(2),
  basis: basisSchema,
  roles,
});

export const archiveStepSchema = z.object({
  kind: z.literal('archive'),
  stage,
  label: z.string().min(2),
  basis: basisSchema,
  roles,
});

/** Periodic follow-up of an exempted cadre (回访), with reminders to its party organisation. */
export const followUpStepSchema = z.object({
  kind: z.literal('followUp'),
  stage,
  label: z.string().min(2),
  basis: basisSchema,
  roles,
  outcomes: z.array(z.enum(OUTCOMES)).min(1),
  /** The source says only 定期: the interval and period are the deploying body's choice, stated here. */
  intervalMonths: z.number().int().min(1).max(12),
  periodMonths: z.number().int().min(1).max(60),
  choice: z.string().min(2),
});

export const stepSchema = z.discriminatedUnion('kind', [
  intakeStepSchema,
  acceptanceStepSchema,
  executionStepSchema,
  correctionStepSchema,
  partyWindowStepSchema,
  startApprovalStepSchema,
  investigationStepSchema,
  deliberationStepSchema,
  filingStepSchema,
  noticeStepSchema,
  appealStepSchema,
  publicationStepSchema,
  archiveStepSchema,
  followUpStepSchema,
  clarificationStepSchema,
]);
export type Step = z.infer<typeof stepSchema>;
export type StepOf<K extends Step['kind']> = Extract<Step, { kind: K }>;
export type PartyWindowStep = StepOf<'partyWindow'>;

/** The event a case's first window or period counts from, as the regulation names it. */
const openingEventSchema = z.object({ label: z.string().min(2), basis: basisSchema });

export const rulebookSchema = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  name: z.string().min(2),
  issuingBody: z.string().min(2),
  version: z.string().min(1),
  /**
   * The transcription of this version: a corrected reading of the same regulation is a new
   * revision. Running cases keep the revision they were opened with (it is pinned in their input).
   */
  revision: z.number().int().min(1).default(1),
  inForce: isoDateSchema,
  /** The file of shared/regulations/ this rulebook transcribes. */
  source: z.string().min(1),
  documentNumberPrefix: z.string().min(1),
  catalogues: z
    .object({
      eligible: catalogueSchema.optional(),
      mitigating: catalogueSchema.optional(),
      excluded: catalogueSchema.optional(),
      conditions: catalogueSchema.optional(),
    })
    .default({}),
  /** What each outcome does, with its article. */
  effects: z.partialRecord(z.enum(OUTCOMES), z.array(effectSchema)).default({}),
  /** Members with kinship or interest must recuse (回避). */
  recusal: basisSchema.optional(),
  /**
   * Facts about the case, recorded when it is opened, that decide which rules apply to it (滨海
   * 第三章: the subject's unit is in a free-trade or development zone).
   */
  caseAttributes: z.array(z.object({ id: z.string().regex(/^[a-z][A-Za-z]*$/), label: z.string().min(2), basis: basisSchema })).default([]),
  /**
   * Steps that must have been taken before a measure was implemented for the mistake to be tolerated
   * (焦作 特事特办: the same-level government's consent, then a report to and the consent of the
   * superior department, all before implementation), where the case has the attribute.
   */
  advanceRequirements: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][A-Za-z]*$/),
        label: z.string().min(2),
        basis: basisSchema,
        appliesWhenAttribute: z.string().regex(/^[a-z][A-Za-z]*$/),
        outcomes: z.array(z.enum(OUTCOMES)).min(1),
        items: z.array(z.object({ id: z.string().regex(/^[a-z][A-Za-z]*$/), label: z.string().min(2) })).min(1),
        /**
         * The items must be taken in the order listed, each on or after the day of the one before
         * (焦作: 经同级人民政府同意后, then 报告并征得同意); out of order they ground no tolerance.
         */
        ordered: z.boolean().optional(),
      }),
    )
    .default([]),
  /**
   * What a written application contains, part by part, as the regulation lists it (滨海 第十二条(二)
   * "申请应包括被调查对象基本情况、有关事实、申请容错免责依据、免责建议等"): each part is recorded as a
   * field of its own. A `required` part must be there for the application to be recorded; an
   * optional one that is missing is recorded as missing (to be supplemented), since refusing the
   * filing would cost the party its window.
   */
  applicationContents: z
    .object({
      basis: basisSchema,
      parts: z.array(z.object({ id: z.string().regex(/^[a-z][A-Za-z]*$/), label: z.string().min(2), required: z.boolean() })).min(1),
    })
    .optional(),
  /**
   * Kinds of material this regulation names beyond the kinds every case file holds (申请书, 证据材料,
   * 调查报告, 会议纪要, 送达回证, 其他: domain/case/materials.ts), e.g. 滨海's 调查笔录或者谈话记录.
   */
  materialKinds: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][A-Za-z]{0,39}$/),
        label: z.string().min(2),
        basis: basisSchema,
        /** A party files it itself (a written appeal): the case's party may upload it to its own case. */
        filedByParty: z.boolean().optional(),
      }),
    )
    .optional(),
  /**
   * The written documents the regulation asks of a step (a written application, a written report):
   * which step carries it, of which kinds of material, and whether the step may be recorded without
   * its scan (`mayProceedWithout`: then the case shows it as missing until it is attached) or is
   * refused until the scan is attached. Absent: no step asks for a paper.
   */
  papers: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z][A-Za-z]*$/),
        step: z.enum(PAPER_STEPS),
        label: z.string().min(2),
        kinds: z.array(z.string().regex(/^[a-z][A-Za-z]{0,39}$/)).min(1),
        basis: basisSchema,
        mayProceedWithout: z.boolean(),
      }),
    )
    .optional(),
  /**
   * How long after a party's window lapsed a filing that reached the authority in time may still be
   * recorded; DEFAULT_RECORDING_PERIOD where unset. A lapse counted on a provisional schedule is
   * decided by the official one (PROVISIONAL_LAPSE).
   */
  recordingPeriod: deadlineRuleSchema.optional(),
  /**
   * What the case's event date (`eventDate`) is, in the regulation's words: 告知 (滨海), the start
   * of accountability (银川, 杭州), the group's receipt of an opinion (阳江). Per intake route where
   * the routes differ.
   */
  openingEvent: openingEventSchema.extend({ byRoute: z.partialRecord(z.enum(INTAKE_ROUTES), openingEventSchema).optional() }).optional(),
  steps: z.array(stepSchema).min(1),
});
export type Rulebook = z.infer<typeof rulebookSchema>;
export type RulebookInput = z.input<typeof rulebookSchema>;

/** The event the case's event date stands for, as the rulebook names it for the route the case came by. */
export function openingEventOf(rulebook: Pick<Rulebook, 'openingEvent'>, route: IntakeRoute | undefined): { label: string; basis?: Basis } {
  const event = rulebook.openingEvent;
  return (route && event?.byRoute?.[route]) ?? event ?? { label: '程序启动日' };
}

/** Whether a step runs beside the main line. */
export function runsAlongside(step: Step): boolean {
  return 'alongside' in step && step.alongside === true;
}
