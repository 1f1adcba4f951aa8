import { strFromU8, unzipSync } from 'fflate';

/** The text of a .docx, its runs joined in order: what a reader of the document sees, without the layout. */
export function docxText(bytes: Uint8Array): string {
  const body = strFromU8(unzipSync(new Uint8Array(bytes))['word/document.xml']!);
  return [...body.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}
