/**
 * Reading an upload (multipart/form-data): one file part and a few short
 * text fields, with hard limits, so an upload that is too large is answered
 * 413 as soon as it passes the limit, and nothing is kept of it. Read only
 * after the route has authorised the caller (registry.ts), so a caller who
 * may not upload learns nothing from validating the upload and sends no
 * megabytes for nothing.
 */
import busboy from 'busboy';
import type { Request } from 'express';
import { fieldsProblem, Problem } from './problem';

export interface UploadedFile {
  /** The part's name as the client sent it (kept for the export; never used to decide the type). */
  fileName: string;
  bytes: Buffer;
}

export interface MultipartSpec {
  /** The name of the file part. */
  file: string;
  /** The largest file accepted; beyond, 413. */
  maxFileBytes: number;
}

const MAX_FIELDS = 20;
const MAX_FIELD_BYTES = 20_000;

export const fileTooLarge = (limitBytes: number, what: { zh: string; en: string } = { zh: '单个文件', en: 'one file' }) =>
  new Problem({
    status: 413,
    code: 'material_too_large',
    title: 'File too large',
    detail: { zh: `${what.zh}不得超过 ${megabytes(limitBytes)}`, en: `${what.en} may be at most ${megabytes(limitBytes)}` },
    errors: [{ field: 'body.file', message: `must be at most ${limitBytes} bytes` }],
    extensions: { limitBytes },
  });

export const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;

/** The fields (as strings) and the one file of a multipart body; problems for anything else. */
export function readMultipart(req: Request, spec: MultipartSpec): Promise<{ fields: Record<string, string>; file: UploadedFile | undefined }> {
  if (!req.is('multipart/form-data')) {
    return Promise.reject(
      new Problem({ status: 415, code: 'unsupported_media_type', title: 'Unsupported media type', detail: { zh: '请求体须为 multipart/form-data', en: 'The request body must be multipart/form-data' } }),
    );
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: spec.maxFileBytes, fields: MAX_FIELDS, fieldSize: MAX_FIELD_BYTES, parts: MAX_FIELDS + 1 }, defParamCharset: 'utf8' });
    } catch {
      reject(fieldsProblem([{ field: 'headers.Content-Type', message: 'is multipart/form-data without a boundary' }]));
      return;
    }
    const fields: Record<string, string> = {};
    let file: UploadedFile | undefined;
    let failed: Problem | undefined;
    let pending = 0;
    let finished = false;
    const fail = (problem: Problem) => {
      if (failed) return;
      failed = problem;
      req.unpipe(parser);
      // Read and drop the rest, so the answer reaches a client still sending.
      req.resume();
      reject(problem);
    };
    const done = () => {
      if (finished && pending === 0 && !failed) resolve({ fields, file });
    };
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(fieldsProblem([{ field: `body.${name}`, message: `must be at most ${MAX_FIELD_BYTES} bytes` }]));
      if (Object.hasOwn(fields, name)) return fail(fieldsProblem([{ field: `body.${name}`, message: 'is given twice' }]));
      fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== spec.file || file) {
        stream.resume();
        return fail(fieldsProblem([{ field: `body.${name}`, message: name === spec.file ? 'only one file per upload' : `is not a part of this upload (the file goes in "${spec.file}")` }]));
      }
      pending += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => fail(fileTooLarge(spec.maxFileBytes)));
      stream.on('end', () => {
        pending -= 1;
        if (!failed) file = { fileName: info.filename ?? '', bytes: Buffer.concat(chunks) };
        done();
      });
    });
    parser.on('filesLimit', () => fail(fieldsProblem([{ field: `body.${spec.file}`, message: 'only one file per upload' }])));
    parser.on('fieldsLimit', () => fail(fieldsProblem([{ field: 'body', message: `at most ${MAX_FIELDS} fields` }])));
    parser.on('partsLimit', () => fail(fieldsProblem([{ field: 'body', message: `at most ${MAX_FIELDS + 1} parts` }])));
    parser.on('error', () => fail(fieldsProblem([{ field: 'body', message: 'is not a well-formed multipart/form-data body' }])));
    parser.on('close', () => {
      finished = true;
      done();
    });
    req.on('aborted', () => fail(fieldsProblem([{ field: 'body', message: 'the upload was cut off' }])));
    req.pipe(parser);
  });
}
