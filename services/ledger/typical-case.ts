/**
 * The anonymised summary of a concluded case (典型案例; 滨海 第十八条 publishes conclusions within a
 * scope): no name, the unit reduced to its kind, dates to the month, the facts as the determination
 * and the report record them, and the articles relied on. A draft only: a member of staff reviews and
 * edits it before it is published (api/routes/typical-cases.ts).
 */
import type { CaseState } from '../../domain/case/contract';
import { OUTCOME_NAMES, type Outcome } from '../../domain/rulebooks/schema';
import { itemsOf } from './rows';

/** Kinds of unit, most specific first: a unit is named by the first its name ends with or contains. */
const UNIT_KINDS = ['党工委', '街道办事处', '街道', '社区', '村委会', '乡镇', '镇政府', '镇', '乡', '中学', '小学', '大学', '学校', '幼儿园', '医院', '公司', '集团', '中心', '委员会', '局', '办公室', '厅', '委', '部', '院', '所'];

export function unitKind(unit: string): string {
  const kind = UNIT_KINDS.find((k) => unit.endsWith(k)) ?? UNIT_KINDS.find((k) => unit.includes(k));
  return kind ? `某${kind}` : '某单位';
}

const month = (day: string) => `${day.slice(0, 4)}年${Number(day.slice(5, 7))}月`;

/** Every day (2026-11-20, 2026年11月20日) in a text, to its month; the name and unit, to their stand-ins. */
export function anonymise(text: string, state: Pick<CaseState, 'subject'>): string {
  let out = text.replace(/(\d{4})-(\d{2})-(\d{2})/g, (_m, y, m) => `${y}年${Number(m)}月`).replace(/(\d{4})年(\d{1,2})月\d{1,2}日/g, '$1年$2月');
  const { name, organisation } = state.subject;
  if (organisation) out = out.split(organisation).join(unitKind(organisation));
  if (name) out = out.split(name).join('某干部');
  if (name && name.length >= 2) out = out.split(name.slice(0, 1) + '某').join('某干部');
  return out;
}

export function typicalCaseDraft(state: CaseState): string {
  const d = state.determination!;
  const items = itemsOf(state);
  const outcome = OUTCOME_NAMES[d.outcome as Outcome] ?? d.outcome;
  const lines = [
    `${unitKind(state.subject.organisation)}干部在${anonymise(state.matter, state)}中出现失误。`,
    ...(state.investigationReport?.findings ? [`经核查：${anonymise(state.investigationReport.findings, state)}。`] : []),
    `${month(d.decidedOn)}，经${d.decidedBy === 'partyCommittee' ? '党委（党组）' : '机关领导班子'}集体研究，认定${outcome}。${d.reasons ? `理由：${anonymise(d.reasons, state)}。` : ''}`,
    ...(items.length ? [`依据：${items.map((i) => `${i.article}“${i.text}”`).join('；')}。`] : []),
  ];
  return lines.join('\n').replace(/。。/g, '。');
}
