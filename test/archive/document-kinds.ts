/**
 * One request for each document kind, as the workflow would pass it: the
 * facts of a Binhai case (and a Yangjiang one for the kinds only Yangjiang
 * issues), never any wording.
 */
import type { DocumentFacts, IssueDocumentRequest } from '../../domain/case/contract';
import { binhai2021 } from '../../domain/rulebooks/binhai';
import { yangjiang2017 } from '../../domain/rulebooks/yangjiang';
import type { DocumentSpec, RulebookInput } from '../../domain/rulebooks/schema';

export const KINDS = ['conclusionNotice', 'exemptionDecision', 'determinationNotice', 'appealDecision', 'feedbackLetter', 'acceptanceNotice', 'correctionList'] as const satisfies readonly DocumentSpec['kind'][];
export type Kind = (typeof KINDS)[number];

const TITLES: Record<Kind, string> = {
  conclusionNotice: '容错免责结论告知书',
  exemptionDecision: '免责决定书',
  determinationNotice: '容错免责认定书',
  appealDecision: '申诉处理决定书',
  feedbackLetter: '容错免责认定结果反馈函',
  acceptanceNotice: '容错申请受理决定告知书',
  correctionList: '纠错建议清单',
};

const facts: DocumentFacts = {
  subject: { name: '王某', organisation: '某街道党工委', position: '副主任' },
  matter: '老旧小区改造中的程序瑕疵',
  accountability: { reference: '滨纪问〔2026〕12号', body: '滨海新区纪委监委第三监督检查室' },
  application: { filedBy: 'subject', filedAt: '2026-10-09' },
  investigation: { submittedOn: '2026-11-02', findings: '经调查，该同志为赶在供暖季前完工，先行组织施工、后补招标手续，未谋取私利，已于2026-10-15主动纠正，未造成重大损失。' },
  determination: {
    outcome: 'exempt',
    decidedOn: '2026-11-20',
    decidedBy: { id: 'authorityLeadership', name: '问责部门领导班子' },
    grounds: [{ article: '第六条(一)', text: '在推进改革中因缺乏经验、先行先试出现的失误' }],
    conditions: [],
    reasons: '该同志出于公心，程序瑕疵已及时纠正，无第八条所列情形',
    effects: [{ text: '免于追究责任', article: '第十九条' }],
  },
  appeal: { amount: 15, unit: 'days', article: '第十七条', suspendsExecution: false },
};

const rulebookRef = (r: RulebookInput) => ({ id: r.id, name: r.name, issuingBody: r.issuingBody, documentNumberPrefix: r.documentNumberPrefix });

export function requestFor(kind: Kind, key: string, issuer = kind === 'correctionList' || kind === 'acceptanceNotice' ? 'yangjiang-jw' : 'binhai-jw'): IssueDocumentRequest {
  const rulebook = issuer.startsWith('yangjiang') ? yangjiang2017 : binhai2021;
  const extra: Partial<DocumentFacts> = {
    acceptanceNotice: { acceptance: { accepted: true, decidedOn: '2026-10-12', article: '二(三)2' }, appeal: undefined },
    appealDecision: {
      appealDecision: { receivedOn: '2026-11-30', summary: '认为结论未写明已主动纠正的情节', decidedOn: '2026-12-10', result: 'upheld' as const, reasons: '原结论已载明该情节，认定事实清楚', article: '第十七条', earlier: ['《容错免责结论告知书》（滨纪告〔2026〕1号）'] },
      appeal: undefined,
    },
    correctionList: {
      correctionItems: [
        { id: 'c1', description: '补齐老旧小区改造项目的招标档案', owner: '某街道办事处', dueOn: '2026-12-31' },
        { id: 'c2', description: '修订街道工程项目先行施工的审批流程', owner: '某街道党工委', dueOn: '2027-01-15' },
      ],
      appeal: undefined,
    },
    feedbackLetter: { appeal: undefined },
  }[kind as string] ?? {};
  return {
    caseId: `case-test-2026-${key}`,
    idempotencyKey: `${key}:${kind}`,
    spec: { kind, title: TITLES[kind], basis: { article: kind === 'correctionList' ? '二(五)4' : '第十五条', quote: '书面告知' } },
    issuer,
    rulebook: rulebookRef(rulebook),
    addressees: kind === 'correctionList' ? [{ body: '某街道办事处' }, { body: '某街道党工委' }] : kind === 'determinationNotice' ? ['accountabilityBody', 'subject'] : ['subject', 'subjectOrganisation'],
    copyTo: kind === 'exemptionDecision' ? ['同级纪检监察组织', '组织人事部门'] : [],
    // As the workflow passes it: the rulebook's generic name of the deciding body (滨海 第十五条 批准机关).
    ...(kind === 'exemptionDecision' ? { approvingBody: '问责部门领导班子' } : {}),
    facts: { ...facts, ...extra },
    issuedBy: { sub: 'sup-1', name: '张主任' },
  };
}
