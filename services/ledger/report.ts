/**
 * The periodic report to the superior body (容错纠错工作情况统计表) of a
 * quarter or a year: the statistics of the period as a 公文 .docx through the
 * document pipeline (services/documents/render-docx.ts, numbered by
 * store/documents.ts recordDocument in the authority's report series), and
 * the same figures as an .xlsx. The figures are kept as the document's body,
 * so the .xlsx of an issued report always shows what the .docx says.
 */
import ExcelJS from 'exceljs';
import type { Authority } from '../../config/authorities';
import { deadlineName } from '../../domain/labels/zh';
import { OUTCOME_NAMES, type Outcome } from '../../domain/rulebooks/schema';
import { renderDocx } from '../documents/render-docx';
import type { Statistics } from './statistics';

export interface ReportPeriod {
  /** 2026-Q4 or 2026. */
  label: string;
  from: string;
  to: string;
  /** 2026年第四季度, 2026年度. */
  name: string;
}

const QUARTER_NAMES = ['一', '二', '三', '四'];

export function reportPeriod(label: string): ReportPeriod {
  const year = Number(label.slice(0, 4));
  const q = /^\d{4}-Q([1-4])$/.exec(label);
  if (q) {
    const n = Number(q[1]);
    const from = `${year}-${String(3 * n - 2).padStart(2, '0')}-01`;
    const endMonth = 3 * n;
    const to = new Date(Date.UTC(year, endMonth, 0)).toISOString().slice(0, 10);
    return { label, from, to, name: `${year}年第${QUARTER_NAMES[n - 1]}季度` };
  }
  return { label, from: `${year}-01-01`, to: `${year}-12-31`, name: `${year}年度` };
}

export const reportPrefix = (authority: Authority) => authority.series.report ?? `${authority.series.decision}统`;

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);

/** A catalogue item as a reader of the report knows it: its article and text; the id only where no rulebook words it. */
const itemName = (i: Statistics['byItem'][number]) => (i.article ? `${i.article}${i.text ? `（${i.text}）` : ''}` : i.item);

/** The table's lines: the same in the .docx and the .xlsx. */
export function reportLines(stats: Statistics): [string, string][] {
  return [
    ['受理申请及启动件数', String(stats.cases)],
    ['其中：本人申请', String(stats.applications)],
    ['其中：依职权启动', String(stats.exOfficio)],
    ['予以受理（同意启动）', String(stats.accepted)],
    ['不予受理', String(stats.refused)],
    ...(Object.keys(stats.outcomes) as Outcome[]).map((o): [string, string] => [`认定${OUTCOME_NAMES[o]}`, String(stats.outcomes[o])]),
    ['申诉（复核）件数', String(stats.appeals)],
    ['申诉后变更结论', String(stats.revisions)],
    ['撤回或终止', String(stats.withdrawals)],
    ['启动至认定天数（中位数 / 90%分位）', `${stats.daysToDecision.median ?? '—'} / ${stats.daysToDecision.p90 ?? '—'}`],
    ['启动至办结天数（中位数 / 90%分位）', `${stats.daysToClosing.median ?? '—'} / ${stats.daysToClosing.p90 ?? '—'}`],
    ...stats.onTime.map((d): [string, string] => [`按期率：${deadlineName(d.key)}`, `${percent(d.rate)}（${d.inTime}/${d.settled}）`]),
  ];
}

export function reportTitle(period: ReportPeriod) {
  return `关于报送${period.name}容错纠错工作情况统计表的报告`;
}

export async function reportDocx(authority: Authority, period: ReportPeriod, stats: Statistics, number: string, today: string): Promise<Buffer> {
  const superior = authority.superior.discipline ?? authority.superior.organisation ?? '上级纪检监察机关';
  return renderDocx({
    banner: authority.banner,
    number,
    title: reportTitle(period),
    addressees: [superior],
    body: [
      { text: `现将本机关${period.name}（${period.from}至${period.to}）容错纠错工作情况统计如下：` },
      { text: '一、容错纠错工作情况统计表', heading: true },
      ...reportLines(stats).map(([k, v]) => ({ text: `${k}：${v}` })),
      { text: '二、按容错情形统计', heading: true },
      ...(stats.byItem.length ? stats.byItem.map((i) => ({ text: `${itemName(i)}：${i.cases}件` })) : [{ text: '本期无认定容错的情形。' }]),
      { text: '特此报告。' },
    ],
    signature: authority.name,
    date: today,
    copyTo: authority.superior.organisation && authority.superior.organisation !== superior ? [authority.superior.organisation] : [],
    printedBy: authority.printedBy,
    printedOn: today,
  });
}

export async function reportXlsx(authority: Authority, period: ReportPeriod, stats: Statistics, number: string): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('统计表');
  sheet.columns = [{ width: 40 }, { width: 20 }];
  sheet.addRow([`${authority.name}${period.name}容错纠错工作情况统计表`]);
  sheet.addRow(['文号', number]);
  sheet.addRow(['统计期间', `${period.from}至${period.to}`]);
  sheet.addRow(['项目', '数值']).font = { bold: true };
  for (const line of reportLines(stats)) sheet.addRow(line);
  const items = book.addWorksheet('按情形');
  items.columns = [{ header: '情形', key: 'item', width: 60 }, { header: '件数', key: 'cases', width: 10 }];
  for (const i of stats.byItem) items.addRow({ item: itemName(i), cases: i.cases });
  const units = book.addWorksheet('按单位');
  units.columns = [{ header: '单位', key: 'unit', width: 30 }, { header: '件数', key: 'cases', width: 10 }];
  for (const u of stats.byUnit) units.addRow(u);
  return Buffer.from(await book.xlsx.writeBuffer());
}
