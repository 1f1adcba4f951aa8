/**
 * What a queue counts as someone's work, from a case's state alone
 * (domain/case/people.ts), and the order 我的待办 lists it in
 * (api/routes/work.ts): overdue first, then the nearest last day, steps with
 * no last day after those with one.
 */
import type { CaseState, DeadlineRecord } from '../../domain/case/contract';
import { openFilings, waitingSteps } from '../../domain/case/people';
import { byUrgency, type WorkItem } from '../../api/routes/work';

const basis = (article: string) => ({ article, quote: '…' });
const deadline = (d: Partial<DeadlineRecord> & Pick<DeadlineRecord, 'key' | 'binds' | 'deadline' | 'status'>): DeadlineRecord => ({
  label: d.key,
  basis: basis(`第${d.key}条`),
  from: '2026-01-05',
  amount: 5,
  unit: 'workingDays',
  endsAt: `${d.deadline}T16:00:00.000Z`,
  provisional: false,
  provisionalYears: [],
  skipped: [],
  ...d,
});

const state = (over: Partial<CaseState>): Pick<CaseState, 'closed' | 'availableActions' | 'deadlines'> => ({ closed: false, availableActions: [], deadlines: [], ...over });

describe('the steps a case waits for', () => {
  it('are those on offer, less those always on offer and a party’s own window', () => {
    const s = state({
      deadlines: [
        deadline({ key: 'application', binds: 'party', deadline: '2026-01-14', status: 'pending' }),
        deadline({ key: 'notice', binds: 'authority', deadline: '2026-01-12', status: 'pending' }),
      ],
      availableActions: [
        { name: 'fileApplication', label: '申请', roles: ['officer'], deadline: '2026-01-14', deadlineKey: 'application', filers: ['subject'] },
        { name: 'serveNotice', label: '书面告知', roles: ['officer'], deadline: '2026-01-12', deadlineKey: 'notice' },
        { name: 'recordDetermination', label: '集体研究认定', roles: ['supervisor'] },
        { name: 'recordRecusal', label: '登记回避', roles: ['officer', 'supervisor'] },
        { name: 'assignCase', label: '指定承办人', roles: ['supervisor'] },
        { name: 'withdrawCase', label: '终结', roles: ['supervisor'] },
      ],
    });
    expect(waitingSteps(s)).toEqual([
      { action: 'serveNotice', label: '书面告知', roles: ['officer'], deadline: '2026-01-12', deadlineLabel: 'notice', article: '第notice条', binds: 'authority', provisional: false },
      { action: 'recordDetermination', label: '集体研究认定', roles: ['supervisor'] },
    ]);
    // The party's window is the party's own work.
    expect(openFilings(s, 'subject').map((f) => [f.action, f.deadline, f.binds])).toEqual([['fileApplication', '2026-01-14', 'party']]);
    expect(openFilings(s, 'subjectOrganisation')).toEqual([]);
    expect(waitingSteps({ ...s, closed: true })).toEqual([]);
  });

  it('marks an authority’s deadline that lapsed with its step still waiting as overdue', () => {
    const s = state({
      deadlines: [deadline({ key: 'appealDecision', binds: 'authority', deadline: '2026-01-02', status: 'lapsed' })],
      availableActions: [{ name: 'decideAppeal', label: '作出申诉处理决定', roles: ['supervisor'], deadline: '2026-01-02', deadlineKey: 'appealDecision' }],
    });
    expect(waitingSteps(s)).toEqual([expect.objectContaining({ action: 'decideAppeal', overdue: true, article: '第appealDecision条' })]);
  });
});

describe('the order of 我的待办', () => {
  const item = (caseId: string, over: Partial<WorkItem>): WorkItem => ({ caseId, jurisdiction: 'binhai', stage: 's', action: 'serveNotice', label: 'x', roles: ['officer'], why: 'assigned', daysLeft: null, overdue: false, ...over });
  it('is overdue first, then the nearest last day, then steps with none', () => {
    const items = [
      item('c-none', {}),
      item('c-late', { deadline: '2026-03-10', daysLeft: 9 }),
      item('c-overdue-2', { deadline: '2026-02-20', daysLeft: -9, overdue: true }),
      item('c-soon', { deadline: '2026-03-02', daysLeft: 1 }),
      item('c-overdue-1', { deadline: '2026-02-10', daysLeft: -19, overdue: true }),
    ];
    expect(items.sort(byUrgency).map((i) => i.caseId)).toEqual(['c-overdue-1', 'c-overdue-2', 'c-soon', 'c-late', 'c-none']);
  });
});
