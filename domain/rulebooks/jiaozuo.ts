/**
 * 焦作市支持改革创新激励干部担当有为容错纠错办法（试行）, as printed in the city
 * newspaper's explainer, shared/regulations/jiaozuo.txt (OCR with interleaved
 * columns; quotes below are the untangled sentences). The text cites no
 * article numbers, so citations name its sections.
 *
 * The text sets no day counts. The authority's own periods here are the
 * product's choices, marked as such with the reason; the deploying body sets
 * its own in a new version. The party's appeal window, which would bar an
 * appeal for good, is not invented: the text says only 按有关规定, so a
 * deploying body sets it as a parameter naming the rule it rests on, or there
 * is none.
 */
import { productChoice, type RulebookInput } from './schema';

const art = (article: string, quote: string) => ({ article, quote });

/** 容错纠错的条件, first sentence: three conditions (the text's columns untangled). */
const CONDITIONS = {
  ...art(
    '容错纠错的条件',
    '对于主观上没有为自己、他人或单位谋取私利,客观上严格执行集体研究和民主决策程序(紧急情况临时处置的除外),实际效果上没有造成重大损失或不良社会影响,并符合以下情形之一的失误错误,经研究认定,可予以容错',
  ),
  ocrFragments: [
    '对于主观上没有为自己、他人',
    '或单位谋取私利,客观上严格执行',
    '集体研究和民主决策程序(紧急情',
    '况临时处置的除外),实际效果上',
    '没有造成重大损失或不良社会影',
    '响,并符合以下情形之一的失误错',
    '经研究认定,',
    '可予以容错:',
  ],
};

/** 容错纠错的条件, the special measures (特事特办) of the second kind of mistake. */
const SPECIAL_MEASURES = {
  ...art(
    '容错纠错的条件',
    '在推动重大工程、重点项目建设时为确保工作进度,使用财政资金时为避免国家、群众利益受损,解决复杂矛盾纠纷、历史遗留问题时为维护社会稳定等情况下,采取的特事特办措施,要经同级人民政府同意后,在实施前向上级业务主管部门报告并征得同意',
  ),
  ocrFragments: [
    '中出现的失误错误。在推动重大工',
    '程、重点项目建设时为确保工作进',
    '度,使用财政资金时为避免国家、',
    '群众利益受损,解决复杂矛盾纠',
    '纷、历史遗留问题时为维护社会稳',
    '定等情况下,采取的特事特办措',
    '施,要经同级人民政府同意后,在',
    '实施前向上级业务主管部门报告并',
    '征得同意。',
  ],
};

export const jiaozuo2017: RulebookInput = {
  id: 'jiaozuo',
  name: '焦作市支持改革创新激励干部担当有为容错纠错办法（试行）',
  issuingBody: '中共焦作市委',
  version: '2017',
  revision: 3,
  inForce: '2017-01-01',
  source: 'jiaozuo.txt',
  documentNumberPrefix: '焦容',
  openingEvent: {
    label: '问责启动日',
    basis: art('程序(一)启动', '在进行问责时'),
    byRoute: { exOfficio: { label: '依职权启动容错程序日', basis: art('程序(一)启动', '执纪问责部门认为存在本办法第二章规定容错情形的') } },
  },
  caseAttributes: [{ id: 'specialMeasure', label: '失误出自特事特办措施', basis: SPECIAL_MEASURES }],
  advanceRequirements: [
    {
      id: 'specialMeasure',
      label: '特事特办措施',
      basis: {
        ...SPECIAL_MEASURES,
        reading: '事前经同级人民政府同意、向上级业务主管部门报告并征得同意，是该类失误得以容错的条件：任何一项缺失或晚于实施的，不予容错、减轻或从轻；“经同级人民政府同意后……报告并征得同意”定有先后：先经政府同意，再向上级报告，再征得上级同意（同日办理的视为依次办理），顺序颠倒的不作为容错的依据',
      },
      ordered: true,
      appliesWhenAttribute: 'specialMeasure',
      outcomes: ['exempt', 'mitigated', 'lenient'],
      items: [
        { id: 'governmentConsent', label: '经同级人民政府同意' },
        { id: 'superiorReport', label: '向上级业务主管部门报告' },
        { id: 'superiorConsent', label: '征得上级业务主管部门同意' },
      ],
    },
  ],
  catalogues: {
    eligible: {
      basis: {
        ...art('容错纠错的条件', '没有造成重大损失或不良社会影响,并符合以下情形之一的失误错误,经研究认定,可予以容错'),
        ocrFragments: ['没有造成重大损失或不良社会影', '响,并符合以下情形之一的失误错误, 经研究认定, 可予以容错'],
      },
      items: [
        { id: 'jz-1', article: '具体事项(一)', text: '落实党委、政府决策部署中出现工作失误和偏差，但经过民主决策程序，没有谋取私利，且积极主动消除影响或损失' },
        { id: 'jz-2', article: '具体事项(二)', text: '推动经济结构调整、产业转型升级和创新驱动发展中大胆探索，由于未来的不确定性或外部环境变化未能达到原计划效果' },
        { id: 'jz-3', article: '具体事项(三)', text: '政府职能转变和重点领域改革中积极采取创新措施改革行政审批制度，对现行政策规定有所突破' },
        { id: 'jz-4', article: '具体事项(四)', text: '推进工业产业项目、重点基础设施项目建设中大胆履职，出现一定失误或引发矛盾' },
        { id: 'jz-5', article: '具体事项(五)', text: '城市建设、脱贫攻坚、环境保护等领域创新性开展工作，出现法律法规和上级政策规定尚无明确限制的失误或错误' },
        { id: 'jz-6', article: '具体事项(六)', text: '区域发展、行业发展决策中自加压力、主动提高工作标准，经努力未能实现预期目标' },
        { id: 'jz-7', article: '具体事项(七)', text: '处置突发事件或执行急难险重任务中果断决策、事后及时履行报告程序，出现一定失误或非议' },
        { id: 'jz-8', article: '具体事项(八)', text: '化解矛盾焦点、解决历史遗留问题中勇于破除障碍，出现失误或造成较小负面影响' },
        { id: 'jz-9', article: '具体事项(九)', text: '由于政策调整、自然灾害等不可抗力或难以预见等因素，导致工作未达到预期目标或造成负面影响' },
      ],
    },
    conditions: {
      basis: CONDITIONS,
      items: [
        { id: 'jz-c1', article: '容错纠错的条件（主观）', text: '主观上没有为自己、他人或单位谋取私利', group: 'selfless' },
        { id: 'jz-c2', article: '容错纠错的条件（客观）', text: '客观上严格执行集体研究和民主决策程序', group: 'procedure' },
        { id: 'jz-c2e', article: '容错纠错的条件（客观，除外）', text: '紧急情况临时处置（集体研究和民主决策程序的除外情形）', group: 'procedure' },
        { id: 'jz-c3', article: '容错纠错的条件（实际效果）', text: '实际效果上没有造成重大损失或不良社会影响', group: 'effect' },
      ],
    },
    excluded: {
      basis: art('不予容错的情形', '不予容错的情形'),
      items: [
        { id: 'jz-x1', article: '不予容错的情形1', text: '违反党的纪律、法律法规的强制性或禁止性规定' },
        { id: 'jz-x2', article: '不予容错的情形2', text: '造成重特大安全责任事故、重大环境污染事故、重大群体性事件以及其他重大损失' },
        { id: 'jz-x3', article: '不予容错的情形3', text: '发现有错或经提醒仍不及时纠偏纠错，放任错误造成更大损失' },
        { id: 'jz-x4', article: '不予容错的情形4', text: '同类问题连续出现失误过错' },
      ],
    },
  },
  effects: {
    exempt: [
      { text: '免除责任追究', basis: art('结果运用', '予以容错的,根据其行为性质及造成后果,分别给予从轻、减轻或免除责任追究的处理'), stopsAccountability: true },
      {
        text: '考核评价、评先评优、表彰奖励时不受影响；干部选拔任用、职称资格评定及推选党代表、人大代表、政协委员等人选时不作负面评价',
        basis: art('结果运用(一)', '免除责任追究的,在考核评价、评先评优、表彰奖励时不受影响'),
      },
    ],
    mitigated: [{ text: '根据减轻后的处理措施确定受影响的情形', basis: art('结果运用(二)', '从轻、减轻责任追究的,根据其从轻、减轻后的处理措施,确定受影响的情形') }],
    lenient: [{ text: '根据从轻后的处理措施确定受影响的情形', basis: art('结果运用(二)', '从轻、减轻责任追究的,根据其从轻、减轻后的处理措施,确定受影响的情形') }],
    denied: [{ text: '按照问责决定予以问责，记录在案，督促整改', basis: art('结果运用', '不予容错的,按照问责决定予以问责,并记录在案,督促相关干部、单位进行整改') }],
  },
  steps: [
    {
      kind: 'intake',
      stage: 'start',
      label: '启动',
      roles: ['officer'],
      routes: [
        { route: 'exOfficio', label: '执纪问责部门在问责时依职权启动', basis: art('程序(一)启动', '在进行问责时,执纪问责部门认为存在本办法第二章规定容错情形的……应启动容错程序') },
        { route: 'application', label: '被问责的干部、单位书面申请', basis: art('程序(一)启动', '被问责的干部、单位向执纪问责部门提出书面申请的,应启动容错程序') },
      ],
    },
    {
      kind: 'investigation',
      stage: 'investigation',
      label: '调查',
      basis: {
        ...art('程序(二)调查', '应深入开展调查,收集证据材料,充分听取各方面意见。容错调查工作可与问责调查工作同步进行'),
        reading: '“充分听取各方面意见”未专指被问责干部本人，本规则不以听取本人意见为出具调查结论的前提（与滨海第十三条(二)、杭州第九条(三)不同）',
      },
      roles: ['officer', 'supervisor'],
      deadline: {
        amount: 30,
        unit: 'workingDays',
        basis: productChoice('容错调查自启动容错程序之日（依职权启动之日或收到书面申请之日）起30个工作日内完成', '原文未规定调查期限；本规则取30个工作日，使调查受时限督办，部署单位可在新版本中调整'),
      },
      participants: {
        kinds: ['deputy', 'cppccMember', 'expert', 'thirdParty', 'serviceRecipient'],
        basis: art('程序(二)调查', '可邀请人大代表、政协委员、专家学者、第三方社会组织以及被问责干部、单位的服务对象等参与调查核实'),
      },
    },
    {
      kind: 'deliberation',
      stage: 'decision',
      label: '党委(党组)集体研究决定',
      basis: art('程序(四)决定', '按照干部管理权限,党委(党组)需经集体研究,作出予以容错或不予容错的决定'),
      roles: ['supervisor'],
      outcomes: ['lenient', 'mitigated', 'exempt', 'denied'],
      deciders: [{ id: 'partyCommittee', name: '党委(党组)' }],
      advanceFiling: {
        ...art('容错纠错的条件', '实施重大改革创新项目或有较大突破、探索的工作,应事先进行风险评估和论证,报上一级全面深化改革领导小组备案'),
        ocrFragments: ['实施重大改革创新项目或有较大突', '破、探索的工作,应事先进行风险', '评估和论证,报上一级全面深化改', '革领导小组备案'],
      },
      jointWithAccountability: art('程序(四)决定', '党委(党组)可在研究问责决定时,一并研究容错决定'),
      toleranceRequires: {
        outcomes: ['exempt', 'mitigated', 'lenient'],
        allConditions: true,
        eligibleCircumstance: true,
        noExclusion: true,
        basis: {
          ...art('容错纠错的条件、不予容错的情形', '经研究认定, 可予以容错'),
          reading: '“没有造成重大损失或不良社会影响”接“实际效果上”，是与主观、客观并列的第三项条件；三项须同时具备，紧急情况临时处置的可不具备集体研究和民主决策程序一项',
        },
      },
    },
    {
      kind: 'notice',
      stage: 'notice',
      label: '送达容错决定',
      deadline: { amount: 5, unit: 'workingDays', basis: productChoice('作出容错决定后5个工作日内送达', '原文未规定送达期限；本规则取作出决定后5个工作日，部署单位可在新版本中调整') },
      roles: ['officer'],
      recipients: ['subject', 'subjectOrganisation'],
      documents: [
        {
          outcomes: ['lenient', 'mitigated', 'exempt', 'denied'],
          document: {
            kind: 'determinationNotice',
            title: '容错决定书',
            basis: art('程序(四)决定', '作出予以容错或不予容错的决定'),
            issuer: {
              role: 'decider',
              basis: {
                ...art('程序(四)决定', '按照干部管理权限,党委(党组)需经集体研究,作出予以容错或不予容错的决定'),
                reading: '谁问责谁容错：容错决定由有干部管理权限的党委(党组)作出并印发，而非发布本办法的市委',
              },
            },
          },
        },
      ],
      copyTo: [],
    },
    {
      kind: 'appeal',
      stage: 'appeal',
      label: '申诉',
      // No window: see windowParameter. Beside execution, which an appeal does not stop.
      windowParameter: { name: 'appealWindow', describe: '申诉期限：原文“按有关规定”，由部署单位依其援引的规定设置并注明出处；未设置的，不设申诉期限' },
      alongside: true,
      filers: ['subject', 'subjectOrganisation'],
      decision: { amount: 30, unit: 'days', basis: productChoice('收到申诉之日起30日内作出申诉处理决定', '原文未规定申诉处理期限；本规则取30日，部署单位可在新版本中调整') },
      roles: ['officer'],
      decisionRoles: ['supervisor'],
      suspendsExecution: false,
      appliesTo: ['denied'],
      document: {
        kind: 'appealDecision',
        title: '申诉处理决定书',
        basis: {
          ...art('程序(五)执行', '对不予容错决定不服的,相关干部、单位可以按有关规定提出申诉'),
          reading: '原文只说“按有关规定”，未设申诉期限；本系统不自设会使申诉权永久丧失的期限，部署单位可依其援引的规定设置（appealWindow）并注明出处',
        },
        issuer: {
          role: 'decider',
          basis: { ...art('程序(四)决定', '党委(党组)需经集体研究,作出予以容错或不予容错的决定'), reading: '原文未规定申诉由谁处理；本规则取作出不予容错决定的党委(党组)' },
        },
      },
    },
    {
      kind: 'execution',
      stage: 'execution',
      label: '执行',
      roles: ['officer', 'supervisor'],
      basis: art('程序(五)执行', '执纪问责部门根据容错决定负责具体执行'),
      onDenied: { basis: art('结果运用', '不予容错的,按照问责决定予以问责,并记录在案,督促相关干部、单位进行整改') },
    },
    {
      kind: 'archive',
      stage: 'archive',
      label: '记录在案、归档',
      basis: art('结果运用', '并记录在案'),
      roles: ['officer'],
    },
  ],
};
