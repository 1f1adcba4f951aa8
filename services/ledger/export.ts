/**
 * The ledger as a file: .xlsx (exceljs; Chinese headers, dates as dates, one
 * sheet per view: the cases, their deadlines, their items) and CSV (RFC 4180,
 * UTF-8 with a BOM so a spreadsheet reads the Chinese).
 */
import ExcelJS from 'exceljs';
import type { LedgerRow } from './rows';

const STAGE_OR_EMPTY = (v: string | null | undefined) => v ?? '';

/** The columns of the cases sheet and of the CSV, in order, with their Chinese headers. */
export const LEDGER_COLUMNS: { header: string; key: string; value(r: LedgerRow): string | Date | null; date?: boolean }[] = [
  { header: '案件编号', key: 'caseId', value: (r) => r.caseId },
  { header: '适用办法', key: 'jurisdiction', value: (r) => r.jurisdiction },
  { header: '当事人', key: 'subject', value: (r) => r.subject ?? '（回避，不予显示）' },
  { header: '所在单位', key: 'unit', value: (r) => r.unit },
  { header: '事由', key: 'matter', value: (r) => r.matter },
  { header: '启动方式', key: 'route', value: (r) => r.route },
  { header: '当前环节', key: 'stage', value: (r) => r.stage },
  { header: '认定结果', key: 'outcome', value: (r) => STAGE_OR_EMPTY(r.outcomeName) },
  { header: '依据情形', key: 'items', value: (r) => r.items.map((i) => `${i.article} ${i.text}`).join('；') },
  { header: '承办人', key: 'assignee', value: (r) => r.assignee ?? '' },
  { header: '启动日期', key: 'openedOn', value: (r) => r.openedOn || null, date: true },
  { header: '认定日期', key: 'decidedOn', value: (r) => r.decidedOn, date: true },
  { header: '办结日期', key: 'closedOn', value: (r) => r.closedOn, date: true },
  { header: '是否逾期', key: 'overdue', value: (r) => (r.overdue ? '是' : '否') },
];

const asDate = (day: string | null) => (day ? new Date(`${day}T00:00:00Z`) : null);
const onTimeText = (v: boolean | null) => (v === null ? '' : v ? '按期' : '逾期');

export async function ledgerXlsx(rows: LedgerRow[]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'rongcuo';
  const cases = book.addWorksheet('台账');
  cases.columns = LEDGER_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.date ? 12 : 18, ...(c.date ? { style: { numFmt: 'yyyy-mm-dd' } } : {}) }));
  for (const r of rows) cases.addRow(Object.fromEntries(LEDGER_COLUMNS.map((c) => [c.key, c.date ? asDate(c.value(r) as string | null) : c.value(r)])));
  cases.getRow(1).font = { bold: true };
  cases.views = [{ state: 'frozen', ySplit: 1 }];
  const deadlines = book.addWorksheet('期限');
  deadlines.columns = [
    { header: '案件编号', key: 'caseId', width: 24 },
    { header: '期限', key: 'label', width: 24 },
    { header: '依据条款', key: 'article', width: 14 },
    { header: '届满日', key: 'lastDay', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
    { header: '完成日', key: 'metOn', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
    { header: '是否按期', key: 'onTime', width: 10 },
  ];
  for (const r of rows)
    for (const d of r.deadlines) deadlines.addRow({ caseId: r.caseId, label: d.label, article: d.article, lastDay: asDate(d.lastDay), metOn: asDate(d.metOn), onTime: onTimeText(d.onTime) });
  deadlines.getRow(1).font = { bold: true };
  const steps = book.addWorksheet('环节');
  steps.columns = [
    { header: '案件编号', key: 'caseId', width: 24 },
    { header: '环节', key: 'event', width: 24 },
    { header: '日期', key: 'on', width: 12, style: { numFmt: 'yyyy-mm-dd' } },
  ];
  for (const r of rows) for (const s of r.steps) steps.addRow({ caseId: r.caseId, event: s.event, on: asDate(s.on) });
  steps.getRow(1).font = { bold: true };
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** RFC 4180: every field quoted, quotes doubled; a field a spreadsheet would take for a formula is prefixed with '. */
function csvField(value: string | Date | null): string {
  let text = value === null ? '' : value instanceof Date ? value.toISOString().slice(0, 10) : value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replace(/"/g, '""')}"`;
}

export function ledgerCsv(rows: LedgerRow[]): string {
  const lines = [LEDGER_COLUMNS.map((c) => csvField(c.header)).join(','), ...rows.map((r) => LEDGER_COLUMNS.map((c) => csvField(c.value(r))).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
