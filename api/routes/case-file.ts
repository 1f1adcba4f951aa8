/**
 * The bound case file (案卷, bound at 建档 as one PDF/A) and its export for
 * transfer to the archives office: a zip of the bound PDF, every original
 * and a manifest (JSON) of their digests and provenance. Both answer from the
 * archive database alone, so a closed case is readable and exportable
 * whatever Temporal still keeps of it.
 */
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import type { Client } from '@temporalio/client';
import type { CaseState } from '../../domain/case/contract';
import { materialKindLabel } from '../../domain/case/materials';
import type { PayloadKeyring } from '../../services/codec/keys';
import { MATERIAL_FORMATS } from '../../services/casefile/file-types';
import { materialKindsOfCase } from '../../services/casefile/rulebook-of-case';
import { writeZip } from '../../services/casefile/zip';
import { boundFilePdf, findBoundFile, type BoundFileRecord } from '../../store/bound-files';
import type { Db } from '../../store/db';
import { archivalFile, documentFile, documentsOfCase } from '../../store/documents';
import { materialFile, materialsOfCase } from '../../store/materials';
import { sm3Hex } from '../../store/documents';
import { checkCaseFileAccess } from '../case-file-access';
import { loadCase } from '../case-access';
import { Problem } from '../problem';
import { route, type RouteSpec } from '../registry';
import { caseIdParams } from '../schemas';

export interface CaseFileRoutesDeps {
  db: Db;
  client: Client;
  payloadKeys: PayloadKeyring;
  stepWaitMs?: number | undefined;
  onIntegrityFailure?: (caseId: string) => void;
}

const PDF = 'application/pdf';
const ZIP = 'application/zip';
const problem = (description: string) => ({ description, schema: 'problem' as const });

const notBound = (state: CaseState) =>
  state.closed
    ? new Problem({
        status: 404,
        code: 'bound_file_pending',
        title: 'Case file not bound yet',
        detail: { zh: `案件 ${state.caseId} 已终结，案卷正在装订，请稍后再试`, en: `Case ${state.caseId} is closed and its file is being bound; try again shortly` },
        retryAfterSeconds: 30,
      })
    : new Problem({
        status: 409,
        code: 'case_not_closed',
        title: 'Case file not bound',
        detail: { zh: `案件 ${state.caseId} 尚未终结：案卷在建档时装订`, en: `Case ${state.caseId} is still running: its file is bound when it is archived (建档)` },
      });

const integrity = (caseId: string) =>
  new Problem({
    status: 500,
    code: 'bound_file_integrity',
    title: 'Bound file integrity failure',
    detail: { zh: `案件 ${caseId} 的装订案卷与装订时记录的摘要（SHA-256、SM3）不符，已报告，不予提供`, en: `The bound file of case ${caseId} no longer matches the digests (SHA-256, SM3) recorded when it was bound; it was reported and is not served` },
  });

/** The bound file's record as the API and the dossier show it. */
export function boundFileView(record: BoundFileRecord) {
  return { ...record, href: `/v1/cases/${record.caseId}/bound-file` };
}

/** File names inside the export: no path separators or control characters from a title. */
const safeName = (name: string) => name.replace(/[\u0000-\u001f/\\:*?"<>|]/g, '_').slice(0, 80);
const digests = (bytes: Buffer) => ({ sha256: createHash('sha256').update(bytes).digest('hex'), sm3: sm3Hex(bytes) });

export function caseFileRoutes(deps: CaseFileRoutesDeps): RouteSpec[] {
  const boundCase = async (id: string, user: Parameters<typeof loadCase>[2], operation: 'readBoundFile' | 'exportCaseFile') => {
    const state = await loadCase(deps, id, user);
    checkCaseFileAccess(state, user, operation);
    const record = await findBoundFile(deps.db, id);
    if (!record) throw notBound(state);
    const pdf = await boundFilePdf(deps.db, deps.payloadKeys, id);
    if (!pdf?.intact) {
      deps.onIntegrityFailure?.(id);
      throw integrity(id);
    }
    return { state, record, pdf: pdf.bytes };
  };

  return [
    route({
      method: 'get',
      path: '/v1/cases/{id}/bound-file',
      operationId: 'getBoundFile',
      summary: '装订案卷 The bound case file: one PDF/A (cover, 卷内目录, every document and material in the order of the procedure, page-numbered through, 备考表); with Accept: application/json, its contents and PDF/A check',
      description:
        'Bound when the case closes (建档), after the archival copies of its documents: GB/T 9705-2008 for the cover, the 卷内目录 and the 备考表, DA/T 22-2015 for what each holds (README, The case file). X-Content-SHA256 and X-Content-SM3 carry the digests recorded at binding, which the dossier holds too; a stored file that no longer matches is reported (500), never served.',
      tags: ['case file'],
      access: { kind: 'roles', roles: ['officer', 'supervisor', 'auditor', 'admin'] },
      params: caseIdParams,
      responses: {
        200: { description: 'The bound PDF/A, or (JSON) what it holds with page numbers and how it was checked', contentType: [PDF, 'application/json'] },
        403: problem('The caller is recused from the case'),
        404: problem('No such case for this caller, or it closed and its file is still being bound (Retry-After)'),
        409: problem('The case is still running: its file is bound at 建档'),
        500: problem('The stored file no longer matches its digests'),
      },
      async handle({ params, user, req, res }) {
        res.locals.caseId = params.id;
        const { record, pdf } = await boundCase(params.id, user, 'readBoundFile');
        res.set('Vary', 'Accept');
        if (req.accepts([PDF, 'application/json']) === 'application/json') return void res.json(boundFileView(record));
        res
          .status(200)
          .type(PDF)
          .set('X-Content-SHA256', record.sha256)
          .set('X-Content-SM3', record.sm3)
          .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${record.contents.title}.pdf`)}`)
          .send(pdf);
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/{id}/export',
      operationId: 'exportCaseFile',
      summary: '案卷移交 Export the case file for the archives office: a zip of the bound PDF, every original (documents, materials, withdrawn ones apart) and manifest.json with each item’s digests and provenance',
      tags: ['case file'],
      access: { kind: 'roles', roles: ['officer', 'supervisor', 'auditor', 'admin'] },
      params: caseIdParams,
      responses: {
        200: { description: 'The zip', contentType: ZIP, schema: { type: 'string', format: 'binary' } },
        403: problem('The caller may not export this case’s file (recused, or the case’s own party)'),
        404: problem('No such case for this caller, or its file is still being bound'),
        409: problem('The case is still running'),
        500: problem('A stored file no longer matches its digests'),
      },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        const { state, record, pdf } = await boundCase(params.id, user, 'exportCaseFile');
        const kinds = materialKindsOfCase(state);
        const entries: { name: string; bytes: Buffer }[] = [{ name: `${safeName(record.contents.title)}.pdf`, bytes: pdf }];
        const sequenceOf = new Map(record.contents.items.map((i) => [i.id, i]));
        const documents = [];
        for (const doc of await documentsOfCase(deps.db, params.id)) {
          const item = sequenceOf.get(doc.documentId);
          const prefix = item ? String(item.sequence).padStart(3, '0') : 'x';
          const files = [];
          for (const [file, ext] of [[await documentFile(deps.db, doc.documentId), 'docx'], [await archivalFile(deps.db, doc.documentId), 'pdf']] as const) {
            if (!file) continue;
            if (!file.intact) {
              deps.onIntegrityFailure?.(params.id);
              throw integrity(params.id);
            }
            const name = `originals/documents/${prefix}-${safeName(`${doc.number}${doc.title}`)}.${ext}`;
            entries.push({ name, bytes: file.bytes });
            files.push({ path: name, mediaType: file.mediaType, ...digests(file.bytes) });
          }
          documents.push({ documentId: doc.documentId, number: doc.number, title: doc.title, kind: doc.kind, issuedAt: doc.issuedAt, article: doc.article, sequence: item?.sequence ?? null, pages: item ? [item.firstPage, item.lastPage] : null, files });
        }
        const materials = [];
        for (const m of await materialsOfCase(deps.db, params.id)) {
          const file = await materialFile(deps.db, deps.payloadKeys, m);
          if (!file.intact) {
            deps.onIntegrityFailure?.(params.id);
            throw integrity(params.id);
          }
          const item = sequenceOf.get(m.materialId);
          const folder = m.withdrawal ? 'originals/withdrawn' : 'originals/materials';
          const name = `${folder}/${item ? String(item.sequence).padStart(3, '0') : m.materialId.slice(0, 8)}-${safeName(m.title)}.${MATERIAL_FORMATS[m.format].extension}`;
          entries.push({ name, bytes: file.bytes });
          materials.push({
            materialId: m.materialId,
            kind: m.kind,
            kindLabel: materialKindLabel(m.kind, kinds),
            title: m.title,
            source: m.source,
            obtainedBy: m.obtainedBy,
            originalDate: m.originalDate,
            fileName: m.fileName,
            mediaType: m.mediaType,
            sizeBytes: m.sizeBytes,
            sha256: m.sha256,
            sm3: m.sm3,
            uploadedBy: m.uploadedBy,
            uploadedAt: m.uploadedAt,
            withdrawal: m.withdrawal,
            sequence: item?.sequence ?? null,
            pages: item ? [item.firstPage, item.lastPage] : null,
            path: name,
          });
        }
        const manifest = {
          format: 'rongcuo-case-file/1',
          caseId: state.caseId,
          authority: state.authority,
          jurisdiction: state.jurisdiction,
          rulebook: { version: state.rulebookVersion, revision: state.rulebookRevision ?? null },
          outcome: state.outcome ?? null,
          archive: state.archive ? { archivedOn: state.archive.archivedOn, reference: state.archive.reference, archivedBy: state.archive.archivedBy.name } : null,
          boundFile: { path: entries[0]!.name, sha256: record.sha256, sm3: record.sm3, pages: record.pages, boundAt: record.boundAt, validation: record.validation, contents: record.contents.items },
          documents,
          materials,
          exportedAt: new Date().toISOString(),
          exportedBy: { sub: user.sub, name: user.name },
        };
        entries.push({ name: 'manifest.json', bytes: Buffer.from(JSON.stringify(manifest, null, 2), 'utf8') });
        const zip = writeZip(entries, (b) => deflateRawSync(b));
        res
          .status(200)
          .type(ZIP)
          .set('X-Content-SHA256', createHash('sha256').update(zip).digest('hex'))
          .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(`${state.caseId}-案卷.zip`)}`)
          .send(zip);
      },
    }),
  ];
}
