/**
 * 银川市支持干部干事创业建立容错机制实施办法（试行）, as explained by the city's
 * news release, shared/regulations/yinchuan.txt. The release gives no article
 * numbers, so citations name its sections: 容错情形、不予容错情形、程序(一)–(四)、
 * 暂缓追责、结果运用.
 */
import type { RulebookInput } from './schema';

const art = (article: string, quote: string) => ({ article, quote });

export const yinchuan2017: RulebookInput = {
  id: 'yinchuan',
  name: '银川市支持干部干事创业建立容错机制实施办法（试行）',
  issuingBody: '中共银川市委',
  version: '2017',
  revision: 2,
  inForce: '2017-01-01',
  source: 'yinchuan.txt',
  documentNumberPrefix: '银纪容',
  openingEvent: { label: '启动追责程序日', basis: art('程序(一)申请', '应在启动追责程序后10个工作日内') },
  catalogues: {
    eligible: {
      basis: art('容错情形', '干部出现下列情形之一的,不予追究相关责任或从轻、减轻处理'),
      items: [
        { id: 'yc-1', article: '容错情形(一)', text: '落实决策部署中，因自然灾害等不可抗力因素，未能完成既定目标任务或造成一定损失' },
        { id: 'yc-2', article: '容错情形(二)', text: '改革创新实践中敢于担当、大胆探索，因缺乏经验先行先试出现一般性工作偏差、失误' },
        { id: 'yc-3', article: '容错情形(三)', text: '争取项目资金、招商引资、实施重点项目和民生工程中，因政策调整或上级部署变动未达预期或造成损失' },
        { id: 'yc-4', article: '容错情形(四)', text: '服务企业、服务群众中，因着眼于提高效率进行容缺受理、容缺审查，出现偏差或失误' },
        { id: 'yc-5', article: '容错情形(五)', text: '处置紧急突发事件或完成急难险重任务中，出现失误、偏差或被个别人非议' },
        { id: 'yc-6', article: '容错情形(六)', text: '化解矛盾焦点、解决历史遗留问题中，造成一定损失或引发一般性信访问题' },
        { id: 'yc-7', article: '容错情形(七)', text: '无明确禁止和限制、未谋取私利、按程序集体研究民主决策，但在具体实施中出现偏差或过失' },
        { id: 'yc-8', article: '容错情形(八)', text: '出现偏差、失误后能主动纠错，积极主动挽回损失和影响' },
        { id: 'yc-9', article: '容错情形(九)', text: '其他符合容错免责情形的' },
      ],
    },
    excluded: {
      basis: art('不予容错情形', '有下列情形之一的,不得以容错为由免予责任追究或者从轻、减轻处理'),
      items: [
        { id: 'yc-x1', article: '不予容错情形(一)', text: '引发重特大安全责任事故，以及严重污染环境、生态破坏等责任事故' },
        { id: 'yc-x2', article: '不予容错情形(二)', text: '引发较大群体性事件或造成严重损失和恶劣社会影响' },
        { id: 'yc-x3', article: '不予容错情形(三)', text: '严重侵害群众利益' },
        { id: 'yc-x4', article: '不予容错情形(四)', text: '虽然符合容错条件，但同时有违反政治纪律、组织纪律等其他违纪行为' },
      ],
    },
  },
  effects: {
    exempt: [
      { text: '不予追究相关责任', basis: art('容错情形', '不予追究相关责任或从轻、减轻处理'), stopsAccountability: true },
      { text: '党风廉政建设责任制考核不受影响', basis: art('结果运用(一)', '党风廉政建设责任制考核') },
      { text: '干部提拔任用党风廉政审查不受影响', basis: art('结果运用(二)', '干部提拔任用党风廉政审查') },
      { text: '评优评先、职称评定及年度考核不受影响', basis: art('结果运用(三)', '评优评先、职称评定及年度考核') },
    ],
    mitigated: [{ text: '减轻处理', basis: art('容错情形', '不予追究相关责任或从轻、减轻处理') }],
    lenient: [{ text: '从轻处理', basis: art('容错情形', '不予追究相关责任或从轻、减轻处理') }],
    denied: [{ text: '恢复追责程序', basis: art('暂缓追责', '待受理部门提出认定意见后,按照相关程序办理') }],
  },
  steps: [
    {
      kind: 'clarification',
      stage: 'clarification',
      label: '及时澄清',
      roles: ['supervisor'],
      basis: {
        ...art('支持保障(二)', '对因坚持原则、办事公正而受到造谣、诬陷、诽谤的干部,及时调查,及时澄清'),
        reading: '澄清不改变认定结果，也不以案件进行到哪一步为限：查实反映的问题失实的，由办案的纪检监察机关或组织部门以书面方式向举报影响所及的单位澄清；恶意造谣、诽谤的，移送纪检监察机关依纪依法惩处',
      },
      document: { kind: 'clarification', title: '澄清通知书', basis: art('支持保障(二)', '及时调查,及时澄清'), issuer: { role: 'authority', basis: art('支持保障(二)', '纪检监察机关应当准确把握政策界限') } },
      referMalicious: { to: '纪检监察机关', basis: art('支持保障(二)', '调查过程中发现有恶意造谣、诽谤他人依纪依法严肃惩处') },
      alongside: true,
    },
    {
      kind: 'partyWindow',
      stage: 'application',
      label: '提出书面容错免责申请',
      countsFrom: 'caseEvent',
      deadline: {
        amount: 10,
        unit: 'workingDays',
        basis: {
          ...art('程序(一)申请', '应在启动追责程序后10个工作日内,按照干部管理权限向纪检监察机关或组织部门提出书面容错免责申请'),
          reading: '以书面申请送达纪检监察机关或组织部门之日为准，不以登记之日为准；邮寄在途时间不予扣除（原文未规定）',
        },
      },
      filers: ['subject', 'subjectOrganisation'],
      onLapse: { outcome: 'noApplication', explanation: '启动追责程序后10个工作日内未提出书面申请，追责程序继续' },
    },
    {
      kind: 'acceptance',
      stage: 'acceptance',
      label: '受理申请',
      roles: ['officer', 'supervisor'],
      basis: art('暂缓追责', '纪检监察机关或组织部门受理单位或个人书面容错免责申请后'),
      appliesTo: ['application'],
      suspendsAccountability: {
        basis: art('暂缓追责', '属于纪检监察机关或组织部门进行追责的,应暂缓追责,属于其他部门追责的,应通知该部门暂缓追责'),
        otherLeads: art('暂缓追责', '对涉及有其他问题线索的应继续调查'),
      },
      onRejection: { outcome: 'notAccepted', explanation: '申请不予受理，追责程序继续' },
    },
    {
      kind: 'investigation',
      stage: 'investigation',
      label: '核实',
      basis: art('程序(二)核实', '纪检监察机关或组织部门依申请事项开展调查'),
      roles: ['officer', 'supervisor'],
      deadline: {
        amount: 15,
        unit: 'workingDays',
        basis: {
          ...art('程序(二)核实', '在15个工作日内出具书面调查报告'),
          reading: '原文未写起算点；调查依所受理的申请事项开展（暂缓追责一节以“受理……申请后”为程序起点），故自受理之日起算',
        },
      },
      extensions: {
        basis: art('程序(二)核实', '情况复杂,一时难以定论的,可以适当延长调查核实时间'),
        cap: {
          amount: 30,
          unit: 'workingDays',
          basis: {
            ...art('程序(二)核实', '可以适当延长调查核实时间,但不得超过30个工作日'),
            reading: '“不得超过”的主语是调查核实时间，故30个工作日是自受理之日起的总长（含原有的15个工作日），而非延长的部分',
          },
        },
        requiresApprover: false,
      },
      participants: { kinds: ['expert', 'department'], basis: art('程序(二)核实', '对于重大、复杂事项,必要时可以邀请有关部门或组织专家讨论评估') },
    },
    {
      kind: 'deliberation',
      stage: 'determination',
      label: '认定',
      basis: art('程序(三)认定', '纪检监察机关或组织部门根据调查结果提出予以从轻、减轻、免责或不予免责的认定意见'),
      roles: ['supervisor'],
      outcomes: ['lenient', 'mitigated', 'exempt', 'denied'],
      deciders: [{ id: 'authorityLeadership', name: '纪检监察机关或组织部门' }],
      toleranceRequires: {
        outcomes: ['exempt', 'mitigated', 'lenient'],
        allConditions: false,
        eligibleCircumstance: true,
        noExclusion: true,
        basis: art('容错情形、不予容错情形', '干部出现下列情形之一的……有下列情形之一的,不得以容错为由免予责任追究或者从轻、减轻处理'),
      },
    },
    {
      kind: 'notice',
      stage: 'determinationNotice',
      label: '下发书面认定书',
      deadline: {
        amount: 10,
        unit: 'workingDays',
        basis: {
          ...art('程序(三)认定', '在10个工作日内向问责实施机关和申请单位或个人下发书面认定书'),
          reading:
            '原文未写起算点；“在10个工作日内”同时约束提出认定意见与下发认定书，故自调查报告（调查结果）之日起算并自此计时，使认定阶段整体受时限约束（他处原文指“作出决定后”者皆明言）',
        },
      },
      countsFrom: 'investigationReport',
      roles: ['officer'],
      recipients: ['accountabilityBody', 'applicant'],
      documents: [
        {
          outcomes: ['lenient', 'mitigated', 'exempt', 'denied'],
          document: { kind: 'determinationNotice', title: '容错免责认定书', basis: art('程序(三)认定', '向问责实施机关和申请单位或个人下发书面认定书'), issuer: { role: 'authority', basis: art('程序(三)认定', '纪检监察机关或组织部门根据调查结果提出予以从轻、减轻、免责或不予免责的认定意见') } },
        },
      ],
      copyTo: [],
    },
    {
      kind: 'archive',
      stage: 'archive',
      label: '建档',
      basis: art('程序(四)建档', '问责实施机关应将调查核实的有关资料装订成册,归档管理'),
      roles: ['officer'],
    },
  ],
};
