/**
 * Binding the case file (立卷装订) at 建档: one PDF/A-2b of the cover and the
 * 卷内文件目录, every document and material of the case in the order of the
 * procedure with its pages numbered through (1, 2, 3… at the top right, the
 * place GB/T 9705-2008 gives page numbers of 卷内文件), and the 卷内备考表.
 *
 * How each item gets into the file:
 * - a document: its archival copy (PDF/A-2b, rendered by LibreOffice), pages as they are;
 * - a .docx material: rendered to PDF/A-2b by LibreOffice, as the documents are;
 * - a PDF material that identifies itself as PDF/A: pages as they are;
 * - any other PDF: each page as an image (pdftoppm, 150 dpi), since its fonts, colours or
 *   features may not be PDF/A's, and a page image keeps how it looks; the original is in the
 *   export;
 * - a JPEG or PNG scan: the image itself on an A4 page (landscape for a landscape scan), not
 *   re-encoded; a TIFF scan: every page of it, decoded (utif) and stored losslessly;
 * - an OFD: the image objects of its pages where they stand (services/casefile/ofd.ts).
 * The whole is then checked (pdfa-check.ts); a file that fails is bound again with every
 * material as page images, and one that still fails is not kept, and the case is told.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { deflateSync } from 'node:zlib';
import fontkit from '@pdf-lib/fontkit';
import { concatTransformationMatrix, drawObject, PDFArray, PDFDocument, PDFHexString, PDFName, PDFObjectCopier, popGraphicsState, pushGraphicsState, rgb, type PDFImage, type PDFPage } from 'pdf-lib';
import { createHash } from 'node:crypto';
import type { ArchivalRenderer } from '../documents/render-pdf';
import type { BoundFileContents, BoundItem, PdfaValidation } from '../../store/bound-files';
import { coverAndContents, remarks, type CoverFacts } from './front-matter';
import { ofdPages } from './ofd';
import { checkPdfA } from './pdfa-check';

const run = promisify(execFile);

export type ItemContent =
  | { type: 'pdfa'; bytes: Buffer }
  | { type: 'pdf'; bytes: Buffer }
  | { type: 'jpeg' | 'png' | 'tiff'; bytes: Buffer }
  | { type: 'docx'; bytes: Buffer }
  | { type: 'ofd'; bytes: Buffer };

export interface ItemToBind extends Omit<BoundItem, 'sequence' | 'firstPage' | 'lastPage' | 'rendering'> {
  content: ItemContent;
}

export interface BindRequest {
  cover: CoverFacts;
  items: ItemToBind[];
  withdrawn: BoundFileContents['withdrawn'];
  boundBy: string;
  /** YYYY-MM-DD */
  boundOn: string;
  /** When it was bound, for the file's dates and identifier. */
  now: Date;
}

export interface BoundPdf {
  pdf: Buffer;
  pages: number;
  contents: BoundFileContents;
  validation: PdfaValidation;
}

/** The bound file failed the PDF/A check even with every material as page images. */
export class BoundFileNotPdfA extends Error {
  override name = 'BoundFileNotPdfA';
}

/** A tool the binding needs (pdftoppm, a font for the page numbers) is not installed: the binding is retried once it is. */
export class BindingToolMissing extends Error {
  override name = 'BindingToolMissing';
}

const A4 = { width: 595.28, height: 841.89 };
const MM = 72 / 25.4;
/** Margin around a scan placed on a page. */
const SCAN_MARGIN = 10 * MM;
const RASTER_DPI = 150;

/** Fonts with the digits of page numbers, in order of preference: whichever is installed (LibreOffice's packages bring DejaVu). */
const NUMBER_FONTS = ['/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf', '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf', '/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf'];

function numberFont(): Buffer {
  const file = NUMBER_FONTS.find((f) => fs.existsSync(f));
  if (!file) throw new BindingToolMissing(`no font for page numbers (one of ${NUMBER_FONTS.join(', ')}; Debian's fonts-dejavu-core)`);
  return fs.readFileSync(file);
}

/** An item made ready to place: pages to copy as they are, or images each on a page of its own. */
type Prepared =
  | { kind: 'pages'; doc: PDFDocument; rendering: BoundItem['rendering'] }
  | { kind: 'images'; images: PageImage[]; rendering: BoundItem['rendering'] };

type PageImage =
  | { type: 'jpeg' | 'png'; bytes: Buffer; box?: Box; page?: { width: number; height: number }; note?: string }
  | { type: 'raw'; width: number; height: number; channels: 1 | 3; data: Buffer; box?: Box; page?: { width: number; height: number }; note?: string };
/** Where an image goes on its page, in points from the bottom left. */
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Whether a PDF says it is PDF/A (its XMP metadata's pdfaid:part), which its pages then keep. */
export function declaresPdfA(pdf: Buffer): boolean {
  return /pdfaid:part\s*(=\s*["']|>)\s*[1-4]/.test(pdf.toString('latin1'));
}

/** Every page of a PDF as a JPEG, by poppler's pdftoppm. */
async function rasterise(pdf: Buffer): Promise<PageImage[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-raster-'));
  try {
    const input = path.join(dir, 'in.pdf');
    fs.writeFileSync(input, pdf);
    try {
      await run('pdftoppm', ['-jpeg', '-jpegopt', 'quality=85', '-r', String(RASTER_DPI), input, path.join(dir, 'p')], { timeout: 10 * 60_000, maxBuffer: 1024 * 1024 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BindingToolMissing('pdftoppm is not installed (poppler-utils; scripts/install-libreoffice.sh)');
      throw err;
    }
    const pages = fs.readdirSync(dir).filter((f) => /^p-\d+\.jpg$/.test(f)).sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
    return pages.map((f) => ({ type: 'jpeg' as const, bytes: fs.readFileSync(path.join(dir, f)) }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** An image in a PDF of its own, so pdftoppm can make a plain RGB JPEG of it (the fallback for any image pdf-lib took as it was). */
async function imageAsPdf(image: PageImage): Promise<Buffer> {
  const doc = await PDFDocument.create();
  await placeImages(doc, [image], () => undefined);
  return Buffer.from(await doc.save());
}

function tiffPages(bytes: Buffer): PageImage[] {
  // utif has no types; its API is decode, decodeImage, toRGBA8.
  const UTIF = require('utif') as {
    decode(b: ArrayBuffer): { width: number; height: number; t282?: number[]; t283?: number[] }[];
    decodeImage(b: ArrayBuffer, ifd: unknown): void;
    toRGBA8(ifd: unknown): Uint8Array;
  };
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const ifds = UTIF.decode(buffer).filter((ifd) => (ifd as Record<string, unknown>).t256 !== undefined);
  return ifds.map((ifd) => {
    UTIF.decodeImage(buffer, ifd);
    const rgba = UTIF.toRGBA8(ifd);
    const { width, height } = ifd;
    let gray = true;
    for (let i = 0; i < rgba.length && gray; i += 4) gray = rgba[i] === rgba[i + 1] && rgba[i] === rgba[i + 2];
    const channels = gray ? 1 : 3;
    const data = Buffer.alloc(width * height * channels);
    for (let p = 0, o = 0; p < rgba.length; p += 4) {
      // Over white, where the scan has transparency.
      const a = rgba[p + 3]! / 255;
      const c = (v: number) => Math.round(v * a + 255 * (1 - a));
      if (gray) data[o++] = c(rgba[p]!);
      else {
        data[o++] = c(rgba[p]!);
        data[o++] = c(rgba[p + 1]!);
        data[o++] = c(rgba[p + 2]!);
      }
    }
    return { type: 'raw' as const, width, height, channels, data };
  });
}

function ofdImages(bytes: Buffer): PageImage[] {
  const images: PageImage[] = [];
  for (const page of ofdPages(bytes)) {
    const size = { width: page.width * MM, height: page.height * MM };
    const placed = page.images.flatMap((img): PageImage[] => {
      const box = { x: img.x * MM, y: size.height - (img.y + img.height) * MM, width: img.width * MM, height: img.height * MM };
      const note = page.notDrawn ? '本页另有文字或图形对象，装订件仅呈现其图像；原件见移交包' : undefined;
      if (img.bytes[0] === 0xff && img.bytes[1] === 0xd8) return [{ type: 'jpeg', bytes: img.bytes, box, page: size, ...(note ? { note } : {}) }];
      if (img.bytes[0] === 0x89 && img.bytes[1] === 0x50) return [{ type: 'png', bytes: img.bytes, box, page: size, ...(note ? { note } : {}) }];
      return tiffPages(img.bytes).slice(0, 1).map((t) => ({ ...t, box, page: size, ...(note ? { note } : {}) }));
    });
    // One page of the bound file per OFD page; a page of several images is drawn as its first (scans have one).
    images.push(placed[0] ?? { type: 'raw', width: 1, height: 1, channels: 1, data: Buffer.from([255]), box: { x: 0, y: 0, width: 1, height: 1 }, page: size, note: '本页无可呈现的图像；原件见移交包' });
  }
  return images;
}

/** Draws each image on a page of its own: where it says, or fitted to A4 within the margin. */
async function placeImages(doc: PDFDocument, images: PageImage[], onPage: (page: PDFPage) => void): Promise<void> {
  for (const image of images) {
    let embedded: PDFImage | undefined;
    let width: number;
    let height: number;
    if (image.type === 'raw') {
      const stream = doc.context.flateStream(image.data, {
        Type: 'XObject',
        Subtype: 'Image',
        Width: image.width,
        Height: image.height,
        ColorSpace: image.channels === 1 ? 'DeviceGray' : 'DeviceRGB',
        BitsPerComponent: 8,
      });
      const ref = doc.context.register(stream);
      width = image.width;
      height = image.height;
      const page = doc.addPage(pageSizeFor(image, width, height));
      const box = image.box ?? fit(page, width, height);
      const name = page.node.newXObject('Im', ref);
      page.pushOperators(...drawXObject(name, box));
      onPage(page);
      continue;
    }
    embedded = image.type === 'jpeg' ? await doc.embedJpg(image.bytes) : await doc.embedPng(image.bytes);
    width = embedded.width;
    height = embedded.height;
    const page = doc.addPage(pageSizeFor(image, width, height));
    page.drawImage(embedded, image.box ?? fit(page, width, height));
    onPage(page);
  }
}

function drawXObject(name: PDFName, box: Box) {
  return [pushGraphicsState(), concatTransformationMatrix(box.width, 0, 0, box.height, box.x, box.y), drawObject(name), popGraphicsState()];
}

function pageSizeFor(image: PageImage, width: number, height: number): [number, number] {
  if (image.page) return [image.page.width, image.page.height];
  return width > height ? [A4.height, A4.width] : [A4.width, A4.height];
}

function fit(page: PDFPage, width: number, height: number): Box {
  const scale = Math.min((page.getWidth() - 2 * SCAN_MARGIN) / width, (page.getHeight() - 2 * SCAN_MARGIN) / height);
  const w = width * scale;
  const h = height * scale;
  return { x: (page.getWidth() - w) / 2, y: (page.getHeight() - h) / 2, width: w, height: h };
}

/** Renders .docx files to PDF/A with the archival renderer, in one run. */
async function renderDocx(renderer: ArchivalRenderer, files: { name: string; bytes: Buffer }[]): Promise<Buffer[]> {
  return files.length === 0 ? [] : renderer.render(files);
}

async function prepare(items: ItemToBind[], renderer: ArchivalRenderer, rasteriseAll: boolean): Promise<Prepared[]> {
  const docx = items.map((item, i) => ({ item, i })).filter(({ item }) => item.content.type === 'docx');
  const rendered = await renderDocx(renderer, docx.map(({ item, i }) => ({ name: `${i + 1}-${item.title}`, bytes: item.content.bytes })));
  const renderedByIndex = new Map(docx.map(({ i }, k) => [i, rendered[k]!]));
  const prepared: Prepared[] = [];
  for (const [i, item] of items.entries()) {
    const { content } = item;
    const isDocument = item.source === 'document';
    if (content.type === 'pdfa' || content.type === 'docx' || (content.type === 'pdf' && declaresPdfA(content.bytes) && !rasteriseAll)) {
      const bytes = renderedByIndex.get(i) ?? content.bytes;
      // A document's archival copy and a rendered .docx are LibreOffice's own PDF/A: never rasterised.
      if (!rasteriseAll || isDocument || content.type === 'docx' || content.type === 'pdfa') {
        prepared.push({ kind: 'pages', doc: await PDFDocument.load(bytes, { updateMetadata: false }), rendering: content.type === 'docx' ? 'libreoffice' : 'asIs' });
        continue;
      }
    }
    if (content.type === 'pdf') prepared.push({ kind: 'images', images: await rasterise(content.bytes), rendering: 'rasterised' });
    else if (content.type === 'jpeg' || content.type === 'png') {
      const image: PageImage = { type: content.type, bytes: content.bytes };
      prepared.push(rasteriseAll ? { kind: 'images', images: await rasterise(await imageAsPdf(image)), rendering: 'rasterised' } : { kind: 'images', images: [image], rendering: 'image' });
    } else if (content.type === 'tiff') prepared.push({ kind: 'images', images: tiffPages(content.bytes), rendering: 'image' });
    else if (content.type === 'ofd') prepared.push({ kind: 'images', images: ofdImages(content.bytes), rendering: 'ofdImages' });
  }
  return prepared;
}

const pagesOf = (p: Prepared) => (p.kind === 'pages' ? p.doc.getPageCount() : p.images.length);

const RENDERING_NOTES: Record<BoundItem['rendering'], string> = {
  asIs: '',
  libreoffice: 'Word 文件经 LibreOffice 转为 PDF/A 装订',
  image: '扫描图像按原图置于页面，未重新压缩',
  rasterised: `非 PDF/A 的 PDF 文件按每页图像（${RASTER_DPI} dpi）装订`,
  ofdImages: 'OFD 文件按其页面图像装订',
};

/** One attempt: prepared items, front matter with their page numbers, the whole assembled and checked. */
async function bindOnce(request: BindRequest, renderer: ArchivalRenderer, rasteriseAll: boolean): Promise<BoundPdf> {
  const prepared = await prepare(request.items, renderer, rasteriseAll);
  let next = 1;
  const items: BoundItem[] = request.items.map(({ content: _content, ...item }, i) => {
    const count = pagesOf(prepared[i]!);
    const entry: BoundItem = { ...item, sequence: i + 1, firstPage: next, lastPage: next + count - 1, rendering: prepared[i]!.rendering };
    next += count;
    return entry;
  });
  const numberedPages = next - 1;
  const usedRenderings = [...new Set(items.map((i) => i.rendering))].map((r) => RENDERING_NOTES[r]).filter(Boolean);
  // What a page image could not show (an OFD page's text objects), said in the 备考表 with the page it concerns.
  const pageNotes = prepared.flatMap((p, i) =>
    p.kind === 'images' ? p.images.flatMap((img, k) => (img.note ? [`第 ${items[i]!.firstPage + k} 页（序号 ${i + 1}）：${img.note}`] : [])) : [],
  );
  const [front, back] = await renderer.render([
    { name: '封面和卷内文件目录', bytes: await coverAndContents(request.cover, items) },
    {
      name: '卷内备考表',
      bytes: await remarks({
        items: items.length,
        pages: numberedPages,
        documents: items.filter((i) => i.source === 'document').length,
        materials: items.filter((i) => i.source === 'material').length,
        rendered: [...(usedRenderings.length > 0 ? [`${usedRenderings.join('；')}；原件及其摘要（SHA-256、SM3）见移交包清单。`] : []), ...pageNotes],
        withdrawn: request.withdrawn,
        boundBy: request.boundBy,
        boundOn: request.boundOn,
      }),
    },
  ]);
  const frontDoc = await PDFDocument.load(front!, { updateMetadata: false });
  const backDoc = await PDFDocument.load(back!, { updateMetadata: false });

  const out = await PDFDocument.create({ updateMetadata: false });
  out.registerFontkit(fontkit);
  const font = await out.embedFont(numberFont(), { subset: true });
  const copy = async (doc: PDFDocument) => (await out.copyPages(doc, doc.getPageIndices())).map((p) => out.addPage(p));
  await copy(frontDoc);
  let pageNumber = 0;
  const number = (page: PDFPage) => {
    pageNumber += 1;
    const text = String(pageNumber);
    const size = 12;
    // 卷内文件 page numbers at the top right (GB/T 9705-2008 4.4), 10 mm in from the edges.
    page.drawText(text, { x: page.getWidth() - 10 * MM - font.widthOfTextAtSize(text, size), y: page.getHeight() - 10 * MM - size, size, font, color: rgb(0, 0, 0) });
  };
  for (const item of prepared) {
    if (item.kind === 'pages') for (const page of await copy(item.doc)) number(page);
    else await placeImages(out, item.images, number);
  }
  await copy(backDoc);

  // PDF/A-2b: the output intent (sRGB, from LibreOffice's own PDF/A), XMP identification matching the document information, a file identifier.
  const intents = frontDoc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
  out.catalog.set(PDFName.of('OutputIntents'), PDFObjectCopier.for(frontDoc.context, out.context).copy(intents));
  const title = request.cover.title;
  out.setTitle(title);
  out.setAuthor(request.cover.unit);
  out.setProducer('rongcuo');
  out.setCreator('rongcuo');
  out.setCreationDate(request.now);
  out.setModificationDate(request.now);
  out.catalog.set(PDFName.of('Metadata'), out.context.register(out.context.stream(Buffer.from(xmp(title, request.cover.unit, request.now), 'utf8'), { Type: 'Metadata', Subtype: 'XML' })));
  const id = PDFHexString.of(createHash('md5').update(`${title}\u0000${request.now.toISOString()}`).digest('hex'));
  out.context.trailerInfo.ID = out.context.obj([id, id]);
  const pdf = Buffer.from(await out.save({ useObjectStreams: false }));
  const validation = await checkPdfA(pdf);
  return { pdf, pages: out.getPageCount(), contents: { title, numberedPages, items, withdrawn: request.withdrawn, boundBy: request.boundBy }, validation };
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** XMP identifying the file as PDF/A-2B, with the same title, author, dates and producer as its document information. */
function xmp(title: string, author: string, now: Date): string {
  // The document information's dates are written to the second; so are these, with the same zone.
  const iso = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"><pdfaid:part>2</pdfaid:part><pdfaid:conformance>B</pdfaid:conformance></rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:format>application/pdf</dc:format><dc:title><rdf:Alt><rdf:li xml:lang="x-default">${xmlText(title)}</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>${xmlText(author)}</rdf:li></rdf:Seq></dc:creator></rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/"><xmp:CreateDate>${iso}</xmp:CreateDate><xmp:ModifyDate>${iso}</xmp:ModifyDate><xmp:CreatorTool>rongcuo</xmp:CreatorTool></rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/"><pdf:Producer>rongcuo</pdf:Producer></rdf:Description>
</rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`;
}

/** Binds the file; a first attempt that fails the PDF/A check is bound again with every material as page images. */
export async function bindCaseFile(request: BindRequest, renderer: ArchivalRenderer): Promise<BoundPdf> {
  const first = await bindOnce(request, renderer, false);
  if (first.validation.compliant) return first;
  const second = await bindOnce(request, renderer, true);
  if (second.validation.compliant) return second;
  throw new BoundFileNotPdfA(`the bound file fails ${second.validation.profile} (${second.validation.validator}): ${second.validation.failures.slice(0, 3).join('; ')}`);
}
