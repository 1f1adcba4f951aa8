/**
 * What a PDF holds besides its pages: JavaScript, embedded files, launch
 * actions. The case file takes none of them (a scan has no business running
 * code or carrying files the file's list does not show, and PDF/A forbids
 * both), so an upload that has any is refused, naming what it found; it is
 * never stripped, since a stripped file is no longer the one the party gave.
 *
 * The check reads the objects the way a viewer would find them: the file's
 * own text outside stream data, and the objects packed into compressed object
 * streams (/Type /ObjStm), whose names are written with #xx escapes decoded
 * (/J#61vaScript is /JavaScript). Image and page content streams are not read
 * as objects, so bytes of a scan cannot look like a name.
 */
import { inflateSync } from 'node:zlib';

/** Names whose presence makes a PDF active or a container, with what the problem says of each. */
const ACTIVE_NAMES: Record<string, { zh: string; en: string }> = {
  JavaScript: { zh: 'JavaScript 脚本', en: 'JavaScript' },
  JS: { zh: 'JavaScript 脚本', en: 'JavaScript' },
  EmbeddedFile: { zh: '嵌入文件', en: 'an embedded file' },
  EmbeddedFiles: { zh: '嵌入文件', en: 'an embedded file' },
  Launch: { zh: '启动外部程序的动作（Launch）', en: 'a launch action' },
  RichMedia: { zh: '富媒体（RichMedia）', en: 'rich media' },
  XFA: { zh: 'XFA 动态表单', en: 'an XFA form' },
};

export interface PdfFindings {
  /** The active names found, e.g. ['JavaScript', 'EmbeddedFile']. */
  active: string[];
  /** The file is encrypted: it cannot be inspected (and PDF/A forbids encryption). */
  encrypted: boolean;
  /** Object streams that could not be decoded, so their objects could not be inspected. */
  unreadableObjectStreams: number;
}

/** Everything an object stream may inflate to, in all: more is not inspected, and so refused. */
const MAX_INFLATED_OBJECT_STREAMS = 64 * 1024 * 1024;

/** `/Name` tokens of PDF text, #xx escapes decoded. */
function namesIn(text: string): Set<string> {
  const found = new Set<string>();
  for (const match of text.matchAll(/\/([^\s/<>[\]{}()%]+)/g)) {
    const name = match[1]!.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (Object.hasOwn(ACTIVE_NAMES, name)) found.add(name);
    if (name === 'Encrypt') found.add(name);
  }
  return found;
}

export function inspectPdf(pdf: Buffer): PdfFindings {
  // latin1 keeps one character per byte, so offsets and names read as they are in the file.
  const text = pdf.toString('latin1');
  const outside: string[] = [];
  const objectStreams: { dict: string; data: Buffer }[] = [];
  let at = 0;
  for (;;) {
    const start = text.indexOf('stream', at);
    if (start < 0) {
      outside.push(text.slice(at));
      break;
    }
    // `endstream` also contains `stream`: only a keyword that begins a stream's data counts.
    if (text.startsWith('end', start - 3)) {
      outside.push(text.slice(at, start + 6));
      at = start + 6;
      continue;
    }
    outside.push(text.slice(at, start));
    let dataStart = start + 6;
    if (text[dataStart] === '\r') dataStart += 1;
    if (text[dataStart] === '\n') dataStart += 1;
    const end = text.indexOf('endstream', dataStart);
    const dataEnd = end < 0 ? text.length : end;
    // The stream's dictionary: from its object's `obj` keyword (a nested dictionary has its own `<<`).
    const objStart = text.lastIndexOf('obj', start);
    const dict = objStart >= 0 ? text.slice(objStart, start) : '';
    if (/\/Type\s*\/ObjStm/.test(dict)) objectStreams.push({ dict, data: pdf.subarray(dataStart, dataEnd) });
    at = end < 0 ? text.length : end + 9;
  }
  const names = namesIn(outside.join(' '));
  let unreadable = 0;
  let budget = MAX_INFLATED_OBJECT_STREAMS;
  for (const stream of objectStreams) {
    const filters = [...stream.dict.matchAll(/\/(FlateDecode|Fl)\b/g)].length;
    const other = /\/Filter\s*(\[[^\]]*\]|\/\w+)/.exec(stream.dict)?.[1]?.replace(/\/(FlateDecode|Fl)\b/g, '').match(/\/\w+/);
    if (other || filters > 1) {
      unreadable += 1;
      continue;
    }
    const inflated = filters === 1 ? inflateBounded(streamData(stream), Math.max(budget, 1)) : stream.data;
    if (!inflated) {
      unreadable += 1;
      continue;
    }
    budget -= inflated.length;
    for (const name of namesIn(inflated.toString('latin1'))) names.add(name);
  }
  const encrypted = names.delete('Encrypt');
  return { active: [...names], encrypted, unreadableObjectStreams: unreadable };
}

/**
 * A stream's data: as long as its dictionary's /Length says, where that is a number; otherwise up to
 * `endstream`, whose end-of-line (not part of the data) inflate ignores as bytes after the stream's end.
 * Never trimmed by content: compressed data may end in a byte that reads as a line break.
 */
function streamData(stream: { dict: string; data: Buffer }): Buffer {
  const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(stream.dict)?.[1];
  return length !== undefined && Number(length) <= stream.data.length ? stream.data.subarray(0, Number(length)) : stream.data;
}

function inflateBounded(data: Buffer, maxOutputLength: number): Buffer | undefined {
  try {
    return inflateSync(data, { maxOutputLength });
  } catch {
    return undefined;
  }
}

/** What each finding is called in a problem, without repeats (JS and JavaScript are one thing). */
export function describeFindings(active: string[]): { zh: string; en: string } {
  const described = [...new Map(active.map((n) => [ACTIVE_NAMES[n]!.en, ACTIVE_NAMES[n]!])).values()];
  return { zh: described.map((d) => d.zh).join('、'), en: described.map((d) => d.en).join(', ') };
}
