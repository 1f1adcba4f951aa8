/**
 * The pages of an OFD file (GB/T 33190-2016) as images placed on pages, for
 * the bound file. LibreOffice has no OFD import, and OFD files that reach a
 * case file are scans (a scanner or a 版式 archive writes each page as one
 * image object), so this reads what such a file holds: the document root,
 * its pages and page areas, and the image objects of each page's layers with
 * their boundaries, in millimetres from the top left. A page that also holds
 * text or vector objects is marked, and the bound file says so on the page:
 * its images are shown, its text is not (the original is in the export).
 */
import path from 'node:path/posix';
import { readZip, type ZipEntry } from './zip';

export interface OfdImage {
  bytes: Buffer;
  /** Boundary in millimetres, from the page's top left. */
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface OfdPage {
  /** Millimetres. */
  width: number;
  height: number;
  images: OfdImage[];
  /** The page holds text or vector objects that are not drawn. */
  notDrawn: boolean;
}

export class OfdUnreadable extends Error {
  override name = 'OfdUnreadable';
}

const attr = (tag: string, name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(tag)?.[1];
const element = (xml: string, name: string) => new RegExp(`<(?:\\w+:)?${name}\\b[^>]*>([\\s\\S]*?)</(?:\\w+:)?${name}>`).exec(xml)?.[1]?.trim();
const box = (text: string | undefined) => {
  const n = (text ?? '').trim().split(/\s+/).map(Number);
  return n.length === 4 && n.every(Number.isFinite) ? { x: n[0]!, y: n[1]!, width: n[2]!, height: n[3]! } : undefined;
};

export function ofdPages(ofd: Buffer): OfdPage[] {
  const entries = new Map<string, ZipEntry>(readZip(ofd).map((e) => [e.name.replace(/^\/+/, ''), e]));
  const read = (name: string) => {
    const entry = entries.get(path.normalize(name).replace(/^\/+/, ''));
    if (!entry) throw new OfdUnreadable(`the OFD has no part ${name}`);
    return entry.bytes;
  };
  const root = read('OFD.xml').toString('utf8');
  const docRoot = element(root, 'DocRoot');
  if (!docRoot) throw new OfdUnreadable('OFD.xml names no DocRoot');
  const docDir = path.dirname(docRoot);
  const document = read(docRoot).toString('utf8');
  const defaultArea = box(element(element(document, 'PageArea') ?? '', 'PhysicalBox')) ?? { x: 0, y: 0, width: 210, height: 297 };

  // MultiMedia resources by id, from the document's and the public resource files.
  const media = new Map<string, string>();
  for (const tag of ['DocumentRes', 'PublicRes']) {
    for (const match of document.matchAll(new RegExp(`<(?:\\w+:)?${tag}>([^<]+)</(?:\\w+:)?${tag}>`, 'g'))) {
      const resPath = path.join(docDir, match[1]!.trim());
      const res = read(resPath).toString('utf8');
      const base = path.join(path.dirname(resPath), attr(/<(?:\w+:)?Res\b[^>]*>/.exec(res)?.[0] ?? '', 'BaseLoc') ?? '');
      for (const mm of res.matchAll(/<(?:\w+:)?MultiMedia\b([^>]*)>([\s\S]*?)<\/(?:\w+:)?MultiMedia>/g)) {
        const id = attr(mm[1]!, 'ID');
        const file = element(mm[2]!, 'MediaFile');
        if (id && file) media.set(id, file.startsWith('/') ? file.slice(1) : path.join(base, file));
      }
    }
  }

  const pages: OfdPage[] = [];
  for (const pageTag of document.matchAll(/<(?:\w+:)?Page\b[^>]*\bBaseLoc\s*=\s*"([^"]*)"[^>]*\/?>/g)) {
    const content = read(path.join(docDir, pageTag[1]!)).toString('utf8');
    const area = box(element(element(content, 'Area') ?? '', 'PhysicalBox')) ?? defaultArea;
    const images: OfdImage[] = [];
    for (const img of content.matchAll(/<(?:\w+:)?ImageObject\b[^>]*>/g)) {
      const resource = attr(img[0], 'ResourceID');
      const where = box(attr(img[0], 'Boundary'));
      const file = resource ? media.get(resource) : undefined;
      if (!where || !file) continue;
      images.push({ bytes: read(file), ...where });
    }
    const notDrawn = /<(?:\w+:)?(TextObject|PathObject|CompositeObject)\b/.test(content);
    pages.push({ width: area.width, height: area.height, images, notDrawn });
  }
  if (pages.length === 0) throw new OfdUnreadable('the OFD has no pages');
  return pages;
}
