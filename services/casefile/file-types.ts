/**
 * Which files a case file takes, recognised by what they are (their first
 * bytes and, for the ZIP-based formats, their parts), never by their name or
 * the type a browser sent: PDF, JPEG, PNG, TIFF, Word (.docx) and OFD
 * (GB/T 33190-2016, the national fixed-layout format). Anything else is
 * refused (415), as is a file of an accepted type that is unsafe to keep or
 * render: a PDF with JavaScript or an embedded file, an encrypted PDF, a
 * .docx or .ofd that is a zip bomb, a .docx with macros or with parts it
 * would fetch from elsewhere when rendered.
 */
import { describeFindings, inspectPdf } from './pdf-content';
import { readZip, ZipRefused, zipNames, type ZipBounds, DEFAULT_ZIP_BOUNDS } from './zip';

export const MATERIAL_FORMATS = {
  pdf: { mediaType: 'application/pdf', extension: 'pdf', label: 'PDF' },
  jpeg: { mediaType: 'image/jpeg', extension: 'jpg', label: 'JPEG' },
  png: { mediaType: 'image/png', extension: 'png', label: 'PNG' },
  tiff: { mediaType: 'image/tiff', extension: 'tif', label: 'TIFF' },
  docx: { mediaType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', extension: 'docx', label: 'Word (.docx)' },
  ofd: { mediaType: 'application/ofd', extension: 'ofd', label: 'OFD' },
} as const;
export type MaterialFormat = keyof typeof MATERIAL_FORMATS;

/** Refused: `status` and `code` as the API answers them, and why in both languages. */
export class MaterialRefused extends Error {
  override name = 'MaterialRefused';
  constructor(
    readonly status: 415 | 422,
    readonly code: string,
    readonly why: { zh: string; en: string },
  ) {
    super(why.en);
  }
}

const starts = (bytes: Buffer, signature: number[]) => signature.every((b, i) => bytes[i] === b);

/** The format of these bytes, or undefined for one the case file does not take. */
export function sniffFormat(bytes: Buffer): MaterialFormat | undefined {
  // A PDF's header may follow up to 1,024 bytes of anything (ISO 32000-1, annex H.3).
  if (bytes.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (starts(bytes, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (starts(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (starts(bytes, [0x49, 0x49, 0x2a, 0x00]) || starts(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (starts(bytes, [0x50, 0x4b, 0x03, 0x04])) {
    let names: string[];
    try {
      names = zipNames(bytes);
    } catch {
      return undefined;
    }
    if (names.includes('[Content_Types].xml') && names.includes('word/document.xml')) return 'docx';
    if (names.includes('OFD.xml')) return 'ofd';
  }
  return undefined;
}

const accepted = Object.values(MATERIAL_FORMATS).map((f) => f.label).join('、');

/** Recognises the file and checks it is safe to keep and to render; throws MaterialRefused otherwise. */
export function checkMaterialFile(bytes: Buffer, zipBounds: ZipBounds = DEFAULT_ZIP_BOUNDS): MaterialFormat {
  const format = sniffFormat(bytes);
  if (!format) {
    throw new MaterialRefused(415, 'unsupported_material_type', {
      zh: `不接受该类型的文件：只接受 ${accepted}，按文件内容识别，不看文件名`,
      en: `This type of file is not accepted: only ${accepted}, recognised by their content, not their name`,
    });
  }
  if (format === 'pdf') checkPdf(bytes);
  if (format === 'docx' || format === 'ofd') checkContainer(bytes, format, zipBounds);
  return format;
}

function checkPdf(bytes: Buffer): void {
  const findings = inspectPdf(bytes);
  if (findings.encrypted) {
    throw new MaterialRefused(422, 'encrypted_pdf', { zh: 'PDF 文件已加密，无法检查其内容，也不能装订入卷；请上传未加密的文件', en: 'The PDF is encrypted: its content cannot be inspected nor bound into the file; upload it unencrypted' });
  }
  if (findings.active.length > 0) {
    const what = describeFindings(findings.active);
    throw new MaterialRefused(422, 'active_content', {
      zh: `PDF 含有${what.zh}，已拒收（未作删改：删改后即非原件）；请去除后重新上传`,
      en: `The PDF holds ${what.en}: refused, not stripped (a stripped file is no longer the original); remove it and upload again`,
    });
  }
  if (findings.unreadableObjectStreams > 0) {
    throw new MaterialRefused(422, 'uninspectable_pdf', {
      zh: `PDF 有 ${findings.unreadableObjectStreams} 个对象流无法解码，无法确认不含脚本或嵌入文件，已拒收`,
      en: `${findings.unreadableObjectStreams} object streams of the PDF cannot be decoded, so it cannot be shown to hold no script or embedded file: refused`,
    });
  }
}

/** Relationship types a rendered .docx may point outside itself with: links a reader follows, never content the renderer fetches. */
const EXTERNAL_ALLOWED = /\/hyperlink$/;

function checkContainer(bytes: Buffer, format: 'docx' | 'ofd', bounds: ZipBounds): void {
  let entries;
  try {
    entries = readZip(bytes, bounds);
  } catch (err) {
    if (!(err instanceof ZipRefused)) throw err;
    const label = MATERIAL_FORMATS[format].label;
    if (err.reason === 'bomb') {
      throw new MaterialRefused(422, 'zip_bomb', {
        zh: `${label} 文件解压后超出限度（${err.message}），疑为压缩炸弹，已拒收`,
        en: `The ${label} file inflates beyond the bounds (${err.message}), as a zip bomb does: refused`,
      });
    }
    throw new MaterialRefused(422, 'malformed_container', { zh: `${label} 文件结构损坏或已加密（${err.message}），已拒收`, en: `The ${label} file is broken or encrypted (${err.message}): refused` });
  }
  if (format !== 'docx') return;
  const macro = entries.find((e) => /(^|\/)vbaProject\.bin$/i.test(e.name) || /^word\/activeX\//i.test(e.name));
  if (macro) {
    throw new MaterialRefused(422, 'active_content', { zh: `Word 文件含有宏或 ActiveX 控件（${macro.name}），已拒收`, en: `The Word file holds macros or ActiveX controls (${macro.name}): refused` });
  }
  for (const rels of entries.filter((e) => e.name.endsWith('.rels'))) {
    for (const match of rels.bytes.toString('utf8').matchAll(/<Relationship\b[^>]*>/g)) {
      const tag = match[0];
      if (!/TargetMode\s*=\s*"External"/.test(tag)) continue;
      const type = /Type\s*=\s*"([^"]*)"/.exec(tag)?.[1] ?? '';
      if (!EXTERNAL_ALLOWED.test(type)) {
        throw new MaterialRefused(422, 'external_content', {
          zh: `Word 文件引用外部内容（${type.split('/').at(-1)}），渲染时会从别处获取，已拒收；请嵌入后重新上传`,
          en: `The Word file refers to outside content (${type.split('/').at(-1)}) that rendering would fetch: refused; embed it and upload again`,
        });
      }
    }
  }
}
