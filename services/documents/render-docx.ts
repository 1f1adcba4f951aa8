/**
 * Decision documents as .docx in the layout of GB/T 9704-2012 (党政机关公文格式):
 * A4 with the standard margins, the issuing body's red header (发文机关标志) over
 * a red rule, the document number (发文字号), the title in 2号小标宋, the main
 * recipient (主送机关), the body in 3号仿宋 with two-character indents, the
 * issuing body and date (署名、成文日期) to the right, and the copy-to line (抄送).
 */
import { AlignmentType, BorderStyle, Document, Packer, Paragraph, TextRun } from 'docx';

export interface OfficialDocument {
  issuingBody: string;
  number: string;
  title: string;
  mainRecipient: string;
  paragraphs: string[];
  /** 成文日期, YYYY-MM-DD; written in Chinese numerals as the standard requires. */
  date: string;
  copyTo: string[];
}

const MM = 56.7; // twentieths of a point per millimetre
const RED = 'C00000';
const FANGSONG = '仿宋_GB2312';
const XIAOBIAOSONG = '方正小标宋简体';
const SIZE_2 = 44; // 2号 = 22pt, in half-points
const SIZE_3 = 32; // 3号 = 16pt
const SIZE_4 = 28; // 4号 = 14pt
const LINE = 560; // fixed 28pt lines: 22 lines a page

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
/** 2026-03-05 → 2026年3月5日 in Chinese numerals (二〇二六年三月五日), per GB/T 9704 7.3.5.3. */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const small = (n: number) => (n < 10 ? DIGITS[n]! : n < 20 ? `十${n % 10 ? DIGITS[n % 10] : ''}` : `${DIGITS[Math.floor(n / 10)]}十${n % 10 ? DIGITS[n % 10] : ''}`);
  return `${String(y).split('').map((c) => DIGITS[Number(c)]).join('')}年${small(m)}月${small(d)}日`;
}

const text = (value: string, size = SIZE_3, font = FANGSONG, extra: { bold?: boolean; color?: string } = {}) =>
  new TextRun({ text: value, size, font: { eastAsia: font, ascii: font, hAnsi: font }, ...extra });

export async function renderDocx(doc: OfficialDocument): Promise<Buffer> {
  const body = doc.paragraphs.map(
    (p) => new Paragraph({ children: [text(p)], indent: { firstLine: 2 * 320 }, spacing: { line: LINE, lineRule: 'exact' }, alignment: AlignmentType.JUSTIFIED }),
  );
  const document = new Document({
    creator: doc.issuingBody,
    title: doc.title,
    styles: { default: { document: { run: { font: FANGSONG, size: SIZE_3 } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: 210 * MM, height: 297 * MM },
            margin: { top: 37 * MM, bottom: 35 * MM, left: 28 * MM, right: 26 * MM },
          },
        },
        children: [
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 240 }, children: [text(`${doc.issuingBody}文件`, 72, XIAOBIAOSONG, { color: RED })] }),
          new Paragraph({
            alignment: AlignmentType.CENTER,
            spacing: { after: 240 },
            border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 8 } },
            children: [text(doc.number)],
          }),
          new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: 480, after: 480, line: 700, lineRule: 'exact' }, children: [text(doc.title, SIZE_2, XIAOBIAOSONG)] }),
          new Paragraph({ spacing: { line: LINE, lineRule: 'exact' }, children: [text(`${doc.mainRecipient}：`)] }),
          ...body,
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: LINE * 2, line: LINE, lineRule: 'exact' }, indent: { right: 4 * 320 }, children: [text(doc.issuingBody)] }),
          new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { line: LINE, lineRule: 'exact' }, indent: { right: 4 * 320 }, children: [text(chineseDate(doc.date))] }),
          ...(doc.copyTo.length > 0
            ? [
                new Paragraph({
                  spacing: { before: LINE * 2 },
                  border: { top: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 }, bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 4 } },
                  indent: { left: 320, right: 320 },
                  children: [text(`抄送：${doc.copyTo.join('，')}。`, SIZE_4)],
                }),
              ]
            : []),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
