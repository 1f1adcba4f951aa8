/**
 * 阳江市贯彻“三个区分开来”治理为官不为的实施意见（试行）, 2017-05, part 二
 * (容错), shared/regulations/yangjiang-2017.txt. Citations follow the text's
 * own outline numbering, e.g. 二(三)2 for 容错程序·提出和受理. Part 三 (治理为官不为)
 * is a separate procedure and not modelled here.
 */
import type { RulebookInput } from './schema';

const art = (article: string, quote: string) => ({ article, quote });

/** On the opinion routes there is no acceptance: the group's receipt of the opinion stands for it. */
const opinionReceived = {
  label: '容错调查工作小组收到初步意见之日',
  basis: {
    ...art('二(三)2', '形成初步意见报送容错调查工作小组'),
    reading: '初步意见路径无受理决定，以工作小组收到初步意见之日为受理之日，调查期限自此起算',
  },
};

export const yangjiang2017: RulebookInput = {
  id: 'yangjiang',
  name: '阳江市贯彻“三个区分开来”治理为官不为的实施意见（试行）',
  issuingBody: '中共阳江市委办公室',
  version: '2017-05',
  revision: 3,
  inForce: '2017-05-17',
  source: 'yangjiang-2017.txt',
  documentNumberPrefix: '阳纪容',
  openingEvent: {
    label: '受到追责调查之日',
    basis: art('二(三)2', '有关单位或个人因发生履职行为问题而受到追责调查时'),
    byRoute: { accountabilityBodyOpinion: opinionReceived, functionalDepartmentOpinion: opinionReceived },
  },
  catalogues: {
    eligible: {
      basis: art('二(二)1', '按照“三个区分开来”原则予以免责或减轻、从轻问责的情形包括六大类共20种情形'),
      items: [
        { id: 'yj-1', article: '二(二)1(1)', text: '一心为公：处置重大突发性事件中为保护群众生命财产安全或维护社会稳定，临机处置导致工作失误' },
        { id: 'yj-2', article: '二(二)1(2)', text: '一心为公：突破程序、急事急办处置重大突发性事件，努力弥补损失并事后及时报告' },
        { id: 'yj-3', article: '二(二)1(3)', text: '一心为公：为加快工作进度采取有利于全局和长远发展的措施，因方式方法不当造成过失' },
        { id: 'yj-4', article: '二(二)1(4)', text: '一心为公：贯彻新发展理念制定制度措施，对局部利益有一定影响但有利于全局' },
        { id: 'yj-5', article: '二(二)1(5)', text: '无意过失：招商引资、产业转型升级中积极作为，非主观原因造成失误并努力弥补损失' },
        { id: 'yj-6', article: '二(二)1(6)', text: '无意过失：权责不对等情况下积极履行属地或行业管理责任，非主观原因造成失误' },
        { id: 'yj-7', article: '二(二)1(7)', text: '无意过失：过去的履职行为当时被允许或未被明确禁止，现在的规定明确禁止' },
        { id: 'yj-8', article: '二(二)1(8)', text: '尽力履职：因政策不够明确、配套措施不完善或尺度把握不精准出现失误，未造成严重后果' },
        { id: 'yj-9', article: '二(二)1(9)', text: '尽力履职：对无明确限制的领域进行探索性试验，严格按制度办事仍出现偏差' },
        { id: 'yj-10', article: '二(二)1(10)', text: '尽力履职：因缺乏经验或环境变化出现一般性问题，及时处置未造成较大影响' },
        { id: 'yj-11', article: '二(二)1(11)', text: '不可抗力：严格执行民主决策和请示报告制度、充分评估风险，仍然出现失误' },
        { id: 'yj-12', article: '二(二)1(12)', text: '不可抗力：履职无过失，因不可控因素造成工作延误等错误' },
        { id: 'yj-13', article: '二(二)1(13)', text: '不可抗力：在制定或执行错误决策过程中明确提出反对意见' },
        { id: 'yj-14', article: '二(二)1(14)', text: '综合效果良好：妥善解决群众反映强烈的历史遗留问题，取得良好综合效果但存在失误' },
        { id: 'yj-15', article: '二(二)1(15)', text: '综合效果良好：为解决疑难复杂问题大胆尝试，有所突破，出现偏差但未造成严重后果' },
        { id: 'yj-16', article: '二(二)1(16)', text: '综合效果良好：根据上级部署探索性试验，方向原则正确但方式方法不够完善' },
        // (20) reads 可以免责或减轻、从轻问责: it may ground an exemption as well as the lesser outcomes.
        { id: 'yj-20', article: '二(二)1(20)', text: '依据有关党纪法规或政策可以免责或减轻、从轻问责的其他情形' },
      ],
    },
    mitigating: {
      basis: art('二(二)1', '第六类:敢于担当……可以减轻或从轻问责'),
      items: [
        { id: 'yj-17', article: '二(二)1(17)', text: '敢于担当：对职责范围内发生的问题及时如实报告' },
        { id: 'yj-18', article: '二(二)1(18)', text: '敢于担当：问责调查前主动查处和纠正，有效避免损失或挽回负面影响' },
        { id: 'yj-19', article: '二(二)1(19)', text: '敢于担当：积极配合组织调查，主动承担责任' },
      ],
    },
    excluded: {
      basis: art('二(二)2', '履职行为有以下情形之一的,应当依法依纪追究责任'),
      items: [
        { id: 'yj-x1', article: '二(二)2(1)', text: '法律法规已明令禁止，依然我行我素胡乱作为' },
        { id: 'yj-x2', article: '二(二)2(2)', text: '假公济私，经查实存在违法违纪谋取私利行为' },
        { id: 'yj-x3', article: '二(二)2(3)', text: '非法侵害群众利益，严重破坏党群政群关系' },
        { id: 'yj-x4', article: '二(二)2(4)', text: '玩忽职守、失职渎职造成重特大事故或引发严重群体性事件' },
        { id: 'yj-x5', article: '二(二)2(5)', text: '不履行法定职责或应尽义务，放任不管或消极应付，造成影响恶化或损失扩大' },
        { id: 'yj-x6', article: '二(二)2(6)', text: '构成违法犯罪或严重违纪的其他情形' },
      ],
    },
  },
  effects: {
    exempt: [
      { text: '免责', basis: art('二(四)', '根据容错调查工作小组调查认定应予免责的单位和个人'), stopsAccountability: true },
      { text: '党风廉政建设责任制检查考核中不影响其正面评定', basis: art('二(四)1', '在党风廉政建设责任制检查考核中,不影响其正面评定') },
      { text: '各项考核评比中不影响考评结果', basis: art('二(四)2', '在单位和个人的各项考核评比中,不影响考评结果') },
      { text: '班子和个人年度考核中不影响考核结果', basis: art('二(四)3', '在班子和个人年度考核中,不影响考核结果') },
      { text: '免予党政纪处分的干部不影响其提拔使用', basis: art('二(四)4', '对免予党政纪处分的干部,不影响其提拔使用') },
    ],
    mitigated: [{ text: '减轻问责', basis: art('二(二)1', '予以免责或减轻、从轻问责') }],
    lenient: [{ text: '从轻问责', basis: art('二(二)1', '予以免责或减轻、从轻问责') }],
    denied: [{ text: '依法依纪追究责任', basis: art('二(二)2', '应当依法依纪追究责任') }],
  },
  steps: [
    {
      kind: 'clarification',
      stage: 'clarification',
      label: '澄清问题',
      roles: ['supervisor'],
      basis: {
        ...art('二(三)5', '确有需要给当事人澄清问题的,由相关部门及时澄清,消除负面影响'),
        reading: '澄清不改变认定结果，也不以案件进行到哪一步为限：查实反映的问题失实的，由办案的纪检监察机关以书面方式向举报影响所及的单位澄清；原文未规定查处恶意举报，不移送',
      },
      document: { kind: 'clarification', title: '澄清问题通知书', basis: art('二(三)5', '由相关部门及时澄清,消除负面影响'), issuer: { role: 'authority', basis: { ...art('二(三)5', '由相关部门及时澄清'), reading: '“相关部门”未指明，本规则取作出审查决定的纪检监察部门' } } },
      alongside: true,
    },
    {
      kind: 'intake',
      stage: 'intake',
      label: '提出',
      roles: ['officer'],
      routes: [
        { route: 'accountabilityBodyOpinion', label: '问责机关初步意见', basis: art('二(三)2', '应收集相关证据,形成初步意见报送容错调查工作小组') },
        { route: 'functionalDepartmentOpinion', label: '职能部门初步意见', basis: art('二(三)2', '党委和政府各相关职能部门……形成初步意见报送容错调查工作小组') },
        { route: 'application', label: '当事人书面申请', basis: art('二(三)2', '向容错调查工作小组提出书面申诉') },
      ],
    },
    {
      kind: 'acceptance',
      stage: 'acceptance',
      label: '决定是否受理',
      roles: ['supervisor'],
      basis: art('二(三)2', '容错调查工作小组应当在收到申请之日起10个工作日内决定是否受理,并书面告知当事人'),
      appliesTo: ['application'],
      deadline: { amount: 10, unit: 'workingDays', basis: art('二(三)2', '应当在收到申请之日起10个工作日内决定是否受理') },
      document: { kind: 'acceptanceNotice', title: '容错申请受理决定告知书', basis: art('二(三)2', '并书面告知当事人'), issuer: { role: 'investigationGroup', basis: art('二(三)2', '容错调查工作小组应当在收到申请之日起10个工作日内决定是否受理,并书面告知当事人') } },
      onRejection: { outcome: 'notAccepted', explanation: '容错调查工作小组决定不予受理，已书面告知当事人' },
    },
    {
      kind: 'investigation',
      stage: 'investigation',
      label: '调查核实',
      basis: art('二(三)3', '采取书面审查、实地检查、听取当事人意见、走访询问等多种方式开展调查'),
      roles: ['officer', 'supervisor'],
      deadline: {
        amount: 30,
        unit: 'workingDays',
        basis: {
          ...art('二(三)3(3)', '调查工作一般应在受理之日起30个工作日内完成'),
          reading: '申请路径自受理决定之日起算；初步意见路径无受理决定，自工作小组收到初步意见之日起算',
        },
      },
      extensions: {
        basis: {
          ...art('二(三)3(3)', '对涉及事项较为复杂、确需延长调查时间的,经容错调查工作小组研究同意,可以适当延长时间'),
          reading: '“研究同意”是工作小组的集体决定，不是某一负责人的批准：延长须登记工作小组研究的日期和研究决定的内容',
        },
        requiresApprover: false,
        collectiveDecision: { by: '容错调查工作小组' },
      },
      participants: {
        kinds: ['deputy', 'cppccMember', 'stakeholder', 'department', 'expert'],
        basis: art('二(三)1', '必要时可以邀请“两代表一委员”、当事人、利益相关方、相关部门和专家学者参与调查'),
      },
      scopeLimited: art('二(三)3(1)', '按照“一事一核”的原则……不得随意扩大调查的内容和范围'),
    },
    {
      kind: 'deliberation',
      stage: 'review',
      label: '审议和认定',
      basis: art('二(三)4', '容错调查工作小组经集体讨论研究后作出的审查意见……由纪检监察部门作出具体的审查决定'),
      roles: ['supervisor'],
      outcomes: ['exempt', 'mitigated', 'lenient', 'denied'],
      deciders: [{ id: 'authorityLeadership', name: '纪检监察部门（依容错调查工作小组审查意见）' }],
      approval: { by: ['同级党委', '同级政府'], basis: art('二(三)4', '应当按照干部管理权限报送同级党委、政府批准') },
      toleranceRequires: [
        {
          outcomes: ['exempt', 'mitigated', 'lenient'],
          allConditions: false,
          eligibleCircumstance: true,
          noExclusion: true,
          basis: {
            ...art('二(二)1、二(二)2', '予以免责或减轻、从轻问责的情形……不予免责和减轻、从轻问责的情形'),
            reading:
              '二(二)2的标题“不予免责和减轻、从轻问责的情形”排除全部三种处理；(1)–(16)可以免责者，举重以明轻，亦可作为减轻、从轻的依据；(17)–(19)只可作为减轻、从轻的依据；(20)按其文义可作免责或减轻、从轻的依据',
          },
        },
      ],
    },
    {
      kind: 'filing',
      stage: 'filing',
      label: '报市容错调查工作小组备案',
      basis: art('二(三)4', '各县(市、区)的审查决定应在作出决定5个工作日内报市容错调查工作小组备案'),
      roles: ['officer'],
      filedWith: '市容错调查工作小组',
      deadline: { amount: 5, unit: 'workingDays', basis: art('二(三)4', '应在作出决定5个工作日内报市容错调查工作小组备案') },
      onlyForLevel: 'county',
    },
    {
      kind: 'notice',
      stage: 'feedback',
      label: '反馈意见',
      roles: ['officer'],
      countsFrom: 'decision',
      recipients: ['applicant'],
      documents: [
        {
          outcomes: ['exempt', 'mitigated', 'lenient', 'denied'],
          document: {
            kind: 'feedbackLetter',
            title: '容错调查处理情况反馈函',
            basis: {
              ...art('二(三)5', '纪检监察机关应当及时将调查处理情况向申请单位或个人反馈'),
              reading: '反馈给申请的单位或个人，谁申请向谁反馈；经问责机关或职能部门初步意见启动、无申请人的，向当事人本人反馈',
            },
            issuer: { role: 'authority', basis: art('二(三)5', '纪检监察机关应当及时将调查处理情况向申请单位或个人反馈') },
          },
        },
      ],
      copyTo: [
        {
          outcomes: ['exempt', 'mitigated', 'lenient', 'denied'],
          to: ['问责、廉政评价、提拔交流、绩效管理有关部门'],
          basis: art('二(三)5', '并将结论性意见送达有关部门,作为党员干部问责、廉政评价、提拔交流、绩效管理的重要依据'),
        },
      ],
    },
    {
      kind: 'correction',
      stage: 'correction',
      label: '下发纠错建议清单',
      roles: ['officer'],
      waiverRoles: ['supervisor'],
      basis: {
        ...art('二(五)4', '纠错建议与调查认定一并反馈,由调查小组根据调查报告列出纠错建议清单……一项一项落实整改……并按时提交整改报告'),
        reading: '纠错建议清单与调查认定结果一并反馈：反馈函待清单确定后与清单同时发出，并以清单为附件；调查未发现须纠正的问题的，说明理由登记，反馈函写明无须纠错',
      },
      issuedWith: 'notice',
      document: { kind: 'correctionList', title: '纠错建议清单', basis: art('二(五)4', '由调查小组根据调查报告列出纠错建议清单'), issuer: { role: 'investigationGroup', basis: art('二(五)4', '由调查小组根据调查报告列出纠错建议清单') } },
      escalateTo: '纪检监察机关',
    },
  ],
};
