/**
 * 天津市滨海新区 容错免责 rule (2021), shared/regulations/binhai-2021.txt.
 */
import type { Rulebook } from './schema';

export const binhai2021: Rulebook = {
  id: 'binhai',
  name: '滨海新区容错免责办法',
  issuingBody: '中共天津市滨海新区委员会',
  version: '2021-10',
  inForce: '2021-10-01',
  source: 'binhai-2021.txt',
  documentNumberPrefix: '滨纪免',
  steps: [
    {
      kind: 'partyWindow',
      stage: 'application',
      label: '提交《容错免责申请》',
      countsFrom: 'caseEvent',
      deadline: {
        amount: 7,
        unit: 'workingDays',
        basis: {
          article: '第十二条(二)',
          quote: '被调查对象或者其所在党组织可在问责部门告知后七个工作日内向问责部门提交《容错免责申请》',
        },
      },
      filers: ['subject', 'subjectOrganisation'],
      onLapse: {
        outcome: 'noApplication',
        explanation: '告知后七个工作日内未提交《容错免责申请》，容错免责程序终结，问责程序继续',
      },
    },
  ],
};
