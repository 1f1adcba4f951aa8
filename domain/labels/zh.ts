/**
 * The Chinese words the console shows for the API's ids: roles, outcomes,
 * parties, enum values and the fields of the steps' bodies. Stage names and
 * catalogue items come from the case's rulebook; these cover what a rulebook
 * does not name. An id with no word here is shown as it is.
 */
export const ROLE_NAMES: Record<string, string> = {
  officer: '办案人员',
  supervisor: '审核领导',
  auditor: '审计人员',
  admin: '本机关管理员',
  'system-admin': '系统管理员',
  'rulebook-admin': '规则管理员',
  party: '当事人',
  organisation: '组织部门',
};

/**
 * Roles over the whole system (api/auth.ts SYSTEM_ROLES), not within the token's authority: the
 * authority's cases, inbox, calendar and rulebooks answer only the roles within an authority.
 */
export const SYSTEM_ROLES: readonly string[] = ['system-admin'];

/** The roles of an authority's case work (api/roles.ts ROLES); the rulebook administrator (规则管理) and a party read no case through the staff pages. */
const CASE_ROLES: readonly string[] = ['officer', 'supervisor', 'auditor', 'admin'];

/** Whether the user holds a role within its authority's case work, which the case pages need. */
export const worksInAuthority = (roles: readonly string[]) => roles.some((r) => CASE_ROLES.includes(r));

/** A party's own account (api/roles.ts PARTY_ROLES): its own cases only, through its own pages. */
export const isParty = (roles: readonly string[]) => roles.includes('party');

/** 组织部门 (api/roles.ts ORGANISATION_ROLES): asks what follows from a cadre's conclusions, and reads no case. */
export const isOrganisation = (roles: readonly string[]) => roles.includes('organisation');

/** Who reads the ledger and the statistics (api/roles.ts LEDGER_READERS). */
export const readsLedger = (roles: readonly string[]) => ['officer', 'supervisor', 'auditor', 'admin'].some((r) => roles.includes(r));

/** Staff whose landing page is 我的待办: the roles a queue lists work for. */
export const hasWork = (roles: readonly string[]) => roles.includes('officer') || roles.includes('supervisor');

export const FILING_NAMES: Record<string, string> = { application: '容错免责申请', statement: '书面陈述意见', appeal: '书面申诉' };
export const FILING_OF_ACTION: Record<string, 'application' | 'statement' | 'appeal'> = { fileApplication: 'application', recordStatement: 'statement', fileAppeal: 'appeal' };

export const ACCESS_EVENT_NAMES: Record<string, string> = {
  CASE_ACCESSED: '查阅案件',
  CASE_LIST_VIEWED: '查阅案件列表',
  DOCUMENTS_LISTED: '查阅文书目录',
  DOCUMENT_ACCESSED: '下载文书',
  NOTES_ACCESSED: '查阅办案备注',
  PAYLOADS_DECODED: '解密流程数据',
  ACCESS_LOG_VIEWED: '查阅访问日志',
  ACCESS_LOG_PRUNED: '访问日志到期清理',
};

export const OUTCOME_NAMES: Record<string, string> = {
  exempt: '免责',
  mitigated: '减轻处理',
  lenient: '从轻处理',
  denied: '不予免责',
  noApplication: '未在期限内申请',
  notAccepted: '不予受理',
  notStarted: '未批准启动',
  invalidRoute: '启动方式不符',
  withdrawn: '撤回/终结',
  cancelled: '已取消',
  completed: '程序终结',
};

/**
 * The statutory deadlines the workflow itself keys (workflows/blocks: the investigation report, the
 * appeal decision, a deferred decision, the verification after approval); the others are keyed by
 * their step's stage and named as the stage is (deadlineName).
 */
export const DEADLINE_NAMES: Record<string, string> = {
  investigationReport: '出具书面调查报告',
  appealDecision: '作出申诉处理决定',
  appealWindow: '申诉期限',
  deferredDecision: '暂缓后作出决定',
  verification: '核实认定',
};

/** The words of the statistics page (统计) and its charts. */
export const STATISTICS_NAMES = {
  outcomes: '认定结果',
  onTime: '按期率',
  byItem: '按容错情形',
  byUnit: '按单位',
  byJurisdiction: '按适用办法',
  bySubordinate: '按下级机关',
  cases: '件数',
  caseUnit: '件',
  showData: '查看数据',
  deadline: '期限',
  inTimeOfSettled: '按期 / 已结',
  rate: '按期率',
  item: '情形',
  unit: '单位',
  jurisdiction: '办法',
  authority: '机关',
  total: '合计',
  scope: '统计范围',
  ownScope: '本机关',
  subordinatesScope: '全部下级机关（分机关及合计）',
  none: '本期无数据',
} as const;

/** Stages every case may reach whatever its rulebook. */
export const COMMON_STAGES: Record<string, string> = { closed: '已结案' };

export const STAGE_FALLBACK: Record<string, string> = {
  application: '申请',
  intake: '启动',
  acceptance: '受理',
  start: '审批启动',
  startApproval: '审批启动',
  investigation: '调查核实',
  deliberation: '集体研究认定',
  determination: '认定',
  decision: '决定',
  review: '审议',
  filing: '备案',
  notice: '书面告知',
  determinationNotice: '认定告知',
  feedback: '反馈',
  execution: '执行',
  appeal: '申诉',
  publication: '公开',
  correction: '纠错整改',
  archive: '归档',
  followUp: '回访',
  exOfficioConsideration: '依职权考虑是否继续',
  clarification: '澄清正名',
  ...COMMON_STAGES,
};

/** A deadline's key as people name it: the workflow's own names, else its stage's, else the key. */
export const deadlineName = (key: string): string => DEADLINE_NAMES[key] ?? STAGE_FALLBACK[key] ?? key;

export const PARTY_NAMES: Record<string, string> = {
  subject: '被调查对象',
  subjectOrganisation: '所在党组织（单位）',
  accountabilityBody: '问责机关',
  authority: '问责部门',
};

export const ENUM_NAMES: Record<string, Record<string, string>> = {
  filedBy: PARTY_NAMES,
  servedTo: PARTY_NAMES,
  outcome: OUTCOME_NAMES,
  recommendation: OUTCOME_NAMES,
  result: { upheld: '维持原决定', revised: '变更原决定' },
  kind: { deputy: '人大代表', cppccMember: '政协委员', expert: '专家学者', thirdParty: '第三方机构', serviceRecipient: '服务对象', stakeholder: '利益相关方', department: '有关职能部门' },
  decidedBy: { authorityLeadership: '问责部门领导班子', partyCommittee: '同级党委（党组）领导班子' },
  route: { application: '当事人申请', exOfficio: '依职权启动', accountabilityBodyOpinion: '问责机关意见', functionalDepartmentOpinion: '职能部门意见' },
  level: { city: '市级', county: '县级' },
  by: PARTY_NAMES,
  form: { transcript: '听取意见笔录', interviewRecord: '谈话记录', written: '书面陈述材料' },
  step: {
    fileApplication: '登记申请',
    recordStatement: '听取意见',
    fileAppeal: '登记申诉',
    submitInvestigationReport: '提交调查报告',
    recordDetermination: '集体研究认定',
    serveNotice: '书面告知',
    withdrawCase: '撤回申请或终结程序',
  },
};

export const FIELD_NAMES: Record<string, string> = {
  attachments: '所附材料',
  step: '所属步骤',
  retention: '保管期限',
  classification: '密级',
  filedBy: '提交人',
  receivedOn: '收到日期',
  summary: '内容摘要',
  accepted: '是否受理',
  decidedOn: '决定日期',
  reason: '理由',
  until: '截止日期',
  approvedBy: '批准人',
  kind: '类别',
  name: '姓名',
  executedOn: '执行日期',
  accountabilityResult: '问责处理结果',
  rectificationOrder: '整改要求',
  items: '清单事项',
  id: '编号',
  description: '内容',
  owner: '责任单位',
  dueOn: '完成期限',
  itemId: '事项编号',
  reportedOn: '报告日期',
  approved: '是否批准启动',
  approvedOn: '批准日期',
  capacity: '批准人职务',
  person: '回避人员',
  sub: '用户标识（可选）',
  appointedOn: '成立日期',
  members: '调查组成员',
  declaresNoConflict: '声明与被调查对象无亲属、利害关系',
  heldOn: '召开日期',
  submittedOn: '提交日期',
  findings: '调查结论',
  recommendation: '初步建议',
  circumstances: '适用的容错情形',
  mitigating: '从轻、减轻情形',
  itemFindings: '逐项认定',
  item: '事项',
  finding: '认定意见',
  referredOn: '提交日期',
  reportedTo: '报告对象',
  decidedBy: '决定机构',
  outcome: '认定结果',
  conditions: '确认符合的条件',
  exclusions: '存在的不予免责情形',
  reasons: '理由',
  complex: '是否属于复杂案件',
  approval: '批准',
  by: '批准机关',
  withAccountabilityDecision: '是否与问责决定一并作出',
  filedOn: '备案日期',
  reference: '文号/编号',
  servedOn: '送达日期',
  servedTo: '送达对象',
  published: '是否公开',
  publishedOn: '公开日期',
  scope: '公开范围',
  archivedOn: '归档日期',
  visitedOn: '回访日期',
  effectId: '待处理的失败操作',
  applicantWithdrawal: '申请人书面撤回（如有）',
  userId: '被调查对象本人的系统账号',
  result: '处理结果',
  contents: '申请书内容',
  groupDecision: '工作小组研究决定',
  metOn: '研究日期',
  decision: '研究决定内容',
  proceed: '是否启动容错免责程序',
  foundOn: '查明日期',
  malicious: '是否属于恶意诬告',
  clarifyTo: '澄清对象',
  means: '澄清方式',
  noneReason: '无须整改的理由',
  requirement: '事前报备事项',
  on: '报备日期',
  responsible: '承办人',
  team: '协办人员',
  revision: '变更后的认定',
  declined: '当事人放弃陈述',
  form: '记录形式',
  // Outside the steps: 立案, 登录, 管理 (a problem's detail.zh names these fields too).
  jurisdiction: '辖区规则',
  subject: '被调查对象',
  organisation: '所在单位（党组织）',
  position: '职务',
  matter: '事项',
  accountability: '问责',
  eventDate: '事件日期',
  contacts: '联系方式',
  email: '电子邮件',
  attributes: '案件情形',
  advanceFiling: '事前报备',
  filedWith: '报备机关',
  raisedItems: '提出的问题',
  confirmLapsedWindow: '确认期限已届满仍立案',
  authority: '所属机关',
  roles: '角色',
  year: '年度',
  source: '依据的通知（文号）',
  holidays: '放假日',
  makeUpWorkdays: '调休上班日',
  date: '日期',
  /** The same name in another step means something else: `action.field` first. */
  'recordStatement.by': '陈述人',
};

/** A field's Chinese name in a step's body: by the step first (`recordStatement.by`), then by name. */
export function fieldName(name: string, action?: string): string {
  return (action ? FIELD_NAMES[`${action}.${name}`] : undefined) ?? FIELD_NAMES[name] ?? name;
}

/**
 * A field's path as a person reads it: `body.members.0.name` is 调查组成员第 1 项的姓名. Numbers
 * count from one; `body`, `query` and `params` are where the API found it, which nobody needs.
 */
export function fieldPath(path: string, action?: string): string {
  const parts = path.split('.').filter((p, i) => !(i === 0 && ['body', 'query', 'params', 'headers'].includes(p)));
  const words: string[] = [];
  for (const p of parts) {
    if (/^\d+$/.test(p)) words.push(`第 ${Number(p) + 1} 项`);
    else words.push((words.length ? '的' : '') + fieldName(p, words.length ? undefined : action));
  }
  return words.join('') || '请求';
}

/**
 * A consequential yes-or-no as two explicit choices, the yes first: never a checkbox whose
 * unticked state decides (an unticked 依职权启动 would end the procedure).
 */
export const BOOLEAN_CHOICES: Record<string, [yes: string, no: string]> = {
  proceed: ['启动', '不启动'],
  approved: ['批准启动', '不批准启动'],
  accepted: ['予以受理', '不予受理'],
  complex: ['属于复杂案件（须经批准）', '不属于复杂案件'],
  declaresNoConflict: ['声明无亲属、利害关系', '不作声明'],
  declined: ['当事人放弃陈述', '当事人作了陈述'],
  malicious: ['属于恶意诬告', '不属于恶意诬告'],
  published: ['予以公开', '不予公开'],
  withAccountabilityDecision: ['与问责决定一并作出', '单独作出'],
};

/** The effects a case runs (its activities), as the retry notice names them. */
export const ACTIVITY_NAMES: Record<string, string> = {
  computeDeadline: '计算期限',
  issueDocument: '制发文书',
  renderArchivalCopies: '生成存档 PDF',
  notify: '发送通知',
  saveCaseView: '更新案件视图',
  archiveDossier: '写入档案',
  bindCaseFile: '装订案卷',
  signalCasesCountedProvisionally: '通知暂算期限的案件重算',
  signalCasesWithProvisionalDeadlines: '通知暂算期限的案件重算',
  sweepDossiers: '补写档案',
};

/** The API's field messages are English; the common ones in Chinese, the rest as they come. */
const MESSAGES: [RegExp, string | ((...parts: string[]) => string)][] = [
  [/^must not be empty$/, '不能为空'],
  [/^must be at most (\d+) characters$/, '不能超过 $1 个字'],
  [/^must be a date written YYYY-MM-DD$/, '请按 年-月-日 填写日期'],
  [/^is not a calendar date$/, '不是有效的日期'],
  [/^Invalid input: expected (\w+), received undefined$/, '必填'],
  [/^Invalid option.*$/, '请从选项中选择'],
  [/^Too small: expected array to have >=(\d+) items?$/, '至少填写 $1 项'],
  [/^must be an e-mail address$/, '不是有效的电子邮件地址'],
  [/^is not an account id$/, '不是有效的系统账号（以字母或数字开头，可含 . _ @ : | + = -，至多 128 个字符）'],
  [/^must be 1 to 128 letters, digits or \. _ @ : \| \+ = -.*$/, '须为 1 至 128 个字母、数字或 . _ @ : | + = -，以字母或数字开头'],
  [/^is not a configured authority$/, '不是已配置的机关'],
  [/^must hold at least one role$/, '至少选择一个角色'],
  [/^must be ([a-z][a-z0-9-]*), the jurisdiction of your authority$/, '本机关只能依 $1 规则立案'],
  [/^your authority is bound to no jurisdiction$/, '本机关未配置可适用的规则，不能立案'],
  [/^is not a page token of this list.*$/, '翻页位置已失效，请从第一页重新查看'],
  [/^must not contain control characters.*$/, '不得包含控制字符或无效字符'],
  [/^must lie between (\d+) and (\d+).*$/, '须在 $1 年至 $2 年之间（法定节假日日历所及的年份）'],
  [/^must be a whole number.*$/, '须为整数'],
  // 台账, 统计表 (api/routes/ledger.ts).
  [/^must be xlsx or csv$/, '导出格式须为电子表格或逗号分隔的文本文件'],
  [/^must be docx or xlsx$/, '格式须为公文文档或电子表格'],
  [/^is required: a quarter \(2026-Q4\) or a year \(2026\)$/, '请填写季度（如 2026-Q4）或年度（如 2026）'],
  [/^is not a report id$/, '不是统计表的编号'],
  [/^must not name the subject: it is visible to operators$/, '不得写入被调查对象姓名（运维人员可见）'],
  [/^must not contain an ID number: it is visible to operators$/, '不得包含身份证号码（运维人员可见）'],
  [/^must not be in the future: after today \((.+)\)$/, '不能是将来的日期（晚于北京时间今天）'],
  [/^must not be after today \((.+)\)$/, '不能晚于今天（$1）'],
  [/^must not be before (\d{4}-\d{2}-\d{2}), the day (.+) came into force \(is (.+)\)$/, '不能早于$2的施行日 $1（现为 $3，请核对年份）'],
  [/^must not be before the notice was delivered \((.+)\)$/, '不能早于通知送达系统的日期（$1）'],
  [/^must lie inside (\d+)$/, '须在 $1 年内'],
  [/^(.+) is listed twice$/, '$1 重复列出'],
  [/^(.+) cannot be both a day off and a make-up working day$/, '$1 不能既是放假日又是调休上班日'],
  [/^(.+) is a weekday; a make-up working day is a Saturday or Sunday$/, '$1 是工作日；调休上班日应为周六或周日'],
  [/^must cite the notice the dates come from.*$/, '请注明日期所依据的通知文号'],
  [/^must list at least one day off$/, '至少列出一个放假日'],
  [/^must name a role$/, '须选择一个角色'],
  [/^must be lower-case letters, digits and hyphens, at most (\d+)$/, '须为小写字母、数字和连字符，至多 $1 个字符'],
  [/^must be lower-case letters, digits and hyphens$/, '须为小写字母、数字和连字符'],
  [/^must be a rulebook id: lower-case letters, digits and hyphens$/, '规则编号须为小写字母、数字和连字符'],
  [/^must have at most (\d+) parts$/, '至多 $1 个部分'],
  [/^is multipart\/form-data without a boundary$/, '上传格式有误（multipart/form-data 缺少分隔符）'],
  [/^is not a well-formed multipart\/form-data body$/, '上传内容格式有误（不是合法的 multipart/form-data）'],
  [/^is given twice$/, '重复提供'],
  [/^is named twice$/, '重复列出'],
  [/^is empty$/, '为空'],
  [/^is invalid$/, '无效'],
  [/^must not be before (from|inForceFrom)$/, '不能早于起始日期'],
  [/^must be base64$/, '须为 base64 编码'],
  [/^does not decrypt: altered, or not sealed by this system$/, '无法解密：已被篡改，或并非本系统加密'],
  [/^does not open with its payload key: altered, or never sealed by this system$/, '无法用其密钥解密：已被篡改，或并非本系统加密'],
  [/^must be true or false$/, '须为“是”或“否”'],
  [/^must be true, or left out$/, '须为“是”，或不填'],
  [/^is required for evidence: where it came from \(来源\)$/, '证据材料须注明来源'],
  [/^is required for evidence: how it was obtained \(调取过程\)$/, '证据材料须注明调取过程'],
  [/^is required: the file to upload$/, '请选择要上传的文件'],
  [/^must be a file name ending in \.yaml, \.yml or \.json, without folders$/, '须为以 .yaml、.yml 或 .json 结尾的文件名，不含文件夹'],
  [/^must be a file name, without folders$/, '须为文件名，不含文件夹'],
  [/^must be at most (\d+)$/, '不能超过 $1'],
  [/^must be 1 to 200 printable ASCII characters$/, '须为 1 至 200 个可打印的 ASCII 字符'],
  [/^must be mine or unassigned$/, '须为“我承办的”或“无人承办的”'],
  [/^is a member of its investigation group$/, '是本案调查组成员'],
  [/^is not a field the rulebook schema knows \(misspelt\?\)$/, '不是规则文件格式中的字段（是否拼写有误？）'],
  [/^must name the holiday$/, '须写明节日名称'],
  [/^must be the 机关代字 only, without year, brackets or number$/, '只填机关代字，不含年份、括号和序号'],
  [/^is required: the jurisdiction \(or jurisdictions\) the authority runs reviews under$/, '必填：本机关适用的辖区规则'],
  [/^is not a page token$/, '翻页位置已失效，请从第一页重新查看'],
  [/^is not a material of this case$/, '不是本案的材料'],
  [/^is not (?:a|an) (.+)$/, (_m: string, what: string) => `不是有效的${NOUNS[what] ?? what}`],
];

/** What an `is not a … id` message names. */
const NOUNS: Record<string, string> = {
  role: '角色',
  'catalogue item id': '目录事项编号',
  'material id': '材料编号',
  'part of the application': '申请书组成部分',
  'item id': '事项编号',
  'feed token': '日历订阅地址',
  'document id': '文书编号',
  'notice id': '通知编号',
  'filing id': '提交记录编号',
  'rulebook id': '规则编号',
  'rulebook version': '规则版本',
  'rulebook version id': '规则版本编号',
  'jurisdiction id': '辖区编号',
  'attribute name': '属性名',
  'authority id': '机关编号',
  'requirement name': '报备事项名称',
  'case id': '案号',
  'step id': '步骤编号',
  'valid value': '值',
  'intake route': '启动方式',
  'configured authority': '已配置的机关',
  'calendar date': '日期',
};

export function fieldMessage(message: string): string {
  for (const [pattern, zh] of MESSAGES) if (pattern.test(message)) return typeof zh === 'string' ? message.replace(pattern, zh) : message.replace(pattern, zh as never);
  return message;
}

export const nameOf = (names: Record<string, string>, id: string | null | undefined) => (id ? (names[id] ?? id) : '');

/** The timeline's events (the workflow records them by id). */
export const EVENT_NAMES: Record<string, string> = {
  accusationFoundFalse: '认定属于诬告陷害',
  advanceStepRecorded: '登记前置环节',
  alongsideEntered: '并行程序开始',
  alongsideLeft: '并行程序结束',
  applicationAccepted: '受理容错免责申请',
  applicationRejected: '不予受理容错免责申请',
  applicationWithdrawn: '撤回容错免责申请',
  clarified: '澄清正名',
  determinationRevised: '变更认定结论',
  exOfficioDeclined: '决定不依职权启动',
  exOfficioProceeds: '决定依职权启动',
  executionRevisionDue: '变更结论待报备后执行',
  maliciousAccusationReferred: '移送诬告陷害线索',
  notPublished: '决定不予公开',
  reviewEnded: '容错免责程序终结',
  servedByOfficer: '工作人员送达',
  serviceAcknowledged: '当事人确认送达',
  startApproved: '批准启动',
  startRefused: '不予批准启动',
  papersAttached: '附入书面材料',
  caseFileBound: '装订案卷',
  caseFileNotBound: '案卷装订失败',
  accountabilityRecorded: '记录问责情况',
  accountabilityResumed: '恢复问责程序',
  accountabilityStopped: '停止问责程序',
  accountabilitySuspended: '暂缓问责',
  advanceFilingShown: '提示事前报备情况',
  appealDecided: '作出申诉处理决定',
  appealFiled: '登记申诉',
  appealWindowClosed: '申诉期限届满',
  applicationFiled: '登记容错免责申请',
  archived: '立卷归档',
  attentionNoticeFailed: '异常通知发送失败',
  cancelled: '程序取消',
  caseClosed: '结案',
  caseOpened: '立案',
  correctionClosed: '纠错整改完成',
  correctionListIssued: '制发纠错建议清单',
  correctionOverdue: '整改逾期',
  correctionWaived: '免于整改',
  deadlineLapsed: '期限届满',
  deadlineMetLate: '逾期后完成',
  deadlineRecomputed: '期限重新计算',
  deadlineSet: '设定期限',
  decisionDeferred: '暂缓作出决定',
  determined: '集体研究认定',
  documentIssued: '制发文书',
  effectFailed: '操作失败，等待处理',
  effectRetried: '重试失败的操作',
  effectSkipped: '跳过失败的操作',
  executed: '执行决定',
  executionNotSuspended: '申诉期间不停止执行',
  filed: '备案',
  followUpReminded: '回访提醒',
  followUpStarted: '开始回访',
  followUpVisited: '回访',
  hearingHeld: '召开听证会',
  intake: '启动程序',
  investigationExtended: '延长调查',
  investigationGroupAppointed: '成立调查组',
  investigationReported: '提交调查报告',
  limitRecomputed: '最长期限重新计算',
  limitSet: '设定最长期限',
  noticeServed: '书面告知送达',
  otherLeadsContinue: '其他问题线索继续调查',
  participantRecorded: '邀请人员参与调查',
  rectificationReported: '报告整改情况',
  recusalRecorded: '登记回避',
  referredToCommittee: '提交同级党委审议',
  reportedUpward: '向上级报告',
  stageEntered: '进入阶段',
  subjectAccountBound: '绑定被调查对象账户',
  organisationAccountBound: '绑定所在单位账户',
  caseAssigned: '指定承办人',
  caseClaimed: '认领案件',
  assignmentEnded: '承办人回避，待重新指定',
  assignmentChanged: '协办人员变更',
  noticeFailed: '通知未能发出',
  statementRecorded: '听取意见',
  windowLapsed: '申请期限届满',
  windowReopened: '期限按正式安排重新开放',
  lapseHeld: '期限暂定，待正式节假日安排',
  groupMemberRecused: '调查组成员回避退出',
  revisionFilingDue: '变更后的结论待备案',
  revisionFiled: '变更后的结论备案',
};

/** Every enum value a text may carry from the workflow (初步建议：exempt), by its Chinese name. */
const WORDS: Record<string, string> = Object.assign({}, ...Object.values(ENUM_NAMES).reverse(), STAGE_FALLBACK, PARTY_NAMES, OUTCOME_NAMES, ROLE_NAMES);

/** A text with the ids it names (an outcome, a party, a stage, a role) in Chinese; other words as they are. */
export function plainWords(text: string): string {
  return text.replace(/(?<![A-Za-z0-9.-])[a-z][A-Za-z]+(?:-admin)?(?![A-Za-z0-9-])/g, (w) => WORDS[w] ?? w);
}

/** Every step by its Chinese name (api/case-actions.ts ACTION_SUMMARIES begins with the same words). */
export const ACTION_LABELS: Record<string, string> = {
  fileApplication: '登记容错免责申请',
  recordAdvanceStep: '记录事前程序',
  recordAccusationFalse: '澄清正名',
  decideExOfficio: '依职权决定是否继续',
  decideAcceptance: '决定是否受理',
  extendInvestigation: '延长调查',
  recordParticipant: '邀请参与调查',
  recordExecution: '执行',
  issueCorrectionList: '制发纠错建议清单',
  fileRectificationReport: '报告整改情况',
  waiveCorrectionItem: '免于整改',
  approveStart: '审批启动',
  recordRecusal: '登记回避',
  bindSubjectAccount: '绑定被调查对象账户',
  appointInvestigationGroup: '成立调查组',
  recordStatement: '听取意见',
  recordHearing: '召开听证会',
  submitInvestigationReport: '提交调查报告',
  referToCommittee: '提交同级党委审议',
  reportUpward: '向上级报告',
  deferDecision: '暂缓作出决定',
  recordDetermination: '集体研究认定',
  recordFiling: '备案',
  serveNotice: '书面告知',
  fileAppeal: '登记申诉',
  decideAppeal: '作出申诉处理决定',
  recordPublication: '结论公开',
  archiveCase: '归档',
  recordFollowUpVisit: '回访',
  retryEffect: '重试失败的操作',
  skipEffect: '跳过失败的操作',
  withdrawCase: '撤回申请或终结程序',
  attachPapers: '补附书面材料',
  assignCase: '指定承办人',
  claimCase: '认领案件',
  bindOrganisationAccount: '绑定所在单位账户',
};

/**
 * A refusal's words as a person reads them. The workflow writes ids into its refusals (案件当前阶段为
 * exOfficioConsideration，不能进行 fileApplication；与 members.0 是同一人；存在不予容错情形 binhai-8-5):
 * a step by its name, a stage by its name, a field's path by the field's name, a catalogue item by
 * its article and text (`items`: id → words, from the case's rulebook).
 */
export function plainRefusal(text: string, items: ReadonlyMap<string, string> = new Map(), action?: string): string {
  return text
    .replace(/(?<![A-Za-z0-9])[a-z0-9]+(?:-[a-z0-9]+)+(?![A-Za-z0-9])/g, (id) => items.get(id) ?? id)
    .replace(/(?<![A-Za-z0-9])[a-z][A-Za-z]*(?:\.(?:\d+|[a-z][A-Za-z]*))+(?![A-Za-z0-9])/g, (path) => fieldPath(path, action))
    .replace(/(?<![A-Za-z0-9.-])[a-z][A-Za-z]+(?![A-Za-z0-9-])/g, (w) => ACTION_LABELS[w] ?? WORDS[w] ?? FIELD_NAMES[w] ?? w);
}
