/**
 * The parts of a bound case file that are not its documents: the 案卷封面
 * and 卷内文件目录 at the front, the 卷内备考表 at the back, as .docx for
 * LibreOffice to render to PDF/A like the archival copies.
 *
 * GB/T 9705-2008 《文书档案案卷格式》 sets what each holds; where it leaves a
 * choice, the choice is stated here and in README (The case file):
 * - 封面 (4.1): 案卷题名, 立卷单位, 起止日期 (8 digits, 20261120—20261224), 保管期限,
 *   密级 where the archiving step set one, and 档号 (the 卷号 the archiving step recorded,
 *   as typed: 全宗号 and 目录号 belong to the archives office's own scheme).
 * - 卷内文件目录 (4.2): 序号, 文号, 责任者, 题名, 日期 (8 digits), 页号 (each item's first
 *   page, the last item its first and last, as 4.2.7 says), 备注.
 * - 卷内备考表 (4.3): what the file holds and in how many pages, what was withdrawn and
 *   kept out, how items were rendered, 立卷人 and 立卷时间; 检查人 is left to be signed.
 * Pages of the cover, the 目录 and the 备考表 carry no page number (4.4: 卷内文件 are
 * numbered, the three are not).
 */
import { AlignmentType, BorderStyle, Document, Packer, PageBreak, Paragraph, Table, TableCell, TableLayoutType, TableRow, TextRun, VerticalAlign, WidthType } from 'docx';
import { withoutForbiddenCharacters } from '../../domain/case/text';
import { FONTS } from '../documents/fonts';
import type { BoundItem } from '../../store/bound-files';

export interface CoverFacts {
  title: string;
  /** 立卷单位 */
  unit: string;
  /** YYYY-MM-DD */
  from: string;
  to: string;
  retention: string;
  classification?: string | undefined;
  /** 档号 (卷号) as the archiving step recorded it. */
  reference?: string | undefined;
}

export interface RemarksFacts {
  items: number;
  pages: number;
  documents: number;
  materials: number;
  rendered: string[];
  withdrawn: { title: string; at: string; by: string; reason: string }[];
  /** 立卷人 */
  boundBy: string;
  /** 立卷时间, YYYY-MM-DD */
  boundOn: string;
}

const MM = 1440 / 25.4;
const mm = (v: number) => Math.round(v * MM);
const PAGE = { size: { width: mm(210), height: mm(297) }, margin: { top: mm(25), bottom: mm(25), left: mm(25), right: mm(20) } };
const eight = (date: string) => date.replace(/-/g, '');
const clean = (text: string) => withoutForbiddenCharacters(text);

const run = (text: string, options: { size?: number; bold?: boolean; font?: string } = {}) =>
  new TextRun({ text: clean(text), size: options.size ?? 28, bold: options.bold ?? false, font: { eastAsia: options.font ?? FONTS.songti.name, ascii: options.font ?? FONTS.songti.name } });

const para = (text: string, options: { size?: number; bold?: boolean; align?: (typeof AlignmentType)[keyof typeof AlignmentType]; before?: number; after?: number; font?: string } = {}) =>
  new Paragraph({ alignment: options.align ?? AlignmentType.LEFT, spacing: { before: options.before ?? 0, after: options.after ?? 0 }, children: [run(text, options)] });

const border = { style: BorderStyle.SINGLE, size: 6, color: '000000' };
const borders = { top: border, bottom: border, left: border, right: border };

const cell = (text: string, widthMm: number, align: (typeof AlignmentType)[keyof typeof AlignmentType] = AlignmentType.CENTER, bold = false) =>
  new TableCell({
    width: { size: mm(widthMm), type: WidthType.DXA },
    borders,
    verticalAlign: VerticalAlign.CENTER,
    margins: { top: 60, bottom: 60, left: 80, right: 80 },
    children: [new Paragraph({ alignment: align, children: [run(text, { size: 21, bold })] })],
  });

/** 4.2: the columns of the 卷内文件目录 and their widths (165 mm across). */
const COLUMNS: [string, number][] = [
  ['序号', 12],
  ['文号', 28],
  ['责任者', 29],
  ['题名', 49],
  ['日期', 22],
  ['页号', 13],
  ['备注', 12],
];

export function pageNumberOf(item: BoundItem, isLast: boolean): string {
  return isLast && item.lastPage !== item.firstPage ? `${item.firstPage}-${item.lastPage}` : String(item.firstPage);
}

/** The cover and the 卷内文件目录, one .docx (the 目录 begins on a page of its own). */
export async function coverAndContents(cover: CoverFacts, items: BoundItem[]): Promise<Buffer> {
  const field = (label: string, value: string) =>
    new Paragraph({ spacing: { before: 240, after: 240 }, indent: { left: mm(15) }, children: [run(`${label}：`, { size: 32, bold: true, font: FONTS.heiti.name }), run(value, { size: 32, font: FONTS.fangsong.name })] });
  const header = new TableRow({ tableHeader: true, children: COLUMNS.map(([name, width]) => cell(name, width, AlignmentType.CENTER, true)) });
  const rows = items.map(
    (item, i) =>
      new TableRow({
        cantSplit: true,
        children: [
          cell(String(item.sequence), COLUMNS[0]![1]),
          cell(item.reference, COLUMNS[1]![1]),
          cell(item.responsible, COLUMNS[2]![1]),
          cell(item.title, COLUMNS[3]![1], AlignmentType.LEFT),
          cell(eight(item.date), COLUMNS[4]![1]),
          cell(pageNumberOf(item, i === items.length - 1), COLUMNS[5]![1]),
          cell('', COLUMNS[6]![1]),
        ],
      }),
  );
  const doc = new Document({
    creator: 'rongcuo',
    title: cover.title,
    sections: [
      {
        properties: { page: PAGE },
        children: [
          para(`档号：${cover.reference ?? ''}`, { size: 24, align: AlignmentType.RIGHT, after: 240 }),
          ...(cover.classification ? [para(`密级：${cover.classification}`, { size: 24, align: AlignmentType.RIGHT })] : []),
          para('案　卷', { size: 72, bold: true, align: AlignmentType.CENTER, before: 1400, after: 1400, font: FONTS.xiaobiaosong.name }),
          field('案卷题名', cover.title),
          field('立卷单位', cover.unit),
          field('起止日期', `${eight(cover.from)}—${eight(cover.to)}`),
          field('保管期限', cover.retention),
          ...(cover.classification ? [field('密　　级', cover.classification)] : []),
          new Paragraph({ children: [new PageBreak()] }),
          para('卷内文件目录', { size: 36, bold: true, align: AlignmentType.CENTER, after: 360, font: FONTS.xiaobiaosong.name }),
          new Table({ layout: TableLayoutType.FIXED, width: { size: mm(165), type: WidthType.DXA }, columnWidths: COLUMNS.map(([, w]) => mm(w)), rows: [header, ...rows] }),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}

/** The 卷内备考表. */
export async function remarks(facts: RemarksFacts): Promise<Buffer> {
  const lines = [
    `本卷共有文件 ${facts.items} 件（文书 ${facts.documents} 件，材料 ${facts.materials} 件），共 ${facts.pages} 页。`,
    '卷内文件按办理程序排列，页号自第一件首页起连续编写；封面、卷内文件目录和本表不编页号。',
    ...facts.rendered,
    ...(facts.withdrawn.length > 0
      ? [`撤回材料 ${facts.withdrawn.length} 件未装订入卷，原件连同撤回记录保存在案：`, ...facts.withdrawn.map((w, i) => `（${i + 1}）${w.title}：${w.at.slice(0, 10)} 由${w.by}撤回，理由：${w.reason}`)]
      : ['本卷无撤回材料。']),
  ];
  const doc = new Document({
    creator: 'rongcuo',
    sections: [
      {
        properties: { page: PAGE },
        children: [
          para('卷内备考表', { size: 36, bold: true, align: AlignmentType.CENTER, after: 480, font: FONTS.xiaobiaosong.name }),
          para('本卷情况说明：', { size: 28, bold: true, after: 120, font: FONTS.heiti.name }),
          ...lines.map((l) => new Paragraph({ spacing: { after: 120, line: 400 }, indent: { firstLine: mm(10) }, children: [run(l, { size: 28, font: FONTS.fangsong.name })] })),
          para(`立卷人：${facts.boundBy}`, { size: 28, before: 1200, font: FONTS.fangsong.name }),
          para('检查人：', { size: 28, before: 240, font: FONTS.fangsong.name }),
          para(`立卷时间：${facts.boundOn.slice(0, 4)}年${Number(facts.boundOn.slice(5, 7))}月${Number(facts.boundOn.slice(8, 10))}日`, { size: 28, before: 240, font: FONTS.fangsong.name }),
        ],
      },
    ],
  });
  return Buffer.from(await Packer.toBuffer(doc));
}
