/**
 * 杭州市教育局党委《关于党员干部改革创新容错免责的实施办法(试行)》
 * (教党委办组〔2020〕1号), shared/regulations/hangzhou-education-2020.txt.
 */
import type { RulebookInput } from './schema';

const art = (article: string, quote: string) => ({ article, quote });

/** 局党委 starts, investigates and decides the review (第五条), and issues its documents. */
const COMMITTEE = { role: 'decider' as const, basis: art('第五条', '按照干部管理权限,由局党委负责启动、调查和认定容错免责工作') };

export const hangzhouEducation2020: RulebookInput = {
  id: 'hangzhou-education',
  name: '杭州市教育局党员干部改革创新容错免责实施办法（试行）',
  issuingBody: '中共杭州市教育局委员会',
  version: '2020-01',
  revision: 3,
  inForce: '2020-01-03',
  source: 'hangzhou-education-2020.txt',
  documentNumberPrefix: '杭教党容',
  openingEvent: { label: '局党委启动问责程序日', basis: art('第九条(一)', '应在局党委启动问责程序后7个工作日内') },
  catalogues: {
    eligible: {
      basis: art('第六条', '下列情形可以申请容错认定'),
      items: [
        { id: 'hz-6-1', article: '第六条(一)', text: '落实上级决策部署，推动重点工作、重要决策、重大项目中攻坚克难或因保障进度需要出现失误或错误' },
        { id: 'hz-6-2', article: '第六条(二)', text: '为推动教育事业改革发展，大胆探索、先行先试出现失误或错误' },
        { id: 'hz-6-3', article: '第六条(三)', text: '推进教育体制机制改革、方式方法创新过程中，因缺乏经验出现失误或错误' },
        { id: 'hz-6-4', article: '第六条(四)', text: '无明令禁止、无政策限制的探索性试验中未达到预期效果，或因政策界限不明确、政策调整出现失误' },
        { id: 'hz-6-5', article: '第六条(五)', text: '因法律法规修改、政策调整、上级部署变化或自然灾害等不可预见或不可抗力因素未达预期或造成损失' },
        { id: 'hz-6-6', article: '第六条(六)', text: '处置突发应急事件或执行急难险重任务中主动揽责涉险、果断处置，出现失误、错误或造成负面影响' },
        { id: 'hz-6-7', article: '第六条(七)', text: '服务企业、群众、基层工作中，因创新方法、提高效能、方便群众出现失误或错误' },
        { id: 'hz-6-8', article: '第六条(八)', text: '化解矛盾纠纷、解决历史遗留问题中，因破除障碍、触及固有利益造成失误或引发信访' },
        { id: 'hz-6-9', article: '第六条(九)', text: '根据上级精神先行先试改革，因无先例遵循而出现失误或偏差' },
        { id: 'hz-6-10', article: '第六条(十)', text: '符合容错免责条件的其他情形' },
      ],
    },
    conditions: {
      basis: art('第七条', '有本办法第六条所列情形之一,并同时符合以下条件的可以容错'),
      items: [
        { id: 'hz-7-1', article: '第七条(一)', text: '符合党章、党内法规和法律、法规精神' },
        { id: 'hz-7-2', article: '第七条(二)', text: '符合中央和省委省政府、市委市政府决策部署精神' },
        { id: 'hz-7-3', article: '第七条(三)', text: '有利于推进教育事业改革和创新发展' },
        { id: 'hz-7-4', article: '第七条(四)', text: '严格遵守廉洁自律各项要求' },
        { id: 'hz-7-5', article: '第七条(五)', text: '按照相关程序进行民主决策、组织和实施' },
        { id: 'hz-7-6', article: '第七条(六)', text: '主动纠偏纠错，有效阻止错误继续发生，消除不良影响，或努力挽回损失' },
      ],
    },
    excluded: {
      basis: art('第八条', '有下列情形之一的,不予容错'),
      items: [
        { id: 'hz-8-1', article: '第八条(一)', text: '落实全面从严治党主体责任不到位，管理宽松软，造成严重损失和恶劣影响' },
        { id: 'hz-8-2', article: '第八条(二)', text: '借改革创新之名搞“政绩工程”“形象工程”，徇私舞弊、贪污受贿、假公济私或严重侵害群众利益' },
        { id: 'hz-8-3', article: '第八条(三)', text: '我行我素、独断专行，未按规定程序决策' },
        { id: 'hz-8-4', article: '第八条(四)', text: '引发重特大安全责任事故，或因处置不力发生重大安全责任事故' },
        { id: 'hz-8-5', article: '第八条(五)', text: '引发较大群体性事件并造成严重损失和恶劣影响' },
        { id: 'hz-8-6', article: '第八条(六)', text: '经组织提醒或问责后，仍重复出现失误' },
        { id: 'hz-8-7', article: '第八条(七)', text: '有关规定明确不能予以容错免责的其他情形' },
      ],
    },
  },
  effects: {
    exempt: [
      { text: '免予问责', basis: art('第二条', '依纪依法对其从轻、减轻处理或免予问责'), stopsAccountability: true },
      { text: '学校(单位)年度党建等考核中免予扣分', basis: art('第十条(一)', '在学校(单位)年度党建等考核中免予扣分') },
      { text: '干部个人评优评先、表彰奖励中不受影响', basis: art('第十条(二)', '在干部个人评优评先、表彰奖励中不受影响') },
      { text: '提拔任用、职级职称晋升、岗位聘用、职称评定中不受影响', basis: art('第十条(三)', '在干部个人提拔任用、职级职称晋升、岗位聘用、职称评定中不受影响') },
      { text: '任职试用期满、年度考核、任期考核等干部考核中不作负面评价', basis: art('第十条(四)', '在任职试用期满、年度考核、任期考核等干部考核中不作负面评价') },
      { text: '党代表、人大代表、政协委员和后备干部的推荐资格免受影响', basis: art('第十条(五)', '党代表、人大代表、政协委员和后备干部的推荐资格免受影响') },
      { text: '其他不受影响的事项', basis: art('第十条(六)', '其他不受影响的事项') },
      { text: '纳入容错回访，定期谈心谈话', basis: art('第十四条', '对予以容错免责的党员干部实行跟踪管理') },
    ],
    mitigated: [{ text: '依纪依法减轻处理', basis: art('第二条', '依纪依法对其从轻、减轻处理或免予问责') }],
    lenient: [{ text: '依纪依法从轻处理', basis: art('第二条', '依纪依法对其从轻、减轻处理或免予问责') }],
    denied: [
      { text: '问责程序继续；责成整改', basis: art('第十一条(一)', '对出现的问题事项,采取诫勉函询、责令纠错等方式,推动问题整改') },
    ],
  },
  steps: [
    {
      kind: 'clarification',
      stage: 'clarification',
      label: '澄清事实',
      roles: ['supervisor'],
      basis: {
        ...art('第十三条(一)', '对查无实据或轻微违纪不需追究纪律责任的问题,可以通过与相关人员谈话、召开会议或通报等适当方式,及时澄清事实,消除负面影响'),
        reading: '澄清不改变认定结果，也不以案件进行到哪一步为限：查实反映的问题失实的，由办案的局党委以书面方式向举报影响所及的单位澄清；诬告陷害等的，移送驻局纪检监察组查处；“反映问题失实”含查无实据或轻微违纪不需追究纪律责任的问题',
      },
      document: { kind: 'clarification', title: '澄清事实通知书', basis: art('第十三条', '对反映问题失实或受到诬告的学校(单位)或个人,可以采取以下措施予以澄清'), issuer: COMMITTEE },
      referMalicious: { to: '驻局纪检监察组', basis: art('第十三条(二)', '对诬告陷害、恶意炒作、造谣中伤、干扰改革创新或无理上访、甚至缠访闹访的,坚决依法依规查处') },
      alongside: true,
    },
    {
      kind: 'partyWindow',
      stage: 'application',
      label: '提出书面免责申请',
      countsFrom: 'caseEvent',
      deadline: {
        amount: 7,
        unit: 'workingDays',
        basis: {
          ...art('第九条(一)', '应在局党委启动问责程序后7个工作日内,向局党委提出书面免责申请'),
          reading: '以书面申请送达局党委之日为准，不以登记之日为准；邮寄在途时间不予扣除（原文未规定）',
        },
      },
      filers: ['subject', 'subjectOrganisation'],
      onLapse: { outcome: 'noApplication', explanation: '启动问责程序后7个工作日内未提出书面免责申请，问责程序继续' },
    },
    {
      kind: 'startApproval',
      stage: 'startApproval',
      label: '局党委主要负责人审批启动',
      basis: art('第九条(二)', '经局党委主要负责人审批,根据有关学校(单位)、个人的申请,及时启动容错核实认定'),
      roles: ['supervisor'],
      approverCapacity: '局党委主要负责人',
      opensVerificationDeadline: {
        amount: 1,
        unit: 'months',
        basis: {
          ...art('第九条(四)', '容错免责核实认定工作一般于1个月内完成'),
          reading: '核实认定由局党委主要负责人批准启动（第九条(二)“经局党委主要负责人审批……及时启动容错核实认定”），1个月自批准之日起算，至作出认定决定时止',
        },
      },
      onRefusal: { outcome: 'notStarted', explanation: '局党委主要负责人未批准启动容错核实认定，问责程序继续' },
    },
    {
      kind: 'investigation',
      stage: 'investigation',
      label: '调查核实',
      basis: art('第九条(三)', '对申请事项进行调查核实,出具书面调查报告,提出初步处理意见报局党委'),
      roles: ['officer', 'supervisor'],
      statements: art('第九条(三)', '调查应允许申请学校(单位)或个人据实申诉,充分听取当事人的申诉意见'),
      hearSubject: {
        basis: {
          ...art('第九条(三)', '调查应允许申请学校(单位)或个人据实申诉,充分听取当事人的申诉意见'),
          reading: '“应允许……充分听取”使听取申请人（申请学校(单位)或个人）的申诉意见成为出具调查报告前的必经环节；拒绝陈述的，记录其拒绝即视为已听取',
        },
        from: 'applicant',
      },
      hearing: art('第九条(三)', '必要时可召开听证会'),
    },
    {
      kind: 'deliberation',
      stage: 'deliberation',
      label: '党委会审议认定',
      basis: art('第九条(四)', '局党委召开党委会,根据有关规定和调查结果,集体研究确定处理意见,作出处理决定'),
      roles: ['supervisor'],
      outcomes: ['exempt', 'mitigated', 'lenient', 'denied'],
      deciders: [{ id: 'partyCommittee', name: '局党委会' }],
      upwardReport: art('第九条(四)', '对情况比较复杂或社会影响较大,一时难以认定的,须向上级纪检监察机关或组织人事部门报告后,再作出决定'),
      deferral: {
        max: {
          amount: 3,
          unit: 'months',
          basis: {
            ...art('第九条(四)', '对一时难以定论的,可以暂缓作出决定,暂缓时间不超过3个月'),
            reading:
              '“暂缓时间不超过3个月”限定的是暂缓本身：自决定暂缓之日起算3个月（按月计算，不依民法典第二百零三条顺延，因其限制的是问责部门暂不作决定的时间，而非当事人作出行为的期限）；暂缓须在1个月核实认定期限内决定，期满后不得再决定暂缓，再次暂缓只能在首次暂缓确定的最长期限内调整，故期限不能无限延后',
          },
        },
      },
      toleranceRequires: {
        outcomes: ['exempt', 'mitigated', 'lenient'],
        allConditions: true,
        eligibleCircumstance: true,
        noExclusion: true,
        basis: art('第七条、第八条', '有本办法第六条所列情形之一,并同时符合以下条件的可以容错……有下列情形之一的,不予容错'),
      },
    },
    {
      kind: 'notice',
      stage: 'feedback',
      label: '反馈认定结果',
      deadline: {
        amount: 3,
        unit: 'workingDays',
        basis: art('第九条(五)', '在党组织作出容错免责认定决定后3个工作日内,将认定结果向申请学校(单位)或个人反馈并予以答复解释'),
      },
      roles: ['officer'],
      recipients: ['applicant'],
      documents: [
        {
          outcomes: ['exempt', 'mitigated', 'lenient', 'denied'],
          document: { kind: 'feedbackLetter', title: '容错免责认定结果反馈函', basis: art('第九条(五)', '将认定结果向申请学校(单位)或个人反馈并予以答复解释'), issuer: COMMITTEE },
        },
      ],
      copyTo: [],
    },
    {
      kind: 'correction',
      stage: 'correction',
      label: '责成整改',
      roles: ['officer'],
      waiverRoles: ['supervisor'],
      basis: {
        ...art('第十一条', '驻局纪检监察组、局组织处及其他具有问责职能的部门应当及时启动问题事项纠错程序'),
        reading: '第五章纠错改正不以认定结果为条件：无论是否予以容错，均及时启动问题事项纠错程序，与备案、归档同时进行；调查未发现须纠正的问题事项的，说明理由登记',
      },
      document: { kind: 'correctionList', title: '责令纠错通知书', basis: art('第十一条(一)', '对出现的问题事项,采取诫勉函询、责令纠错等方式,推动问题整改'), issuer: { role: 'authority', basis: art('第十一条', '驻局纪检监察组、局组织处及其他具有问责职能的部门应当及时启动问题事项纠错程序') } },
      escalateTo: '驻局纪检监察组',
      escalateBasis: art('第十一条(二)', '对整改不力导致不良影响继续蔓延的,根据情节轻重,采取批评教育、诫勉等组织处理措施,直至党纪政务处分;对拒不整改的,按照有关规定从重问责'),
      alongside: true,
    },
    {
      kind: 'filing',
      stage: 'filing',
      label: '报驻局纪检监察组备案',
      basis: art('第九条(六)', '将认定结果报驻局纪检监察组备案'),
      roles: ['officer', 'supervisor'],
      filedWith: '驻局纪检监察组',
    },
    {
      kind: 'archive',
      stage: 'archive',
      label: '整理成卷、归档保存',
      basis: art('第九条(六)', '容错免责有关材料由学校(单位)党组织、局组织处整理成卷、归档保存'),
      roles: ['officer'],
    },
    {
      kind: 'followUp',
      stage: 'followUp',
      label: '容错回访',
      basis: {
        ...art('第十四条', '对予以容错免责的党员干部实行跟踪管理,局党委和直属学校(单位)党组织要定期对当事人进行谈心谈话'),
        reading: '第二条界定“容错免责”为“依纪依法对其从轻、减轻处理或免予问责”，第十四条所称“予以容错免责的党员干部”因此包括从轻、减轻处理者，不限于第十条所称“予以免责”者；不予免责的不回访',
      },
      roles: ['officer', 'supervisor'],
      outcomes: ['exempt', 'mitigated', 'lenient'],
      intervalMonths: 3,
      periodMonths: 12,
      choice: '原文仅规定“定期”；本规则取每3个月提醒一次、为期12个月，部署单位可在新版本中调整',
    },
  ],
};
