/**
 * 滨海新区激励干部新时代新担当新作为容错免责实施办法（试行）, 2021-10,
 * shared/regulations/binhai-2021.txt. Articles are quoted from that text.
 */
import type { RulebookInput } from './schema';

const art = (article: string, quote: string) => ({ article, quote });

/** The 问责部门 issues the review's documents (第十一条), not the district committee that issued the regulation. */
const AUTHORITY = { role: 'authority' as const, basis: art('第十一条', '纪检监察组织、组织人事部门以及其他具有问责职能的部门(以下简称“问责部门”),具体负责受理容错免责申请、开展调查核实等工作') };

export const binhai2021: RulebookInput = {
  id: 'binhai',
  name: '滨海新区容错免责实施办法（试行）',
  issuingBody: '中共天津市滨海新区委员会',
  version: '2021-10',
  revision: 4,
  inForce: '2021-10-11',
  source: 'binhai-2021.txt',
  documentNumberPrefix: '滨纪免',
  openingEvent: { label: '问责部门告知日', basis: art('第十二条(二)', '被调查对象或者其所在党组织可在问责部门告知后七个工作日内向问责部门提交《容错免责申请》') },
  applicationContents: {
    basis: {
      ...art('第十二条(二)', '申请应包括被调查对象基本情况、有关事实、申请容错免责依据、免责建议等'),
      reading: '“应包括”列明完整申请的内容，并非受理的前提：缺少某一部分的申请照常登记（期限以送达为准），标明缺项，由问责部门要求补正，不因此不予受理',
    },
    parts: [
      { id: 'subjectBasics', label: '被调查对象基本情况', required: false },
      { id: 'facts', label: '有关事实', required: false },
      { id: 'grounds', label: '申请容错免责依据', required: false },
      { id: 'proposal', label: '免责建议', required: false },
    ],
  },
  materialKinds: [
    { id: 'appeal', label: '书面申诉', basis: art('第十七条', '可向作出结论的问责部门提出书面申诉'), filedByParty: true },
    { id: 'interviewRecord', label: '调查笔录或者谈话记录', basis: art('第十三条(二)', '形成调查笔录或者谈话记录') },
  ],
  /**
   * Every written document the text names may be recorded before its scan is attached: the text requires
   * the document, not its scan in this system, and refusing the step would cost a party its window or
   * hold the procedure for a scanner. The case shows it missing until it is attached (attachPapers).
   */
  papers: [
    {
      id: 'writtenApplication',
      step: 'fileApplication',
      label: '书面《容错免责申请》',
      kinds: ['application'],
      basis: {
        ...art('第十二条(二)', '被调查对象或者其所在党组织可在问责部门告知后七个工作日内向问责部门提交《容错免责申请》'),
        reading: '申请以书面形式提交，期限以送达为准：登记时未附扫描件的照常登记，案卷标明缺件，补附扫描件后消除',
      },
      mayProceedWithout: true,
    },
    {
      id: 'interviewRecords',
      step: 'recordStatement',
      label: '调查笔录或者谈话记录',
      kinds: ['interviewRecord'],
      basis: { ...art('第十三条(二)', '形成调查笔录或者谈话记录'), reading: '听取意见须形成笔录或谈话记录；登记时未附的，案卷标明缺件' },
      mayProceedWithout: true,
    },
    {
      id: 'writtenReport',
      step: 'submitInvestigationReport',
      label: '书面调查报告',
      kinds: ['investigationReport'],
      basis: { ...art('第十三条(三)', '形成书面报告,提出初步建议'), reading: '报告为书面报告；登记时未附扫描件的，案卷标明缺件，不阻碍认定程序' },
      mayProceedWithout: true,
    },
    {
      id: 'deliberationMinutes',
      step: 'recordDetermination',
      label: '集体研究的会议纪要',
      kinds: ['minutes'],
      basis: { ...art('第十四条(一)', '由调查组报问责部门领导班子集体研究'), reading: '集体研究应有会议纪要为凭；原文未要求随认定提交，登记时未附的，案卷标明缺件' },
      mayProceedWithout: true,
    },
    {
      id: 'proofOfService',
      step: 'serveNotice',
      label: '送达回证',
      kinds: ['proofOfService'],
      basis: { ...art('第十五条', '书面告知被调查对象及所在单位党组织'), reading: '书面告知以送达为凭：登记送达时未附送达回证的，案卷标明缺件；经收件箱确认送达的，以确认记录为凭，不再要求回证' },
      mayProceedWithout: true,
    },
    {
      id: 'writtenAppeal',
      step: 'fileAppeal',
      label: '书面申诉',
      kinds: ['appeal'],
      basis: { ...art('第十七条', '可向作出结论的问责部门提出书面申诉'), reading: '申诉以书面送达为准；登记时未附扫描件的照常登记，案卷标明缺件' },
      mayProceedWithout: true,
    },
  ],
  caseAttributes: [
    {
      id: 'specialZone',
      label: '被调查对象所在单位属自贸试验区或开发区',
      basis: {
        ...art('第三章', '对自贸试验区和各开发区的容错免责,除上述情形之外,采取相对宽泛的标准'),
        reading: '第三章（第九条）只适用于自贸试验区和各开发区：以被调查对象所在单位属自贸试验区或开发区为准，由立案时登记',
      },
    },
  ],
  recusal: art('第二十四条(二)', '工作人员与被调查对象有亲属关系、利害关系等可能影响调查处理公正性的应当回避'),
  catalogues: {
    eligible: {
      basis: art('第六条', '对下列情形可以申请免责'),
      items: [
        { id: 'binhai-6-1', article: '第六条(一)', text: '世界一流产业创新中心攻坚行动中，因政策界限不明确、不可预见因素或者缺乏经验，出现探索性失误' },
        { id: 'binhai-6-2', article: '第六条(二)', text: '服务京津冀协同发展示范区攻坚行动中，由于外在因素或体制机制限制，出现失误、未能达到预期效果' },
        { id: 'binhai-6-3', article: '第六条(三)', text: '改革开放“尖刀团”攻坚行动中勇于先行先试，由于缺乏改革样板，出现探索性失误或者未达到预期效果' },
        { id: 'binhai-6-4', article: '第六条(四)', text: '深化“放管服”“一制三化”改革采取便利化措施，加强事后监管防止造成重大损失或不良影响' },
        { id: 'binhai-6-5', article: '第六条(五)', text: '创新驱动发展先导区攻坚行动中，因对前沿科技趋势判断不准及市场变化、外地竞争等因素，未能达到预期效果' },
        { id: 'binhai-6-6', article: '第六条(六)', text: '招商引资、产业项目建设、扶持民营经济等工作中先期投入或给予政策优惠，因市场风险或不可预见因素未达到预期效果' },
        { id: 'binhai-6-7', article: '第六条(七)', text: '建设宜居宜业现代化海滨城市、污染防治攻坚中大胆履职、果断措施，出现失误但未造成重大损失或不良影响' },
        { id: 'binhai-6-8', article: '第六条(八)', text: '全面提升民生服务水平攻坚行动中敢于决策、攻坚克难，出现失误但未造成重大损失或不良影响' },
        { id: 'binhai-6-9', article: '第六条(九)', text: '防范和化解金融等各类风险中，因客观因素、工作方法等问题出现失误但未造成重大损失或不良影响' },
        { id: 'binhai-6-10', article: '第六条(十)', text: '处置突发事件或执行急难险重任务中临机决断、主动揽责，出现失误但未造成重大损失或不良影响' },
        { id: 'binhai-6-11', article: '第六条(十一)', text: '解决历史遗留问题中果断采取措施、化解矛盾焦点，出现失误但未造成重大损失或不良影响' },
        { id: 'binhai-6-12', article: '第六条(十二)', text: '打造人才特区攻坚行动中积极探索创新，出现失误但未造成重大损失或不良影响' },
        { id: 'binhai-6-13', article: '第六条(十三)', text: '政策规定未明确时作出决策，与后出台的法律法规不一致，或部门政策规定不一致，但未造成重大损失或不良影响' },
        { id: 'binhai-6-14', article: '第六条(十四)', text: '借鉴深圳、上海浦东等先进地区做法突破现有规范，出现失误但未造成重大损失或不良影响' },
        { id: 'binhai-6-15', article: '第六条(十五)', text: '其他符合容错免责情形的' },
        { id: 'binhai-9-1', requiresAttribute: 'specialZone', article: '第九条(一)', text: '自贸试验区和各开发区：扶持智能科技等产业，制定优先发展政策、采取特殊支持手段，现有规定没有明文禁止或限制性要求与形势发展脱节' },
        { id: 'binhai-9-2', requiresAttribute: 'specialZone', article: '第九条(二)', text: '自贸试验区和各开发区：采取首创性、重构性、颠覆性制度创新，对现行体制机制有较大突破，但存在一定风险' },
        { id: 'binhai-9-3', requiresAttribute: 'specialZone', article: '第九条(三)', text: '自贸试验区和各开发区：推进市场化管理改革，因缺乏经验、先行先试或顾全大局损害小部分群体利益造成失误、引发信访' },
        { id: 'binhai-9-4', requiresAttribute: 'specialZone', article: '第九条(四)', text: '自贸试验区和各开发区：为项目落地和人才引进给予支持、激励，但由于不可预见因素造成损失' },
        { id: 'binhai-9-5', requiresAttribute: 'specialZone', article: '第九条(五)', text: '自贸试验区和各开发区：其他立足特殊情况需要申请免责的情形' },
      ],
    },
    mitigating: {
      basis: art('第七条', '对下列情形可以申请减责'),
      items: [
        { id: 'binhai-7-1', article: '第七条(一)', text: '及时采取补救措施，有效挽回损失或者消除不良影响' },
        { id: 'binhai-7-2', article: '第七条(二)', text: '造成一定经济损失和社会影响，但同时又有较为突出立功表现' },
        { id: 'binhai-7-3', article: '第七条(三)', text: '失误、错误发生后诚心悔改，主动说清情况，积极配合问责调查，主动承担责任' },
        { id: 'binhai-7-4', article: '第七条(四)', text: '党内法规规定的其他从轻、减轻情形' },
      ],
    },
    excluded: {
      basis: art('第八条', '对下列情形不予免责'),
      items: [
        { id: 'binhai-8-1', article: '第八条(一)', text: '承接下放审批权限中玩忽职守、工作不力，或支持自贸试验区、开发区发展中推诿扯皮、贻误战机' },
        { id: 'binhai-8-2', article: '第八条(二)', text: '因失职失责造成重大及以上安全生产、食品药品安全、环境污染责任事故或重大及以上群体性事件' },
        { id: 'binhai-8-3', article: '第八条(三)', text: '应履行而未履行、不当履行、违法履行职责，造成重大损失、严重后果和恶劣影响' },
        { id: 'binhai-8-4', article: '第八条(四)', text: '打着改革创新旗号搞“政绩工程”“形象工程”，损害群众利益和党和政府形象' },
        { id: 'binhai-8-5', article: '第八条(五)', text: '不经论证盲目决策、不经法定程序违规决策而造成重大损失、损害群众利益' },
        { id: 'binhai-8-6', article: '第八条(六)', text: '在同一问题上重复出现失误错误，未采取积极改进措施' },
        { id: 'binhai-8-7', article: '第八条(七)', text: '明知违纪违法依然我行我素，故意违反明确限制，或假公济私谋取不正当利益' },
        { id: 'binhai-8-8', article: '第八条(八)', text: '其他不予免责的情形' },
      ],
    },
  },
  effects: {
    exempt: [
      { text: '不作负面评价，免除相关责任', basis: art('第三条', '不作负面评价,免除相关责任或依纪依规从轻、减轻处理') },
      { text: '问责部门依规停止执行处理程序，免于追责', basis: art('第十六条', '对予以免责的,问责部门依规停止执行处理程序,免于追责'), stopsAccountability: true },
      { text: '《免责决定书》抄送同级纪检监察组织和组织人事部门', basis: art('第十六条', '并将《免责决定书》抄送同级纪检监察组织和组织人事部门') },
    ],
    mitigated: [{ text: '在处理决定中予以体现', basis: art('第十五条', '对从轻、减轻处理的,应在处理决定中予以体现') }],
    lenient: [{ text: '在处理决定中予以体现', basis: art('第十五条', '对从轻、减轻处理的,应在处理决定中予以体现') }],
    denied: [
      {
        text: '问责程序继续进行',
        basis: {
          ...art('第十二条(一)', '问责部门在启动问责程序或者责任调查过程中,应当主动考虑是否符合容错免责条件'),
          reading: '原文无“不予免责的，问责程序继续”的明文；容错免责是问责程序中的考虑，不予免责的，问责部门依原问责程序继续处理',
        },
      },
    ],
  },
  steps: [
    {
      kind: 'clarification',
      stage: 'clarification',
      label: '澄清正名',
      roles: ['supervisor'],
      basis: {
        ...art('第二十二条(三)', '严肃查处诬告陷害、恶意举报等行为,及时为受到失实举报或恶意举报的干部澄清正名、消除影响、挽回声誉'),
        reading: '澄清不改变认定结果，也不以案件进行到哪一步为限：查实反映的问题失实的，由办案的问责部门以书面方式向举报影响所及的单位澄清；恶意举报的，移送纪检监察组织查处',
      },
      document: { kind: 'clarification', title: '澄清正名通知书', basis: art('第二十二条(三)', '及时为受到失实举报或恶意举报的干部澄清正名、消除影响、挽回声誉'), issuer: AUTHORITY },
      referMalicious: { to: '纪检监察组织', basis: art('第二十二条(三)', '严肃查处诬告陷害、恶意举报等行为') },
      alongside: true,
    },
    {
      kind: 'partyWindow',
      stage: 'application',
      label: '提交《容错免责申请》',
      countsFrom: 'caseEvent',
      deadline: {
        amount: 7,
        unit: 'workingDays',
        basis: {
          ...art('第十二条(二)', '被调查对象或者其所在党组织可在问责部门告知后七个工作日内向问责部门提交《容错免责申请》'),
          reading: '以书面申请送达问责部门之日为准，不以登记之日为准；邮寄在途时间不予扣除（原文未规定）',
        },
      },
      filers: ['subject', 'subjectOrganisation'],
      onLapse: { outcome: 'noApplication', explanation: '告知后七个工作日内未提交《容错免责申请》，容错免责程序终结，问责程序继续' },
      exOfficio: {
        basis: {
          ...art('第十二条(一)', '问责部门在启动问责程序或者责任调查过程中,应当主动考虑是否符合容错免责条件,对符合条件的应当予以免责或者减责'),
          reading: '申请是当事人的权利（“可……提交”），未申请不免除问责部门主动考虑的义务：当事人的七个工作日申请期照常保留，期满未申请的，依职权立案的案件继续调查，其余由问责部门决定是否依职权继续',
        },
        roles: ['supervisor'],
        declinedOutcome: 'notTolerated',
      },
    },
    {
      kind: 'investigation',
      stage: 'investigation',
      label: '调查核实',
      basis: art('第十三条(三)', '形成书面报告,提出初步建议'),
      roles: ['officer', 'supervisor'],
      group: { minMembers: 2, basis: art('第十三条(一)', '问责部门受理申请后,成立由2人以上组成的调查组开展调查') },
      hearSubject: {
        basis: {
          ...art('第十三条(二)', '全面听取相关党组织、单位、领导、同事、服务对象和干部本人的意见,形成调查笔录或者谈话记录'),
          reading: '听取干部本人意见是调查的必经环节，形成调查笔录或谈话记录后方可形成书面报告；本人拒绝陈述的，记录其拒绝即视为已听取',
        },
        from: 'subject',
      },
    },
    {
      kind: 'deliberation',
      stage: 'deliberation',
      label: '集体研究认定',
      basis: art('第十四条(一)', '由调查组报问责部门领导班子集体研究'),
      roles: ['supervisor'],
      outcomes: ['exempt', 'mitigated', 'lenient', 'denied'],
      deciders: [
        { id: 'authorityLeadership', name: '问责部门领导班子' },
        { id: 'partyCommittee', name: '同级党委(党组)领导班子' },
      ],
      referral: art('第十四条(一)', '需要同级党委(党组)审定的事项,问责部门提交同级党委(党组)领导班子审议决定'),
      toleranceRequires: [
        {
          outcomes: ['exempt'],
          allConditions: false,
          eligibleCircumstance: true,
          noExclusion: true,
          basis: art('第六条、第八条', '对下列情形可以申请免责……对下列情形不予免责'),
        },
        {
          outcomes: ['mitigated', 'lenient'],
          allConditions: false,
          eligibleCircumstance: true,
          noExclusion: false,
          basis: {
            ...art('第七条', '对下列情形可以申请减责'),
            reading: '减责、从轻须援引第七条所列情形，或举重以明轻援引第六条、第九条的免责情形；第八条只排除免责（“不予免责”），不排除减责',
          },
        },
      ],
    },
    {
      kind: 'filing',
      stage: 'filing',
      label: '向上级备案',
      basis: {
        ...art('第十四条(二)', '党委(党组)领导班子、问责部门领导班子应当集体研究提出容错免责意见,经向上级纪检监察组织或者组织人事部门备案后执行'),
        reading: '申诉处理决定变更原结论的，变更后的结论仍是问责部门提出的容错免责意见，同样须向上级备案后执行：重新制发结论文书、停止或恢复处理程序均在备案之后',
      },
      roles: ['officer', 'supervisor'],
      filedWith: '上级纪检监察组织或者组织人事部门',
    },
    {
      kind: 'notice',
      stage: 'notice',
      label: '书面告知容错免责结论',
      deadline: {
        amount: 5,
        unit: 'workingDays',
        basis: {
          ...art('第十五条', '容错免责结论应在作出决定后五个工作日内,书面告知被调查对象及所在单位党组织'),
          reading: '告知属于执行，仍在备案（第十四条(二)“经……备案后执行”）之后进行；但五个工作日自作出决定之日起算并自此计时，备案迟延的，告知即逾期',
        },
      },
      roles: ['officer'],
      recipients: ['subject', 'subjectOrganisation'],
      documents: [
        {
          outcomes: ['exempt', 'mitigated', 'lenient', 'denied'],
          document: { kind: 'conclusionNotice', title: '容错免责结论告知书', basis: art('第十五条', '书面告知被调查对象及所在单位党组织'), issuer: AUTHORITY },
        },
        {
          outcomes: ['exempt'],
          document: {
            kind: 'exemptionDecision',
            title: '免责决定书',
            basis: art('第十五条', '对予以免责的,应向提出申请的党组织和个人印发《免责决定书》'),
            issuer: {
              role: 'authority',
              basis: {
                ...art('第十五条、第十六条', '对予以免责的,应向提出申请的党组织和个人印发《免责决定书》……批准机关……问责部门依规停止执行处理程序,免于追责,并将《免责决定书》抄送同级纪检监察组织和组织人事部门'),
                reading: '第十六条由问责部门抄送《免责决定书》，第十五条把“批准机关”列为其内容，故由问责部门印发并写明批准机关：在问责部门权限内的为问责部门领导班子，经同级党委(党组)审定的为其领导班子',
              },
            },
            namesApprovingBody: true,
          },
        },
      ],
      copyTo: [
        {
          outcomes: ['exempt'],
          to: ['同级纪检监察组织', '组织人事部门'],
          basis: art('第十六条', '将《免责决定书》抄送同级纪检监察组织和组织人事部门'),
        },
      ],
    },
    {
      kind: 'correction',
      stage: 'correction',
      label: '约谈纠错、限期整改',
      roles: ['officer'],
      waiverRoles: ['supervisor'],
      basis: {
        ...art('第二十三条(四)', '在容错免责的同时必须及时纠错,对改革创新、履职担当过程中出现的失误,同级党委(党组)应及时采取约谈等方式,指出问题所在,督促深入分析原因、举一反三、限期整改;对整改不力或者拒不整改的,按照有关规定给予问责'),
        reading:
          '纠错针对已出现的失误，不论认定结果（免责、减责或不予免责）都须进行，与申诉、公开同时进行；约谈、限期整改由同级党委(党组)作出，本系统由办案人员登记整改事项、责任单位和期限；逾期未整改的报问责部门按有关规定问责；调查未发现须纠正的失误的，说明理由登记',
      },
      document: { kind: 'correctionList', title: '限期整改通知书', basis: art('第二十三条(四)', '督促深入分析原因、举一反三、限期整改'), issuer: { role: 'partyCommittee', basis: art('第二十三条(四)', '同级党委(党组)应及时采取约谈等方式,指出问题所在,督促深入分析原因、举一反三、限期整改') } },
      escalateTo: '问责部门',
      alongside: true,
    },
    {
      kind: 'appeal',
      stage: 'appeal',
      label: '申诉',
      window: {
        amount: 15,
        unit: 'days',
        basis: {
          ...art('第十七条', '被问责对象对处理结论有不同意见的,自接到告知之日起15日内,可向作出结论的问责部门提出书面申诉'),
          reading: '申诉人为被问责对象本人，期限自其本人接到告知之日起算，所在单位党组织较晚送达的不延长本人的期限；以书面申诉送达问责部门之日为准，不以登记之日为准',
        },
      },
      filers: ['subject'],
      decision: {
        amount: 30,
        unit: 'days',
        basis: {
          ...art('第十七条', '问责部门接到申诉后,应当在30日内作出申诉处理决定'),
          reading: '申诉处理决定变更原结论的，以变更后的结论为准：重新制发结论文书、告知当事人并依其停止或恢复处理程序；原结论及文书保留在案',
        },
      },
      roles: ['officer'],
      decisionRoles: ['supervisor'],
      suspendsExecution: false,
      document: { kind: 'appealDecision', title: '申诉处理决定书', basis: art('第十七条', '以书面形式告知申诉人及其所在单位'), issuer: { role: 'authority', basis: art('第十七条', '问责部门接到申诉后,应当在30日内作出申诉处理决定,以书面形式告知申诉人及其所在单位') } },
    },
    {
      kind: 'publication',
      stage: 'publication',
      label: '结论公开',
      basis: art('第十八条', '除法律法规规定不宜公开的事项外……一般应当以会议、通报等方式将有关结论在一定范围内公开'),
      roles: ['officer', 'supervisor'],
    },
    {
      kind: 'archive',
      stage: 'archive',
      label: '立卷归档',
      // The Binhai text has no article on archiving; the file is the evidence 第十三条(二) requires be kept.
      basis: art('第十三条(二)（原文无归档专条）', '全面梳理汇总与判定容错免责有关的证据材料,写明调取过程和来源,加盖公章并由有关人员签字'),
      roles: ['officer'],
    },
  ],
};
