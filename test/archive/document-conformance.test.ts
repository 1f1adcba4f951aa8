/**
 * Every document kind, issued through the archive activity, is a 公文 in the
 * format of GB/T 9704-2012: its .docx is opened and read as an archivist's
 * checklist: A4 with the standard margins and a 156 × 225 mm 版心, 22 lines
 * of 28 characters, the standard's fonts and sizes, page numbers "— 1 —" at
 * the foot (odd pages right, even left), the 成文日期 and every date in the
 * body in Arabic numerals, its own 文号 series, its own wording, and bodies
 * named by their names, never by an authority id.
 */
import { strFromU8, unzipSync } from 'fflate';
import { documentActivities } from '../../activities/documents';
import { DEFAULT_AUTHORITIES, loadAuthorities } from '../../config/authorities';
import { beijingDate } from '../../domain/calendar';
import type { IssuedDocument } from '../../domain/case/contract';
import { libreOfficeRenderer } from '../../services/documents/render-pdf';
import type { Db } from '../../store/db';
import { documentFile } from '../../store/documents';
import { openTestDb } from '../support/test-db';
import { KINDS, requestFor, type Kind } from './document-kinds';

let db: Db;
const issued = new Map<Kind, { document: IssuedDocument; parts: Record<string, string> }>();
const year = beijingDate(Date.now()).slice(0, 4);

beforeAll(async () => {
  db = await openTestDb();
  const activities = documentActivities(db, { authorities: loadAuthorities(), renderer: libreOfficeRenderer() });
  for (const kind of KINDS) {
    const document = await activities.issueDocument(requestFor(kind, 'conformance'));
    const file = (await documentFile(db, document.documentId))!;
    const parts = Object.fromEntries(Object.entries(unzipSync(new Uint8Array(file.bytes))).map(([name, bytes]) => [name, strFromU8(bytes)]));
    issued.set(kind, { document, parts });
  }
});
afterAll(() => db?.close());

const attr = (xml: string, element: string, name: string) => Number(new RegExp(`<${element}\\b[^>]*\\b${name}="(-?\\d+)"`).exec(xml)?.[1]);
/** Each paragraph of a part: its properties, its runs' properties and its text. */
function paragraphs(xml: string): { pPr: string; rPr: string; text: string }[] {
  return [...xml.matchAll(/<w:p\b[^>]*>([\s\S]*?)<\/w:p>/g)].map(([, inner]) => ({
    pPr: /<w:pPr>([\s\S]*?)<\/w:pPr>/.exec(inner!)?.[1] ?? '',
    rPr: /<w:rPr>([\s\S]*?)<\/w:rPr>/.exec(inner!)?.[1] ?? '',
    text: [...inner!.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''),
  }));
}
const body = (kind: Kind) => paragraphs(issued.get(kind)!.parts['word/document.xml']!);
/** The 正文: the paragraphs indented two characters (7.3.3). */
const mainText = (kind: Kind) => body(kind).filter((p) => p.pPr.includes('w:firstLine'));
const textOf = (kind: Kind) => body(kind).map((p) => p.text).join('\n');
const MM = 1440 / 25.4;

describe.each(KINDS)('a %s', (kind) => {
  const doc = () => issued.get(kind)!;
  const sectPr = () => /<w:sectPr>[\s\S]*<\/w:sectPr>/.exec(doc().parts['word/document.xml']!)![0];

  it('is A4 with 天头 37 mm and 订口 28 mm, leaving a 版心 of 156 × 225 mm (5.2.1, 5.2.2.1)', () => {
    const s = sectPr();
    expect(attr(s, 'w:pgSz', 'w:w') / MM).toBeCloseTo(210, 0);
    expect(attr(s, 'w:pgSz', 'w:h') / MM).toBeCloseTo(297, 0);
    expect(attr(s, 'w:pgMar', 'w:top') / MM).toBeCloseTo(37, 0);
    expect(attr(s, 'w:pgMar', 'w:left') / MM).toBeCloseTo(28, 0);
    expect((attr(s, 'w:pgSz', 'w:w') - attr(s, 'w:pgMar', 'w:left') - attr(s, 'w:pgMar', 'w:right')) / MM).toBeCloseTo(156, 0);
    expect((attr(s, 'w:pgSz', 'w:h') - attr(s, 'w:pgMar', 'w:top') - attr(s, 'w:pgMar', 'w:bottom')) / MM).toBeCloseTo(225, 0);
  });

  it('sets 22 lines a page on the line grid and 28 characters of 3号仿宋 a line (5.2.2.2, 5.2.2.3)', () => {
    const s = sectPr();
    const typeHeight = attr(s, 'w:pgSz', 'w:h') - attr(s, 'w:pgMar', 'w:top') - attr(s, 'w:pgMar', 'w:bottom');
    const typeWidth = attr(s, 'w:pgSz', 'w:w') - attr(s, 'w:pgMar', 'w:left') - attr(s, 'w:pgMar', 'w:right');
    expect(s).toMatch(/<w:docGrid w:type="lines" w:linePitch="\d+"\/>/);
    const pitch = attr(s, 'w:docGrid', 'w:linePitch');
    expect(Math.floor(typeHeight / pitch)).toBe(22);
    const paragraphsOfBody = mainText(kind);
    expect(paragraphsOfBody.length).toBeGreaterThan(0);
    for (const p of paragraphsOfBody) {
      expect(p.pPr).toContain(`<w:spacing w:line="${pitch}" w:lineRule="exact"/>`);
      expect(p.rPr).toMatch(/w:eastAsia="(仿宋_GB2312|黑体)"/);
      expect(attr(p.rPr, 'w:sz', 'w:val')).toBe(32);
      // A character's advance is its size plus the run's spacing, in twips: 28 fit the 版心's width, 29 do not.
      const advance = attr(p.rPr, 'w:sz', 'w:val') * 10 + attr(p.rPr, 'w:spacing', 'w:val');
      expect(Math.floor(typeWidth / advance)).toBe(28);
    }
  });

  it('prints the red 发文机关标志, the 文号 over a red rule and the title in 2号小标宋 (7.2.4, 7.2.5, 7.2.7, 7.3.1)', () => {
    const [banner, number, title] = body(kind);
    expect(banner!.text).toBe(kind === 'correctionList' || kind === 'acceptanceNotice' ? '中共阳江市纪律检查委员会文件' : '中共天津市滨海新区纪律检查委员会文件');
    expect(banner!.rPr).toContain('w:eastAsia="方正小标宋简体"');
    expect(banner!.rPr).toContain('<w:color w:val="FF0000"/>');
    expect(number!.text).toBe(doc().document.number);
    expect(number!.text).toMatch(new RegExp(`^\\D+〔${year}〕[1-9]\\d*号$`));
    expect(number!.pPr).toMatch(/<w:bottom w:val="single" w:color="FF0000"/);
    expect(title!.text).toBe(doc().document.title);
    expect(title!.rPr).toContain('w:eastAsia="方正小标宋简体"');
    expect(attr(title!.rPr, 'w:sz', 'w:val')).toBe(44);
  });

  it('numbers its pages "— 1 —" in 4号宋体 at the foot, odd pages on the right and even on the left (7.5)', () => {
    const { parts } = doc();
    expect(parts['word/settings.xml']).toContain('<w:evenAndOddHeaders/>');
    const rels = parts['word/_rels/document.xml.rels']!;
    const footer = (type: string) => {
      const rid = new RegExp(`<w:footerReference w:type="${type}" r:id="(\\w+)"`).exec(sectPr())![1];
      return parts[`word/${new RegExp(`Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)![1]}`]!;
    };
    for (const [type, side] of [['default', 'right'], ['even', 'left']] as const) {
      const xml = footer(type);
      expect(xml).toContain(`<w:jc w:val="${side}"/>`);
      expect(xml).toMatch(side === 'right' ? /<w:ind w:right="280"\/>/ : /<w:ind w:left="280"\/>/);
      expect(xml).toMatch(/— <\/w:t>[\s\S]*PAGE[\s\S]*> —<\/w:t>/);
      expect(xml).toContain('w:eastAsia="宋体"');
      expect(attr(xml, 'w:sz', 'w:val')).toBe(28);
    }
  });

  it('writes the 成文日期 and every date of the body in Arabic numerals (7.3.5.4)', () => {
    const text = textOf(kind);
    const today = beijingDate(Date.now());
    const written = `${Number(today.slice(0, 4))}年${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日`;
    const paragraphsText = body(kind).map((p) => p.text);
    const signatureAt = paragraphsText.lastIndexOf(written);
    expect(signatureAt).toBeGreaterThan(3);
    expect(paragraphsText[signatureAt - 1]).toBe(kind === 'correctionList' || kind === 'acceptanceNotice' ? '中共阳江市纪律检查委员会' : '中共天津市滨海新区纪律检查委员会');
    expect(text).toContain(`${written}印发`);
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(text).not.toMatch(/[〇一二三四五六七八九十]{2,}年/);
    expect(text).toMatch(/\d{4}年\d{1,2}月\d{1,2}日/);
  });

  it('names every body by its name: no authority id anywhere in the file', () => {
    const everything = Object.values(doc().parts).join('\n');
    for (const { id } of DEFAULT_AUTHORITIES.authorities) expect(everything).not.toContain(id);
    expect(everything).not.toMatch(/[a-z]+-(jw|jyj)\b/);
  });

  it('says each thing once', () => {
    const sentences = textOf(kind).split(/[。\n]/).map((s) => s.trim()).filter((s) => s.length > 6);
    expect(new Set(sentences).size).toBe(sentences.length);
    expect(textOf(kind)).not.toMatch(/经调查[^。]{0,6}经调查/);
  });
});

describe('the conclusion notice and the exemption decision', () => {
  it('are worded each for its purpose and numbered in series of their own', () => {
    const sentencesOf = (kind: Kind) => new Set(mainText(kind).flatMap((p) => p.text.split('。')).filter((s) => s.length > 6));
    const notice = sentencesOf('conclusionNotice');
    const decision = sentencesOf('exemptionDecision');
    expect([...notice].filter((s) => decision.has(s))).toEqual([]);
    expect(issued.get('conclusionNotice')!.document.number).toBe(`滨纪告〔${year}〕1号`);
    expect(issued.get('exemptionDecision')!.document.number).toBe(`滨纪免〔${year}〕1号`);
  });

  it('tell where an appeal goes by the body’s name, and the decision names its 批准机关 and its 抄送 bodies', () => {
    expect(textOf('conclusionNotice')).toContain('15日内，向中共天津市滨海新区纪律检查委员会提出书面申诉（《办法》第十七条）');
    // The configured name of the body that approved, not the rulebook's generic 问责部门领导班子.
    expect(textOf('exemptionDecision')).toContain('批准机关：中共天津市滨海新区纪律检查委员会常务委员会');
    expect(textOf('exemptionDecision')).not.toContain('问责部门领导班子');
    expect(textOf('exemptionDecision')).toContain('抄送：天津市滨海新区监察委员会，中共天津市滨海新区委员会组织部。');
  });
});
