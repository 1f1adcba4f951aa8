/**
 * The wording of each document kind, composed from the facts the workflow
 * passes: who is addressed, what was found, on which articles, what was
 * decided, by whom, and where an appeal goes. Each kind says what its purpose
 * needs and no more; every body is named from the authorities configuration,
 * every date is written out (2026年11月24日), and each fact is stated once.
 */
import { OUTCOME_NAMES, type Outcome, type Recipient } from '../../domain/rulebooks/schema';
import type { DocumentFacts, IssueDocumentRequest } from '../../domain/case/contract';
import type { Authorities, Authority } from '../../config/authorities';
import { withoutForbiddenCharacters } from '../../domain/case/text';
import { writeDatesIn, writtenDate } from './dates';

/** One paragraph of the body; a heading is the first level of the structure (一、二、…), set in 黑体 (GB/T 9704-2012 7.3.3). */
export interface BodyParagraph {
  text: string;
  heading?: boolean;
}

export interface ComposedDocument {
  title: string;
  /** 主送机关 (7.3.2). */
  addressees: string[];
  body: BodyParagraph[];
  /** 抄送机关 (7.4.2), by name. */
  copyTo: string[];
  /** The issuing authority, as configured: its banner and 文号 series. */
  issuer: Authority;
  /** 发文机关署名 (7.3.5.1): the body that issues this document by its role in the case (the rulebook's `issuer`). */
  signatory: string;
}

const OUTCOME_DECISIONS: Record<Outcome, string> = { exempt: '予以免责', mitigated: '予以减轻处理', lenient: '予以从轻处理', denied: '不予免责' };
const UNITS = { days: '日', workingDays: '个工作日', months: '个月' } as const;
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** A sentence ends in a full stop, once. */
const sentence = (text: string) => {
  const t = writeDatesIn(text.trim());
  return /[。！？；]$/.test(t) ? t : `${t}。`;
};
/** A finding that itself begins "经调查，" would stutter after the document's own "经调查核实". */
const withoutLeadIn = (text: string) => text.trim().replace(/^经(?:调查核实|调查|核实|查)[，,：:]\s*/, '');

/** The regulation in full at its first mention, then by its short name (以下简称《办法》). */
function citer(rulebookName: string) {
  const short = rulebookName.includes('意见') ? '《意见》' : rulebookName.includes('规定') ? '《规定》' : '《办法》';
  let first = true;
  return (article: string) => {
    const title = first ? `《${rulebookName}》（以下简称${short}）` : short;
    first = false;
    return `${title}${article}`;
  };
}

function subjectName(facts: DocumentFacts): string {
  return `${facts.subject.name}同志`;
}
function subjectWithPost(facts: DocumentFacts): string {
  const { organisation, position } = facts.subject;
  return `${subjectName(facts)}（${organisation}${position ?? ''}）`;
}
const matterWithReference = (facts: DocumentFacts) => `${facts.matter}问题（${facts.accountability.reference}）`;

function addresseeName(to: Recipient | { body: string }, facts: DocumentFacts): string {
  if (typeof to === 'object') return to.body;
  if (to === 'subject') return subjectName(facts);
  if (to === 'subjectOrganisation') return facts.subject.organisation;
  return facts.accountability.body ?? '问责实施机关';
}

/** The body that decided: the issuer's leadership, or its same-level party committee on referral. */
function decider(facts: DocumentFacts, issuer: Authority): string {
  const d = facts.determination!;
  if (d.decidedBy.id === 'partyCommittee') return issuer.partyCommittee ?? d.decidedBy.name;
  return issuer.leadership ?? `${issuer.name}领导班子`;
}

/**
 * The 批准机关 by its configured name: the case names it as the rulebook does (the deciding body, or
 * the body whose approval the rule requires, e.g. 同级党委), never printed as the generic words.
 */
function approvingBodyName(request: IssueDocumentRequest, issuer: Authority): string {
  const generic = request.approvingBody;
  const d = request.facts.determination!;
  if (!generic || generic === d.decidedBy.name) return decider(request.facts, issuer);
  if (/^同级党委/.test(generic) && issuer.partyCommittee) return issuer.partyCommittee;
  return issuer.copyTo[generic] ?? generic;
}

/**
 * The body that signs: the rulebook names it by its role in the case (who decides, who issues),
 * the authority's configuration names the body. Without a role, the authority itself.
 */
function signatoryOf(request: IssueDocumentRequest, issuer: Authority): string {
  switch (request.issuerRole?.role) {
    case 'partyCommittee':
      return issuer.partyCommittee ?? issuer.name;
    case 'decider':
      return request.facts.determination?.decidedBy.id === 'partyCommittee' ? (issuer.partyCommittee ?? issuer.name) : issuer.name;
    case 'investigationGroup':
      return `${issuer.shortName}容错调查工作小组`;
    default:
      return issuer.name;
  }
}

function groundsText(facts: DocumentFacts, cite: (article: string) => string): string | undefined {
  const d = facts.determination!;
  const items = [...d.grounds, ...d.conditions];
  if (items.length === 0) return undefined;
  return items.map((g) => `${cite(g.article)}“${g.text.replace(/[。；;，,]$/, '')}”`).join('，');
}

function appealClause(facts: DocumentFacts, issuer: Authority, authorities: Authorities, rulebook: IssueDocumentRequest['rulebook'], cite: (a: string) => string, what: string): BodyParagraph | undefined {
  const a = facts.appeal;
  if (!a) return undefined;
  const to = a.to ? authorities.resolve(a.to, rulebook).name : issuer.name;
  const execution = a.suspendsExecution ? '' : `申诉期间，本${what}不停止执行。`;
  // Where the text sets no window (焦作: 按有关规定) and the deployment has set none, none is invented.
  const within = a.amount && a.unit ? `可自收到本${what === '结论' ? '告知书' : '决定书'}之日起${a.amount}${UNITS[a.unit]}内，` : '可按有关规定';
  return { text: `如对本${what}不服，${within}向${to}提出书面申诉（${cite(a.article)}）。${execution}` };
}

function effectsParagraphs(facts: DocumentFacts, cite: (a: string) => string): BodyParagraph[] {
  return facts.determination!.effects.map((e) => ({ text: `${sentence(e.text).replace(/。$/, '')}（${cite(e.article)}）。` }));
}

type Composer = (request: IssueDocumentRequest, issuer: Authority, authorities: Authorities) => BodyParagraph[];

const composers: Record<IssueDocumentRequest['spec']['kind'], Composer> = {
  /** 容错免责结论告知书: the conclusion, its basis, and the right, window and place of appeal. */
  conclusionNotice(request, issuer, authorities) {
    const { facts } = request;
    const d = facts.determination!;
    const cite = citer(request.rulebook.name);
    const basis = cite(request.spec.basis.article);
    const grounds = groundsText(facts, cite);
    return [
      { text: `${subjectWithPost(facts)}${matterWithReference(facts)}的容错免责审查已经办结。依照${basis}，现将结论告知如下。` },
      { text: `${decider(facts, issuer)}于${writtenDate(d.decidedOn)}集体研究，认定：对${subjectName(facts)}${OUTCOME_DECISIONS[d.outcome]}。` },
      ...(grounds ? [{ text: `认定依据为${grounds}。` }] : []),
      { text: `主要理由：${sentence(d.reasons)}` },
      ...[appealClause(facts, issuer, authorities, request.rulebook, cite, '结论')].filter((p): p is BodyParagraph => Boolean(p)),
      { text: '特此告知。' },
    ];
  },

  /** 免责决定书: the subject, the facts found, the basis with its articles, the decision and its effects, the approving body. */
  exemptionDecision(request, issuer, authorities) {
    const { facts } = request;
    const d = facts.determination!;
    const cite = citer(request.rulebook.name);
    const grounds = groundsText(facts, cite);
    const parts: [string, BodyParagraph[]][] = [
      [
        '基本情况',
        [
          {
            text: `${facts.subject.name}，${facts.subject.organisation}${facts.subject.position ?? ''}。${
              facts.application ? `${writtenDate(facts.application.filedAt)}，${facts.application.filedBy === 'subject' ? '本人' : '其所在单位党组织'}` : '本机关依职权'
            }就${matterWithReference(facts)}提出容错免责${facts.application ? '申请' : '审查'}。`,
          },
        ],
      ],
      ...(facts.application?.contents?.length
        ? ([['申请情况', facts.application.contents.map((part) => ({ text: `${part.label}：${sentence(part.text)}` }))]] as [string, BodyParagraph[]][])
        : []),
      ['查明的事实', [{ text: facts.investigation ? `调查组于${writtenDate(facts.investigation.submittedOn)}提交书面调查报告，查明：${sentence(withoutLeadIn(facts.investigation.findings))}` : '（调查报告未载明事实。）' }]],
      ['认定依据', [{ text: grounds ? `${subjectName(facts)}的情形符合${grounds}的规定。` : `依照${cite(request.spec.basis.article)}。` }]],
      [
        '决定',
        [
          { text: `经集体研究，决定对${subjectName(facts)}${OUTCOME_DECISIONS[d.outcome]}。${sentence(d.reasons)}` },
          ...effectsParagraphs(facts, cite),
          { text: `批准机关：${approvingBodyName(request, issuer)}（${writtenDate(d.decidedOn)}）。` },
        ],
      ],
    ];
    const appeal = appealClause(facts, issuer, authorities, request.rulebook, cite, '决定');
    if (appeal) parts.push(['申诉权利', [appeal]]);
    return parts.flatMap(([heading, paragraphs], i) => [{ text: `${NUMERALS[i]}、${heading}`, heading: true }, ...paragraphs]);
  },

  /** 认定书 (银川) / 容错决定书 (焦作): the application, the investigation, the determination and what it does to the accountability. */
  determinationNotice(request, issuer, authorities) {
    const { facts } = request;
    const d = facts.determination!;
    const cite = citer(request.rulebook.name);
    const grounds = groundsText(facts, cite);
    const opening = facts.application
      ? `${writtenDate(facts.application.filedAt)}，${facts.application.filedBy === 'subject' ? subjectWithPost(facts) : `${facts.subject.organisation}为${subjectName(facts)}`}就${matterWithReference(facts)}提出容错申请。`
      : `本机关依职权对${subjectWithPost(facts)}${matterWithReference(facts)}启动容错认定。`;
    return [
      { text: `${opening}依照${cite(request.spec.basis.article)}，本机关进行了调查核实，现作出认定。` },
      ...(facts.investigation ? [{ text: `经查：${sentence(withoutLeadIn(facts.investigation.findings))}` }] : []),
      ...(grounds ? [{ text: `本机关认为，上述情形符合${grounds}的规定。` }] : []),
      { text: `${decider(facts, issuer)}于${writtenDate(d.decidedOn)}集体研究，认定对${subjectName(facts)}${OUTCOME_DECISIONS[d.outcome]}。${sentence(d.reasons)}` },
      ...effectsParagraphs(facts, cite),
      ...[appealClause(facts, issuer, authorities, request.rulebook, cite, '决定')].filter((p): p is BodyParagraph => Boolean(p)),
    ];
  },

  /** 认定结果反馈函: the result, its basis and the explanation, answered to the applicant. */
  feedbackLetter(request, issuer) {
    const { facts } = request;
    const d = facts.determination!;
    const cite = citer(request.rulebook.name);
    const grounds = groundsText(facts, cite);
    const applicant = facts.application?.filedBy === 'subjectOrganisation' ? '你单位' : '你';
    const enclosures = facts.enclosures ?? [];
    const sections = [
      `认定结果：对${subjectName(facts)}${OUTCOME_DECISIONS[d.outcome]}（${OUTCOME_NAMES[d.outcome]}）。`,
      ...(grounds ? [`认定依据：${grounds}。`] : []),
      `答复解释：${sentence(d.reasons)}`,
      ...(facts.investigation ? [`调查核实情况：${sentence(withoutLeadIn(facts.investigation.findings))}`] : []),
      // 阳江 二(五)4: the correction list goes out with the determination's feedback.
      ...(enclosures.length > 0 ? [`纠错建议：根据调查报告提出的纠错建议，与本认定一并反馈，见附件《${enclosures.map((e) => `${e.title}》（${e.number}）`).join('、《')}，请责任单位按期整改并报送整改报告。`] : []),
      ...(facts.correctionNone ? [`纠错建议：经调查，无须纠错。${sentence(facts.correctionNone)}`] : []),
    ];
    return [
      {
        text: `${facts.application ? `${applicant}于${writtenDate(facts.application.filedAt)}提出的` : '关于'}${subjectWithPost(facts)}${matterWithReference(facts)}的容错免责申请，${decider(facts, issuer)}已于${writtenDate(d.decidedOn)}研究认定。依照${cite(request.spec.basis.article)}，现将认定结果反馈如下。`,
      },
      ...sections.map((text, i) => ({ text: `${NUMERALS[i]}、${text}` })),
      { text: '特此函复。' },
      // 附件说明 (GB/T 9704-2012 7.3.6).
      ...(enclosures.length > 0 ? [{ text: `附件：${enclosures.map((e, i) => `${enclosures.length > 1 ? `${i + 1}.` : ''}${e.title}（${e.number}）`).join('　')}` }] : []),
    ];
  },

  /** 受理决定告知书: whether the application is taken up, why not if not. */
  acceptanceNotice(request) {
    const { facts } = request;
    const a = facts.acceptance!;
    const cite = citer(request.rulebook.name);
    const applicant = facts.application?.filedBy === 'subjectOrganisation' ? '你单位' : '你';
    const received = facts.application ? `${applicant}于${writtenDate(facts.application.filedAt)}提交的` : '';
    return [
      { text: `${received}关于${subjectWithPost(facts)}${matterWithReference(facts)}的容错申请收悉。` },
      a.accepted
        ? { text: `经审查，依照${cite(a.article)}，本机关于${writtenDate(a.decidedOn)}决定予以受理，并将在规定期限内组织调查核实。` }
        : { text: `经审查，本机关于${writtenDate(a.decidedOn)}决定不予受理。理由：${sentence(a.reason ?? '')}（${cite(a.article)}）` },
      { text: '特此告知。' },
    ];
  },

  /** 申诉处理决定书: what was appealed against, the review, and whether the conclusion stands. */
  appealDecision(request) {
    const { facts } = request;
    const a = facts.appealDecision!;
    const cite = citer(request.rulebook.name);
    const against = a.earlier.length > 0 ? `本机关作出的${a.earlier.join('、')}` : '本机关作出的容错免责结论';
    return [
      { text: `${subjectWithPost(facts)}于${writtenDate(a.receivedOn)}对${against}提出书面申诉。申诉的主要内容：${sentence(a.summary)}` },
      { text: `本机关依照${cite(a.article)}进行了复查。复查认为：${sentence(a.reasons)}` },
      { text: `现决定：${a.result === 'upheld' ? '维持原结论' : '变更原结论，依复查认定重新处理'}。` },
      { text: '本决定自作出之日起生效。' },
    ];
  },

  /** 澄清函: what was found of the accusation, and the clearing of the cadre's name within its reach. */
  clarification(request) {
    const { facts } = request;
    const c = facts.clarification!;
    const cite = citer(request.rulebook.name);
    return [
      { text: `关于反映${subjectWithPost(facts)}${matterWithReference(facts)}，本机关于${writtenDate(c.foundOn)}查明：${sentence(c.finding)}` },
      { text: `依照${cite(request.spec.basis.article)}，现予澄清正名，请在反映所及范围内以${sentence(c.means).replace(/。$/, '')}的方式消除影响${c.malicious ? '；对恶意举报，依纪依法查处' : ''}。` },
      { text: '特此函告。' },
    ];
  },

  /** 纠错建议清单: each item, its owner and its date, and the report the owner owes. */
  correctionList(request) {
    const { facts } = request;
    const cite = citer(request.rulebook.name);
    const items = facts.correctionItems ?? [];
    return [
      {
        text: `根据对${subjectWithPost(facts)}${matterWithReference(facts)}的调查报告，依照${cite(request.spec.basis.article)}，现将纠错建议清单印发给你们。请各责任单位按所列事项和期限完成整改，并向本机关报送整改报告。`,
      },
      ...items.map((item, i) => ({ text: `${NUMERALS[i] ?? String(i + 1)}、${sentence(item.description).replace(/。$/, '')}。责任单位：${item.owner}；整改期限：${writtenDate(item.dueOn)}前。` })),
    ];
  },
};

/** The text of one document, composed for its kind and its issuer. */
export function composeDocument(request: IssueDocumentRequest, authorities: Authorities): ComposedDocument {
  const issuer = authorities.resolve(request.issuer, request.rulebook);
  const addressees = [...new Set(request.addressees.map((to) => addresseeName(to, request.facts)))];
  return {
    title: request.spec.title,
    addressees,
    body: composers[request.spec.kind](request, issuer, authorities),
    copyTo: request.copyTo.flatMap((generic) => (issuer.copyTo[generic] ?? generic).split('、')),
    issuer,
    signatory: signatoryOf(request, issuer),
  };
}

/** The body as plain text, kept beside the file for search and the API. */
export function plainText(doc: Pick<ComposedDocument, 'addressees' | 'body'>): string {
  return withoutForbiddenCharacters([`${doc.addressees.join('、')}：`, ...doc.body.map((p) => p.text)].join('\n'));
}
