/**
 * What a PDF holds besides its pages, read as a viewer finds it: names in the
 * file's text and in compressed object streams, escapes decoded; stream data
 * taken as long as it is, whatever byte it ends with.
 */
import { deflateSync } from 'node:zlib';
import { inspectPdf } from '../../services/casefile/pdf-content';
import { pdfOf, pdfWithHiddenEmbeddedFile, pdfWithJavaScript, rawPdf } from '../support/material-files';

const page = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'];

it('finds JavaScript in the file’s text, and an embedded file hidden in an object stream under an escaped name', () => {
  expect(inspectPdf(pdfWithJavaScript()).active).toEqual(expect.arrayContaining(['JavaScript', 'JS']));
  expect(inspectPdf(pdfWithHiddenEmbeddedFile()).active).toEqual(expect.arrayContaining(['EmbeddedFile', 'EmbeddedFiles']));
});

it('reads an object stream whose compressed data ends in a byte that looks like a line break', () => {
  // Deflate's last bytes are a checksum: find objects whose compressed form ends with LF, and with CR.
  for (const last of [0x0a, 0x0d]) {
    let data = Buffer.alloc(0);
    // The last byte is the low byte of the checksum's byte sum: content of any length hits every value.
    for (let i = 0; i < 10_000; i += 1) {
      data = deflateSync(Buffer.from(`4 0 << /Type /Annot /Subtype /Link /Contents (${'x'.repeat(i)}) >>`, 'latin1'));
      if (data[data.length - 1] === last) break;
    }
    expect(data[data.length - 1]).toBe(last);
    for (const length of [String(data.length), '9 0 R']) {
      const findings = inspectPdf(rawPdf(page, [{ dict: `<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length ${length} >>`, data }]));
      expect([last, length, findings.unreadableObjectStreams, findings.active]).toEqual([last, length, 0, []]);
    }
  }
});

it('finds nothing in a plain PDF of many pages, which pdf-lib packs into object streams', async () => {
  for (let i = 0; i < 5; i += 1) expect(inspectPdf(await pdfOf(20 + i, `Plain ${i}`))).toEqual({ active: [], encrypted: false, unreadableObjectStreams: 0 });
});
