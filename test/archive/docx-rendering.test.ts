/** A decision document renders as a .docx whose text carries every part GB/T 9704 asks for. */
import { strFromU8, unzipSync } from 'fflate';
import { chineseDate, renderDocx } from '../../services/documents/render-docx';

export function docxText(bytes: Buffer): string {
  const xml = strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!);
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

describe('rendering a decision document', () => {
  it('carries header, number, title, recipient, body, signature, date in Chinese numerals and copy-to line', async () => {
    const bytes = await renderDocx({
      issuingBody: '中共天津市滨海新区纪律检查委员会',
      number: '滨纪免〔2026〕3号',
      title: '免责决定书',
      mainRecipient: '某街道党工委',
      paragraphs: ['王某（某街道党工委，副主任）：', '经集体研究，认定：免责。'],
      date: '2026-03-05',
      copyTo: ['同级纪检监察组织', '组织人事部门'],
    });
    expect(bytes.subarray(0, 2).toString()).toBe('PK');
    const text = docxText(bytes);
    for (const part of ['中共天津市滨海新区纪律检查委员会文件', '滨纪免〔2026〕3号', '免责决定书', '某街道党工委：', '经集体研究，认定：免责。', '二〇二六年三月五日', '抄送：同级纪检监察组织，组织人事部门。']) {
      expect(text).toContain(part);
    }
  });

  it('writes dates in Chinese numerals', () => {
    expect(chineseDate('2026-10-20')).toBe('二〇二六年十月二十日');
    expect(chineseDate('2027-01-01')).toBe('二〇二七年一月一日');
    expect(chineseDate('2026-12-31')).toBe('二〇二六年十二月三十一日');
  });
});
