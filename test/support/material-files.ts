/**
 * Files of every type the case file takes, made for the tests by the real
 * tools (pdf-lib for PDFs, poppler's pdftoppm for the JPEG, PNG and TIFF
 * scans of a page, the docx package for Word), and the hostile ones the case
 * file must refuse: a PDF with JavaScript, one with an embedded file hidden in
 * a compressed object stream under an escaped name, a .docx zip bomb.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { crc32, deflateRawSync, deflateSync } from 'node:zlib';
import { Document, Packer, Paragraph, TextRun } from 'docx';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { writeZip } from '../../services/casefile/zip';

/** A PDF of `pages` A4 pages, each saying its number (a scan would be images; this is text, and not PDF/A). */
export async function pdfOf(pages: number, label = 'Material'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i += 1) {
    const page = doc.addPage([595.28, 841.89]);
    page.drawText(`${label} page ${i} of ${pages}`, { x: 72, y: 760, size: 18, font });
    page.drawRectangle({ x: 72, y: 200, width: 450, height: 500, borderWidth: 2 });
  }
  return Buffer.from(await doc.save());
}

/** A page of a PDF as a scanner would give it: JPEG, PNG or TIFF, by pdftoppm. */
export async function scanOf(format: 'jpeg' | 'png' | 'tiff', label = 'Scan'): Promise<Buffer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-scan-'));
  try {
    const input = path.join(dir, 'in.pdf');
    fs.writeFileSync(input, await pdfOf(1, label));
    execFileSync('pdftoppm', [`-${format}`, '-r', '40', '-singlefile', input, path.join(dir, 'out')]);
    const file = fs.readdirSync(dir).find((f) => f.startsWith('out'))!;
    return fs.readFileSync(path.join(dir, file));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A Word document of a few paragraphs. */
export async function docxOf(paragraphs: string[]): Promise<Buffer> {
  const doc = new Document({ sections: [{ children: paragraphs.map((text) => new Paragraph({ children: [new TextRun({ text, font: 'Noto Serif CJK SC', size: 28 })] })) }] });
  return Buffer.from(await Packer.toBuffer(doc));
}

/**
 * An OFD (GB/T 33190-2016) of one A4 page holding one image, as a scanner that writes OFD makes it:
 * OFD.xml → Doc_0/Document.xml → the page's Content.xml with an ImageObject of the resource.
 */
export function ofdOf(jpeg: Buffer): Buffer {
  const xml = (body: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${body}`, 'utf8');
  const ns = 'xmlns:ofd="http://www.ofdspec.org/2016"';
  return writeZip(
    [
      { name: 'OFD.xml', bytes: xml(`<ofd:OFD ${ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>test</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`) },
      {
        name: 'Doc_0/Document.xml',
        bytes: xml(`<ofd:Document ${ns}><ofd:CommonData><ofd:MaxUnitID>10</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea><ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`),
      },
      { name: 'Doc_0/DocumentRes.xml', bytes: xml(`<ofd:Res ${ns} BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="5" Type="Image"><ofd:MediaFile>scan.jpg</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>`) },
      { name: 'Doc_0/Res/scan.jpg', bytes: jpeg },
      {
        name: 'Doc_0/Pages/Page_0/Content.xml',
        bytes: xml(`<ofd:Page ${ns}><ofd:Content><ofd:Layer ID="2"><ofd:ImageObject ID="3" ResourceID="5" Boundary="10 10 190 277" CTM="190 0 0 277 0 0"/></ofd:Layer></ofd:Content></ofd:Page>`),
      },
    ],
    (b) => deflateRawSync(b),
  );
}

/** A PDF whose document opens with JavaScript, written out in the file's own text. */
export function pdfWithJavaScript(): Buffer {
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>', '<< /S /JavaScript /JS (app.alert\\(1\\)) >>']);
}

/**
 * A PDF that carries an embedded file in an object packed into a compressed object stream, its name
 * written with #xx escapes (/Embedded#46ile#73), so it shows in none of the file's own text.
 */
export function pdfWithHiddenEmbeddedFile(): Buffer {
  const packed = '5 0 << /Type /Filespec /F (payload.exe) /EF << /F 6 0 R >> >> 6 0 << /Type /Embedded#46ile /Length 0 >>';
  const inner = Buffer.from(`5 0 6 42 ${packed.slice(4)}`, 'latin1');
  const data = deflateSync(inner);
  return rawPdf(
    ['<< /Type /Catalog /Pages 2 0 R /Names << /Embedded#46ile#73 7 0 R >> >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>'],
    [{ dict: `<< /Type /ObjStm /N 2 /First 8 /Filter /FlateDecode /Length ${data.length} >>`, data }],
  );
}

/** A PDF written object by object, with its cross-reference table. */
export function rawPdf(objects: string[], streams: { dict: string; data: Buffer }[] = []): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  const push = (b: Buffer) => {
    parts.push(b);
    length += b.length;
  };
  objects.forEach((o, i) => {
    offsets.push(length);
    push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1'));
  });
  streams.forEach((s, i) => {
    offsets.push(length);
    push(Buffer.from(`${objects.length + i + 1} 0 obj\n${s.dict}\nstream\n`, 'latin1'));
    push(s.data);
    push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
  });
  const xref = length;
  const count = offsets.length + 1;
  push(Buffer.from(`xref\n0 ${count}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${count} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`, 'latin1'));
  return Buffer.concat(parts);
}

/** A .docx whose document part inflates from a few hundred kilobytes to 250 MB of zeros: a zip bomb, declaring its size or lying about it. */
export function docxZipBomb({ lying = false } = {}): Buffer {
  const zeros = Buffer.alloc(250 * 1024 * 1024);
  const packed = deflateRawSync(zeros, { level: 9 });
  const name = (n: string) => Buffer.from(n, 'utf8');
  // Written by hand: the document part's data is already deflated. `lying`: it declares a kilobyte.
  const entries = [
    { name: '[Content_Types].xml', data: deflateRawSync(Buffer.from('<Types/>')), size: 8, crc: crc32(Buffer.from('<Types/>')) },
    { name: 'word/document.xml', data: packed, size: lying ? 1024 : zeros.length, crc: crc32(zeros) },
  ];
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(Buffer.byteLength(e.name), 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(e.size, 24);
    central.writeUInt16LE(Buffer.byteLength(e.name), 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name(e.name), e.data);
    centrals.push(central, name(e.name));
    offset += 30 + Buffer.byteLength(e.name) + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
