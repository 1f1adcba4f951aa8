/**
 * The materials of a case's file: upload (multipart/form-data), list,
 * download with its digests checked on the way out, and withdrawal by staff
 * with a reason (the file stays on file, marked).
 */
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { CaseState } from '../../domain/case/contract';
import { KINDS_WITH_PROVENANCE, MATERIAL_KIND_PATTERN, MATERIAL_KINDS, materialKindLabel } from '../../domain/case/materials';
import type { PayloadKeyring } from '../../services/codec/keys';
import { checkMaterialFile, MATERIAL_FORMATS, MaterialRefused } from '../../services/casefile/file-types';
import { materialKindsOfCase } from '../../services/casefile/rulebook-of-case';
import { isCaseFileBound } from '../../store/bound-files';
import type { Db } from '../../store/db';
import { CaseFileBound, CaseMaterialsFull, findMaterial, materialFile, materialsOfCase, recordMaterial, withdrawMaterial, type MaterialRecord } from '../../store/materials';
import { checkCaseFileAccess } from '../case-file-access';
import { loadCase } from '../case-access';
import { fileTooLarge, megabytes } from '../multipart';
import { fieldsProblem, Problem, problems } from '../problem';
import { route, type RouteSpec } from '../registry';
import { caseIdParams, pastDateSchema, text } from '../schemas';

export interface MaterialLimits {
  /** The largest file one upload may carry (MATERIAL_MAX_MB). */
  maxFileBytes: number;
  /** What all of a case's materials together may hold (CASE_MATERIALS_MAX_MB), withdrawn ones included. */
  maxCaseBytes: number;
}

export const DEFAULT_MATERIAL_LIMITS: MaterialLimits = { maxFileBytes: 20 * 1024 * 1024, maxCaseBytes: 500 * 1024 * 1024 };

export interface MaterialRoutesDeps {
  db: Db;
  client: Client;
  payloadKeys: PayloadKeyring;
  limits: MaterialLimits;
  baseUrl: string;
  stepWaitMs?: number | undefined;
  onIntegrityFailure?: (materialId: string) => void;
}

const problem = (description: string) => ({ description, schema: 'problem' as const });

/** The upload's text fields; the file is the part `file`. */
export const materialFields = z
  .object({
    kind: z.string().regex(MATERIAL_KIND_PATTERN, `is not a kind of material: ${Object.keys(MATERIAL_KINDS).join(', ')}, or one the case's rulebook names (materialKinds)`),
    title: text(200),
    /** 来源: where it came from (the body or person that held it). Required for evidence. */
    source: text(500).optional(),
    /** 调取过程: how it was obtained. Required for evidence (写明调取过程和来源). */
    obtainedBy: text(2000).optional(),
    /** The date of the original. */
    originalDate: pastDateSchema.optional(),
  })
  .strict()
  .superRefine((fields, ctx) => {
    if (!KINDS_WITH_PROVENANCE.includes(fields.kind)) return;
    if (!fields.source) ctx.addIssue({ code: 'custom', path: ['source'], message: 'is required for evidence: where it came from (来源)' });
    if (!fields.obtainedBy) ctx.addIssue({ code: 'custom', path: ['obtainedBy'], message: 'is required for evidence: how it was obtained (调取过程)' });
  });

const materialParams = z.object({ id: z.uuid('is not a material id') });

export const caseClosedForMaterials = (id: string) =>
  new Problem({ status: 409, code: 'case_closed', title: 'Case closed', detail: { zh: `案件 ${id} 已终结，案卷已装订或正在装订，不再接收或撤回材料`, en: `Case ${id} is closed: its file is bound or being bound, and takes or withdraws no materials` } });

/** A material as the API shows it, with where to download it. */
export function materialView(m: MaterialRecord, rulebookKinds: readonly { id: string; label: string }[] = []) {
  return { ...m, kindLabel: materialKindLabel(m.kind, rulebookKinds), href: `/v1/materials/${m.materialId}` };
}

export function materialRoutes(deps: MaterialRoutesDeps): RouteSpec[] {
  /** The case of a material, as the caller may see it; another authority's material is indistinguishable from none. */
  const caseOfMaterial = async (id: string, user: Parameters<typeof loadCase>[2]): Promise<{ material: MaterialRecord; state: CaseState }> => {
    const material = await findMaterial(deps.db, id);
    if (!material) throw problems.notFound(`material ${id}`);
    const state = await loadCase(deps, material.caseId, user).catch(() => {
      throw problems.notFound(`material ${id}`);
    });
    return { material, state };
  };

  return [
    route({
      method: 'post',
      path: '/v1/cases/{id}/materials',
      operationId: 'uploadMaterial',
      summary: '上传案卷材料 Upload a material to the case file: a scan, evidence with its provenance, the report, the minutes, a proof of service',
      description:
        `multipart/form-data with the file in the part \`file\` and the fields kind, title, source (来源), obtainedBy (调取过程), originalDate. ` +
        `Accepted: ${Object.values(MATERIAL_FORMATS).map((f) => f.label).join(', ')}, recognised by their content, never their name (415 otherwise). ` +
        `At most MATERIAL_MAX_MB a file (20 MB unless configured) and CASE_MATERIALS_MAX_MB a case (500 MB), withdrawn materials included (413 beyond). ` +
        'A PDF with JavaScript, an embedded file or a launch action, or encrypted, and a .docx with macros or outside content, or a zip bomb, are refused (422), never stripped. ' +
        'SHA-256 and SM3 are taken of the file as given; it is stored encrypted with the payload keys. A closed case takes none (409). ' +
        'Staff (officers, supervisors) upload any kind; the case’s party (the subject’s own account) only its own filings (application).',
      tags: ['case file'],
      access: { kind: 'signedIn' },
      write: true,
      params: caseIdParams,
      body: materialFields,
      multipart: { file: 'file', maxFileBytes: deps.limits.maxFileBytes, description: 'The file (part `file`) and its description' },
      responses: {
        201: { description: 'The material as recorded, with its digests; Location names it' },
        400: problem('A field is missing or invalid (source and obtainedBy are required for evidence)'),
        403: problem('The caller may not upload to this case, or (a party) not this kind'),
        404: problem('No such case for this caller'),
        409: problem('The case is closed and its file bound'),
        413: problem('The file, or the case’s materials together, over the limit'),
        415: problem('Not a file the case file takes, or the body is not multipart/form-data'),
        422: problem('A file of an accepted type that is unsafe: JavaScript, an embedded file, encryption, macros, outside content, a zip bomb'),
      },
      async authorize({ params, user, res }) {
        res.locals.caseId = params.id;
        const state = await loadCase(deps, params.id, user);
        checkCaseFileAccess(state, user, 'uploadMaterial');
        if (state.closed) throw caseClosedForMaterials(params.id);
        res.locals.caseState = state;
      },
      async handle({ params, body, user, res, file }) {
        const state = res.locals.caseState as CaseState;
        checkCaseFileAccess(state, user, 'uploadMaterial', body.kind);
        const rulebookKinds = materialKindsOfCase(state);
        if (!Object.hasOwn(MATERIAL_KINDS, body.kind) && !rulebookKinds.some((k) => k.id === body.kind)) {
          const known = [...Object.keys(MATERIAL_KINDS), ...rulebookKinds.map((k) => k.id)];
          throw fieldsProblem([{ field: 'body.kind', message: `is not a kind of material of this case: ${known.join(', ')}` }]);
        }
        if (!file) throw fieldsProblem([{ field: 'body.file', message: 'is required: the file to upload' }]);
        if (file.bytes.length === 0) throw fieldsProblem([{ field: 'body.file', message: 'is empty' }]);
        let format;
        try {
          format = checkMaterialFile(file.bytes);
        } catch (err) {
          if (!(err instanceof MaterialRefused)) throw err;
          throw new Problem({ status: err.status, code: err.code, title: err.status === 415 ? 'Unsupported material type' : 'Material refused', detail: err.why, errors: [{ field: 'body.file', message: err.why.en }] });
        }
        let material: MaterialRecord;
        try {
          material = await recordMaterial(
            deps.db,
            deps.payloadKeys,
            {
              caseId: params.id,
              authority: state.authority,
              kind: body.kind,
              title: body.title,
              source: body.source,
              obtainedBy: body.obtainedBy,
              originalDate: body.originalDate,
              fileName: file.fileName.slice(0, 200),
              format,
              mediaType: MATERIAL_FORMATS[format].mediaType,
              bytes: file.bytes,
              uploadedBy: { sub: user.sub, name: user.name },
            },
            deps.limits.maxCaseBytes,
          );
        } catch (err) {
          if (err instanceof CaseMaterialsFull) {
            throw fileTooLarge(deps.limits.maxCaseBytes, { zh: `一案材料合计（已有 ${megabytes(err.usedBytes)}）`, en: `A case's materials together (${megabytes(err.usedBytes)} so far)` });
          }
          if (err instanceof CaseFileBound) throw caseClosedForMaterials(params.id);
          throw err;
        }
        res.status(201).location(`${deps.baseUrl}/v1/materials/${material.materialId}`).json(materialView(material, rulebookKinds));
      },
    }),
    route({
      method: 'get',
      path: '/v1/cases/{id}/materials',
      operationId: 'listCaseMaterials',
      summary: 'The materials of the case file, withdrawn ones included and marked',
      tags: ['case file'],
      access: { kind: 'roles', roles: ['officer', 'supervisor', 'auditor', 'admin'] },
      params: caseIdParams,
      responses: { 200: { description: 'The materials, oldest first' }, 403: problem('The caller is recused from the case'), 404: problem('No such case for this caller') },
      async handle({ params, user, res }) {
        res.locals.caseId = params.id;
        const state = await loadCase(deps, params.id, user);
        checkCaseFileAccess(state, user, 'readMaterials');
        const kinds = materialKindsOfCase(state);
        res.json({ materials: (await materialsOfCase(deps.db, params.id)).map((m) => materialView(m, kinds)) });
      },
    }),
    route({
      method: 'get',
      path: '/v1/materials/{id}',
      operationId: 'getMaterial',
      summary: 'Download a material as it was uploaded, with the SHA-256 and SM3 taken at upload',
      description:
        'X-Content-SHA256 and X-Content-SM3 carry the digests taken at upload; the stored file is checked against both before it is served, and one that no longer matches is reported (500 material_integrity), never served. A withdrawn material answers 410 saying by whom, when and why.',
      tags: ['case file'],
      access: { kind: 'roles', roles: ['officer', 'supervisor', 'auditor', 'admin'] },
      params: materialParams,
      responses: {
        200: { description: 'The file as uploaded', contentType: Object.values(MATERIAL_FORMATS).map((f) => f.mediaType), schema: { type: 'string', format: 'binary' } },
        403: problem('The caller is recused from the material’s case'),
        404: problem('No such material for this caller'),
        410: problem('The material was withdrawn: by whom, when and why'),
        500: problem('The stored file no longer matches its digests'),
      },
      async handle({ params, user, res }) {
        const { material, state } = await caseOfMaterial(params.id, user);
        res.locals.caseId = material.caseId;
        checkCaseFileAccess(state, user, 'readMaterials');
        if (material.withdrawal) {
          const w = material.withdrawal;
          throw new Problem({
            status: 410,
            code: 'material_withdrawn',
            title: 'Material withdrawn',
            detail: { zh: `材料“${material.title}”已于 ${w.at} 由 ${w.by.name}（${w.by.sub}）撤回，理由：${w.reason}；原件保存在案，不再提供下载`, en: `The material “${material.title}” was withdrawn on ${w.at} by ${w.by.name} (${w.by.sub}): ${w.reason}; it is kept on file and no longer served` },
            extensions: { withdrawal: w },
          });
        }
        const file = await materialFile(deps.db, deps.payloadKeys, material);
        if (!file.intact) {
          deps.onIntegrityFailure?.(material.materialId);
          throw new Problem({
            status: 500,
            code: 'material_integrity',
            title: 'Material integrity failure',
            detail: { zh: `材料“${material.title}”的存储文件与上传时记录的摘要（SHA-256、SM3）不符，已报告，不予提供`, en: `The stored file of “${material.title}” no longer matches the digests (SHA-256, SM3) taken at upload; it was reported and is not served` },
          });
        }
        const name = `${material.title}.${MATERIAL_FORMATS[material.format].extension}`;
        res
          .status(200)
          .type(material.mediaType)
          .set('X-Content-SHA256', material.sha256)
          .set('X-Content-SM3', material.sm3)
          .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
          .send(file.bytes);
      },
    }),
    route({
      method: 'post',
      path: '/v1/materials/{id}/withdrawal',
      operationId: 'withdrawMaterial',
      summary: '撤回材料 Withdraw a material, with the reason: it stays on file, marked, and is not bound',
      tags: ['case file'],
      access: { kind: 'roles', roles: ['officer', 'supervisor', 'auditor', 'admin'] },
      write: true,
      params: materialParams,
      body: z.object({ reason: text(1000) }).strict(),
      responses: {
        200: { description: 'The material, marked withdrawn (a second withdrawal leaves the first)' },
        403: problem('Only officers and supervisors withdraw materials'),
        404: problem('No such material for this caller'),
        409: problem('The case is closed and its file bound'),
      },
      async authorize({ params, user, res }) {
        const { material, state } = await caseOfMaterial(params.id, user);
        res.locals.caseId = material.caseId;
        checkCaseFileAccess(state, user, 'withdrawMaterial');
        if (state.closed || (await isCaseFileBound(deps.db, material.caseId))) throw caseClosedForMaterials(material.caseId);
        res.locals.caseState = state;
      },
      async handle({ params, body, user, res }) {
        const withdrawn = await withdrawMaterial(deps.db, params.id, { sub: user.sub, name: user.name }, body.reason);
        res.json(materialView(withdrawn!, materialKindsOfCase(res.locals.caseState as CaseState)));
      },
    }),
  ];
}
