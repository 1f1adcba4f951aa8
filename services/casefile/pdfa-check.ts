/**
 * Whether a bound file is PDF/A-2b: checked by veraPDF, the reference
 * validator (installed from Maven Central by scripts/install-verapdf.sh into
 * .tools/verapdf), run as a process with its PDF/A-2B profile. Where veraPDF
 * is not installed (a deployment without Java), the product's own structural
 * check stands in and says so in the record: the XMP identification as
 * PDF/A-2B, an output intent with its ICC profile, a file identifier, no
 * encryption, every font embedded, no JavaScript or embedded files. That
 * check is narrower than veraPDF's 100-odd rules and the record names it, so
 * no one mistakes one for the other.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef } from 'pdf-lib';
import type { PdfaValidation } from '../../store/bound-files';
import { inspectPdf } from './pdf-content';

export const VERAPDF_VERSION = '1.28.2';

/** The folder of veraPDF's jars: .tools/verapdf/<version>/lib of the checkout (or image) this code runs from. */
export function veraPdfLib(): string | undefined {
  for (let dir = __dirname; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const lib = path.join(dir, '.tools', 'verapdf', VERAPDF_VERSION, 'lib');
    if (fs.existsSync(path.join(lib, `greenfield-apps-${VERAPDF_VERSION}.jar`))) return lib;
  }
  return undefined;
}

function runJava(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** veraPDF's verdict on the file, or undefined where veraPDF is not installed. */
export async function veraPdf(pdf: Buffer, timeoutMs = 180_000): Promise<PdfaValidation | undefined> {
  const lib = veraPdfLib();
  if (!lib) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-verapdf-'));
  try {
    const file = path.join(dir, 'bound.pdf');
    fs.writeFileSync(file, pdf);
    // A small heap: the reports are small, and the machine is shared with the worker and LibreOffice.
    const result = await runJava(['-Xmx512m', '-cp', `${lib}/*`, 'org.verapdf.apps.GreenfieldCliWrapper', '--flavour', '2b', '--format', 'xml', '--maxfailuresdisplayed', '5', file], timeoutMs).catch(() => undefined);
    if (!result) return undefined;
    const compliant = /isCompliant="(true|false)"/.exec(result.stdout)?.[1];
    if (!compliant) throw new Error(`veraPDF gave no verdict (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(-300)}`);
    const failures = [...result.stdout.matchAll(/<rule [^>]*clause="([^"]*)"[^>]*testNumber="([^"]*)"[^>]*status="failed"[^>]*>\s*<description>([^<]*)<\/description>/g)].map(
      (m) => `ISO 19005-2 ${m[1]} t${m[2]}: ${m[3]!.trim()}`,
    );
    return { validator: `veraPDF ${VERAPDF_VERSION}`, profile: 'PDF/A-2B', compliant: compliant === 'true', failures };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The product's structural check of PDF/A-2b, for where veraPDF is not installed. */
export async function structuralPdfaCheck(pdf: Buffer): Promise<PdfaValidation> {
  const failures: string[] = [];
  const findings = inspectPdf(pdf);
  if (findings.encrypted) failures.push('6.1.3: the file is encrypted');
  if (findings.active.length > 0) failures.push(`6.6.1/6.8: the file holds ${findings.active.join(', ')}`);
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  if (!doc.context.trailerInfo.ID) failures.push('6.1.3: the trailer has no file identifier (ID)');
  const metadata = doc.catalog.lookup(PDFName.of('Metadata'));
  const xmp = metadata instanceof PDFRawStream ? Buffer.from(metadata.contents).toString('utf8') : '';
  if (!/pdfaid:part(>|="|=')2/.test(xmp) || !/pdfaid:conformance(>|="|=')B/.test(xmp)) failures.push('6.6.4: the XMP metadata does not identify the file as PDF/A-2B');
  const intents = doc.catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray);
  const intent = intents?.lookupMaybe(0, PDFDict);
  if (!(intent?.lookup(PDFName.of('DestOutputProfile')) instanceof PDFRawStream)) failures.push('6.2.3: no output intent with an ICC profile');
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.lookupMaybe(PDFName.of('Type'), PDFName) !== PDFName.of('Font')) continue;
    const subtype = object.lookupMaybe(PDFName.of('Subtype'), PDFName);
    if (subtype === PDFName.of('Type3') || subtype === PDFName.of('Type0')) continue;
    const descriptor = object.lookupMaybe(PDFName.of('FontDescriptor'), PDFDict);
    const embedded = descriptor && ['FontFile', 'FontFile2', 'FontFile3'].some((k) => descriptor.get(PDFName.of(k)) instanceof PDFRef);
    if (!embedded) failures.push(`6.2.11.4: font ${object.lookupMaybe(PDFName.of('BaseFont'), PDFName)?.asString() ?? '?'} is not embedded`);
  }
  return { validator: 'rongcuo structural check (veraPDF not installed)', profile: 'PDF/A-2B', compliant: failures.length === 0, failures };
}

/** veraPDF where it is installed, the structural check otherwise. */
export async function checkPdfA(pdf: Buffer): Promise<PdfaValidation> {
  return (await veraPdf(pdf)) ?? structuralPdfaCheck(pdf);
}
