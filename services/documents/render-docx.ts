/**
 * Documents as .docx in the format of GB/T 9704-2012 《党政机关公文格式》.
 * Each part names the clause it follows; parts the standard makes optional and
 * these documents do not carry are listed here with the reason:
 * - 份号、密级和保密期限、紧急程度 (7.2.1–7.2.3): the documents are not
 *   classified and not urgent; 签发人 (7.2.6): only upward documents carry it.
 * - 附注、附件 (7.3.6, 7.3.7): none of the kinds has attachments.
 * A4, 版心 156 × 225 mm with 22 lines of 28 characters; 3号仿宋 throughout
 * unless a clause says otherwise; black text except the red 版头.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  Packer,
  PageNumber,
  Paragraph,
  RelativeHorizontalPosition,
  RelativeVerticalPosition,
  Table,
  TableAnchorType,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
} from 'docx';
import type { IsoDate } from '../../domain/calendar';
import { withoutForbiddenCharacters } from '../../domain/case/text';
import { writtenDate } from './dates';
import { FONTS } from './fonts';
import type { BodyParagraph } from './wording';

export interface OfficialDocument {
  /** 发文机关标志 (7.2.4). */
  banner: string;
  /** 发文字号 (7.2.5), e.g. 滨纪免〔2026〕3号. */
  number: string;
  title: string;
  /** 主送机关 (7.3.2). */
  addressees: string[];
  body: BodyParagraph[];
  /** 发文机关署名 (7.3.5.1). */
  signature: string;
  /** 成文日期 (7.3.5.4). */
  date: IsoDate;
  /** 抄送机关 (7.4.2). */
  copyTo: string[];
  /** 印发机关 and 印发日期 (7.4.3). */
  printedBy: string;
  printedOn: IsoDate;
}

/** Twips (twentieths of a point) per millimetre. */
const MM = 1440 / 25.4;
const mm = (value: number) => Math.round(value * MM);

/** 5.2.1: A4, 210 mm × 297 mm. */
export const PAGE = { width: mm(210), height: mm(297) };
/** 5.2.2.1: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm; so 35 mm at the foot and 26 mm at the fore-edge. */
export const MARGIN = { top: mm(37), left: mm(28), bottom: mm(297 - 37 - 225), right: mm(210 - 28 - 156) };
const TYPE_AREA = { width: PAGE.width - MARGIN.left - MARGIN.right, height: PAGE.height - MARGIN.top - MARGIN.bottom };

/** Sizes in half-points: 2号 22 pt, 3号 16 pt, 4号 14 pt. */
export const SIZE = { hao2: 44, hao3: 32, hao4: 28 } as const;
/** 5.2.2.3: 22 lines a page; the pitch is the 版心 height divided by 22, rounded down so 22 lines always fit. */
export const LINES_PER_PAGE = 22;
export const LINE = Math.floor(TYPE_AREA.height / LINES_PER_PAGE);
/** 5.2.2.3: 28 characters a line; the pitch is the 版心 width divided by 28. */
export const CHARS_PER_LINE = 28;
const CHAR = TYPE_AREA.width / CHARS_PER_LINE;
/**
 * The document grid (w:docGrid) that holds both: charSpace is the difference
 * between the grid's character pitch and the 3号 default, in 4096ths of a
 * point, rounded down so 28 characters always fit.
 */
export const GRID = { type: DocumentGridType.LINES, linePitch: LINE };
/**
 * Run spacing that gives a 3号 character the grid's pitch where a renderer
 * lays text out without the grid (LibreOffice without Asian layout), so a
 * line still holds 28 characters: 16 pt less 0.25 pt, in twentieths of a point.
 */
const TIGHTEN = -5;
const RED = 'FF0000';

const font = (name: string) => ({ eastAsia: name, ascii: name, hAnsi: name, cs: name });
const run = (text: string, options: { size?: number; font?: string; color?: string; scale?: number; spacing?: number } = {}) =>
  new TextRun({
    // Fields refuse invisible and bidirectional characters; a document never prints one whatever reached it.
    text: withoutForbiddenCharacters(text),
    size: options.size ?? SIZE.hao3,
    font: font(options.font ?? FONTS.fangsong.name),
    characterSpacing: options.spacing ?? TIGHTEN,
    ...(options.color ? { color: options.color } : {}),
    ...(options.scale ? { scale: options.scale } : {}),
  });
const exactly = (lines = 1) => ({ line: LINE * lines, lineRule: 'exact' as const });
/** Width of a text in characters: a half-width (Arabic numeral, Latin letter) counts one half. */
const widthOf = (text: string) => [...text].reduce((n, c) => n + (c.charCodeAt(0) < 0x2000 ? 0.5 : 1), 0);

/** 7.2.4: red 小标宋, centred; as large as fits the 版心 in one line, narrowed rather than wrapped. */
function banner(text: string): Paragraph {
  const size = 72; // 36 pt
  const natural = widthOf(text) * (size / 2) * 20;
  const scale = Math.min(100, Math.floor((TYPE_AREA.width / natural) * 100));
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    // The banner's top edge 35 mm below the top of the 版心.
    spacing: { before: mm(35), line: mm(16), lineRule: 'exact' },
    children: [run(text, { size, font: FONTS.xiaobiaosong.name, color: RED, scale, spacing: 0 })],
  });
}

/** 7.2.5: two lines below the banner, centred; 7.2.7: the red separator 4 mm below it, as wide as the 版心. */
function numberWithSeparator(number: string): Paragraph {
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    spacing: { before: LINE * 2, ...exactly() },
    border: { bottom: { style: BorderStyle.SINGLE, size: 8, color: RED, space: 11 } },
    children: [run(number)],
  });
}

/** 7.3.1: 2号小标宋, centred, two lines below the separator. */
const title = (text: string) =>
  new Paragraph({ alignment: AlignmentType.CENTER, spacing: { before: LINE * 2, ...exactly() }, children: [run(text, { size: SIZE.hao2, font: FONTS.xiaobiaosong.name, spacing: 0 })] });

/** 7.3.2: one line below the title, flush left, ending in a full-width colon. */
const addressees = (names: string[]) => new Paragraph({ spacing: { before: LINE, ...exactly() }, alignment: AlignmentType.JUSTIFIED, children: [run(`${names.join('、')}：`)] });

/** 7.3.3: each paragraph indented two characters; the first level of the structure in 黑体. */
const bodyParagraph = (p: BodyParagraph) =>
  new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: exactly(),
    indent: { firstLine: Math.round(CHAR * 2) },
    children: [run(p.text, p.heading ? { font: FONTS.heiti.name } : {})],
  });

/**
 * 7.3.5.1 (a sealed document of one authority): the 成文日期 four characters
 * from the right, the 署名 centred above it, and room for the seal between
 * the body and the 署名, whose top is within a line of the body.
 * 7.3.5.4: the date in Arabic numerals.
 */
function signature(name: string, date: IsoDate): Paragraph[] {
  const dateText = writtenDate(date);
  const dateRight = CHAR * 4;
  const nameRight = Math.max(0, dateRight + ((widthOf(dateText) - widthOf(name)) / 2) * CHAR);
  return [
    new Paragraph({ alignment: AlignmentType.RIGHT, keepNext: true, spacing: { before: LINE * 2, ...exactly() }, indent: { right: Math.round(nameRight) }, children: [run(name)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: exactly(), indent: { right: Math.round(dateRight) }, children: [run(dateText)] }),
  ];
}

/**
 * 7.4: the 版记 at the foot of the last page, its last rule on the bottom edge
 * of the 版心: a table floating at the bottom of the type area, where Word
 * places it whatever the length of the body. (LibreOffice 7.4 lays a floating
 * table out in the flow, so the archival PDF has the 版记 right after the
 * 成文日期: the one departure from the standard's layout.) First and
 * last rules 0.35 mm, the rule between 0.25 mm (7.4.1); 抄送 in 4号仿宋 one
 * character in from each side, continuation lines aligned after the colon,
 * ending in 。 (7.4.2); 印发机关 one character from the left and 印发日期 one
 * from the right, in Arabic numerals, followed by 印发 (7.4.3).
 */
function imprint(doc: OfficialDocument): Table {
  const thick = { style: BorderStyle.SINGLE, size: 8, color: '000000' }; // 1 pt ≈ 0.35 mm
  const thin = { style: BorderStyle.SINGLE, size: 6, color: '000000' }; // 0.75 pt ≈ 0.25 mm
  const none = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };
  const oneChar = Math.round((SIZE.hao4 / 2) * 20);
  const small = { size: SIZE.hao4, spacing: 0 };
  const label = Math.round(widthOf('抄送：') * oneChar);
  // A hair narrower than the 版心: LibreOffice floats only a table narrower than the text area.
  const width = TYPE_AREA.width - 10;
  const cell = (paragraph: Paragraph, borders: { top: typeof thick; bottom: typeof thick }, columnSpan = 1) =>
    new TableCell({ children: [paragraph], columnSpan, verticalAlign: VerticalAlign.CENTER, borders: { ...borders, left: none, right: none }, margins: { left: 0, right: 0, top: 0, bottom: 0 } });
  const rows: TableRow[] = [];
  if (doc.copyTo.length > 0) {
    rows.push(
      new TableRow({
        cantSplit: true,
        children: [
          cell(
            new Paragraph({ spacing: exactly(), indent: { left: oneChar + label, right: oneChar, hanging: label }, children: [run(`抄送：${doc.copyTo.join('，')}。`, small)] }),
            { top: thick, bottom: thin },
            2,
          ),
        ],
      }),
    );
  }
  const printedBorders = { top: doc.copyTo.length > 0 ? thin : thick, bottom: thick };
  rows.push(
    new TableRow({
      cantSplit: true,
      children: [
        cell(new Paragraph({ spacing: exactly(), indent: { left: oneChar }, children: [run(doc.printedBy, small)] }), printedBorders),
        cell(new Paragraph({ spacing: exactly(), alignment: AlignmentType.RIGHT, indent: { right: oneChar }, children: [run(`${writtenDate(doc.printedOn)}印发`, small)] }), printedBorders),
      ],
    }),
  );
  const dateWidth = Math.round((widthOf(`${writtenDate(doc.printedOn)}印发`) + 2) * oneChar);
  return new Table({
    rows,
    width: { size: width, type: WidthType.DXA },
    columnWidths: [width - dateWidth, dateWidth],
    layout: TableLayoutType.FIXED,
    float: {
      horizontalAnchor: TableAnchorType.MARGIN,
      verticalAnchor: TableAnchorType.MARGIN,
      relativeHorizontalPosition: RelativeHorizontalPosition.CENTER,
      relativeVerticalPosition: RelativeVerticalPosition.BOTTOM,
    },
  });
}

/**
 * 7.5: 4号半角宋体 Arabic numerals between two 一字线, 7 mm below the 版心;
 * odd pages one character in from the right, even pages one in from the left.
 */
function pageNumber(side: 'odd' | 'even'): Footer {
  const oneChar = Math.round((SIZE.hao4 / 2) * 20);
  const numberRun = (children: (string | (typeof PageNumber)[keyof typeof PageNumber])[]) =>
    new TextRun({ children, size: SIZE.hao4, font: font(FONTS.songti.name) });
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: oneChar } : { left: oneChar },
        spacing: { before: 0, after: 0, line: SIZE.hao4 * 10, lineRule: 'exact' },
        children: [numberRun(['— ', PageNumber.CURRENT, ' —'])],
      }),
    ],
  });
}

/** The footer's top edge 7 mm below the 版心: its distance from the page's bottom edge is the margin less 7 mm less one 4号 line. */
const FOOTER_DISTANCE = MARGIN.bottom - mm(7) - SIZE.hao4 * 10;

export async function renderDocx(doc: OfficialDocument): Promise<Buffer> {
  const document = new Document({
    creator: doc.signature,
    title: doc.title,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font(FONTS.fangsong.name), size: SIZE.hao3, color: '000000' },
          paragraph: { spacing: exactly() },
        },
      },
    },
    sections: [
      {
        properties: {
          page: { size: PAGE, margin: { ...MARGIN, header: mm(15), footer: FOOTER_DISTANCE, gutter: 0 } },
          grid: GRID,
        },
        footers: { default: pageNumber('odd'), even: pageNumber('even') },
        children: [
          banner(doc.banner),
          numberWithSeparator(doc.number),
          title(doc.title),
          addressees(doc.addressees),
          ...doc.body.map(bodyParagraph),
          ...signature(doc.signature, doc.date),
          imprint(doc),
          // The floating table's anchor: it needs a paragraph after it on its page.
          new Paragraph({ spacing: { before: LINE, line: 20, lineRule: 'exact' }, children: [] }),
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
