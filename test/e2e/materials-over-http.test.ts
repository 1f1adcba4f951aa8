/**
 * The materials of a case file over HTTP: every accepted type recognised by
 * its content and kept as given (digests taken at upload, checked on the way
 * out), sealed at rest; what is not a case file's refused with the field and
 * the reason (type 415, size 413, a PDF with JavaScript or a hidden embedded
 * file, a .docx zip bomb 422); withdrawal marks and keeps; who may do what.
 */
import { createHash } from 'node:crypto';
import request from 'supertest';
import { beijingDate } from '../../domain/calendar';
import { eventually } from '../support/eventually';
import { docxOf, docxZipBomb, ofdOf, pdfOf, pdfWithHiddenEmbeddedFile, pdfWithJavaScript, scanOf } from '../support/material-files';
import { startStack, type Stack } from '../support/stack';

let stack: Stack;
let officer: string;
let caseId: string;
const today = beijingDate(Date.now());
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const sm3 = (b: Buffer) => createHash('sm3').update(b).digest('hex');
const LIMIT = 3 * 1024 * 1024;

beforeAll(async () => {
  stack = await startStack({ app: { materialLimits: { maxFileBytes: LIMIT, maxCaseBytes: 8 * 1024 * 1024 } } });
  officer = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw', sub: 'bh-officer', name: '周办案' });
  const created = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', `Bearer ${officer}`)
    .send({ jurisdiction: 'binhai', subject: { name: '吴某', organisation: '某街道' }, matter: '拆违中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕9号' }, eventDate: today })
    .expect(201);
  caseId = created.body.id;
  await eventually(async () => expect((await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${officer}`)).body.stage).toBe('application'));
}, 120_000);
afterAll(() => stack?.stop());

const binary = (req: request.Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

function upload(token: string, file: Buffer, fields: Record<string, string>, fileName = 'scan.bin', id = caseId) {
  const req = request(stack.app).post(`/v1/cases/${id}/materials`).set('Authorization', `Bearer ${token}`);
  for (const [k, v] of Object.entries(fields)) req.field(k, v);
  return req.attach('file', file, fileName);
}

describe('accepted types', () => {
  it('takes PDF, JPEG, PNG, TIFF, .docx and .ofd by their content, whatever their name, and serves each back as given', async () => {
    const jpeg = await scanOf('jpeg');
    const files: [string, Buffer, string][] = [
      ['pdf', await pdfOf(2), 'application/pdf'],
      ['jpeg', jpeg, 'image/jpeg'],
      ['png', await scanOf('png'), 'image/png'],
      ['tiff', await scanOf('tiff'), 'image/tiff'],
      ['docx', await docxOf(['调查报告正文']), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      ['ofd', ofdOf(jpeg), 'application/ofd'],
    ];
    for (const [format, bytes, mediaType] of files) {
      // Named as something else: the name decides nothing.
      const res = await upload(officer, bytes, { kind: 'other', title: `${format} 材料`, originalDate: today }, 'misleading.txt');
      expect([format, res.status, res.body.format, res.body.mediaType]).toEqual([format, 201, format, mediaType]);
      expect(res.body).toMatchObject({ sha256: sha256(bytes), sm3: sm3(bytes), sizeBytes: bytes.length, uploadedBy: { sub: 'bh-officer', name: '周办案' }, withdrawal: null });
      expect(res.headers.location).toBe(`http://rongcuo.test/v1/materials/${res.body.materialId}`);
      const back = await binary(request(stack.app).get(res.body.href).set('Authorization', `Bearer ${officer}`));
      expect(back.status).toBe(200);
      expect(Buffer.compare(back.body as Buffer, bytes)).toBe(0);
      expect([back.headers['x-content-sha256'], back.headers['x-content-sm3'], back.headers['content-type']]).toEqual([sha256(bytes), sm3(bytes), mediaType]);
      // Sealed at rest: the stored column is not the file.
      const [row] = await stack.db.query<{ file: Uint8Array; key_id: string }>('select file, key_id from materials where id = $1', [res.body.materialId]);
      expect(Buffer.from(row!.file).includes(bytes.subarray(0, Math.min(64, bytes.length)))).toBe(false);
      expect(row!.key_id).toBe('test-2026a');
    }
    const list = await request(stack.app).get(`/v1/cases/${caseId}/materials`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(list.body.materials.map((m: { format: string }) => m.format)).toEqual(expect.arrayContaining(['pdf', 'jpeg', 'png', 'tiff', 'docx', 'ofd']));
  }, 120_000);

  it('keeps evidence only with where it came from and how it was obtained (写明调取过程和来源)', async () => {
    const bytes = await pdfOf(1, 'Evidence');
    const missing = await upload(officer, bytes, { kind: 'evidence', title: '会议记录复印件' }).expect(400);
    expect(missing.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.source', 'body.obtainedBy']);
    const kept = await upload(officer, bytes, { kind: 'evidence', title: '会议记录复印件', source: '某街道党工委办公室', obtainedBy: '调查组两人到场调取原件复印，经核对与原件一致', originalDate: today }).expect(201);
    expect(kept.body).toMatchObject({ kind: 'evidence', kindLabel: '证据材料', source: '某街道党工委办公室', obtainedBy: '调查组两人到场调取原件复印，经核对与原件一致', originalDate: today });
  });
});

describe('bad input', () => {
  it('refuses a type the case file does not take with 415, however it is named', async () => {
    const res = await upload(officer, Buffer.from('not a scan at all'), { kind: 'other', title: '文本' }, 'scan.pdf');
    expect(res.status).toBe(415);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'unsupported_material_type', errors: [{ field: 'body.file' }] });
    // A zip that is neither .docx nor .ofd is not taken either.
    const zip = ofdOf(Buffer.from('x')).toString('latin1').replaceAll('OFD.xml', 'ABC.xml');
    expect((await upload(officer, Buffer.from(zip, 'latin1'), { kind: 'other', title: '压缩包' })).status).toBe(415);
    // And a body that is not multipart at all.
    const json = await request(stack.app).post(`/v1/cases/${caseId}/materials`).set('Authorization', `Bearer ${officer}`).send({ kind: 'other' });
    expect([json.status, json.body.code]).toEqual([415, 'unsupported_media_type']);
  });

  it('answers 413 for a file over the limit, and for a case whose materials would exceed theirs', async () => {
    const big = Buffer.concat([await pdfOf(1), Buffer.alloc(LIMIT, 0x20)]);
    const res = await upload(officer, big, { kind: 'other', title: '过大的文件' });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ code: 'material_too_large', limitBytes: LIMIT });
    const other = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', `Bearer ${officer}`)
      .send({ jurisdiction: 'binhai', subject: { name: '郑某', organisation: '某镇' }, matter: '招商引资中的失误', accountability: { reference: '滨纪问〔2026〕10号' }, eventDate: today })
      .expect(201);
    await eventually(async () => expect((await request(stack.app).get(`/v1/cases/${other.body.id}`).set('Authorization', `Bearer ${officer}`)).body.stage).toBe('application'));
    const part = Buffer.concat([await pdfOf(1), Buffer.alloc(LIMIT - 10_000, 0x20)]);
    for (let i = 0; i < 2; i += 1) await upload(officer, part, { kind: 'other', title: `第${i + 1}份` }, 'a.pdf', other.body.id).expect(201);
    const over = await upload(officer, part, { kind: 'other', title: '第3份' }, 'a.pdf', other.body.id);
    expect([over.status, over.body.code]).toEqual([413, 'material_too_large']);
    expect((await request(stack.app).get(`/v1/cases/${other.body.id}/materials`).set('Authorization', `Bearer ${officer}`)).body.materials).toHaveLength(2);
  }, 60_000);

  it('refuses a PDF with JavaScript, and one with an embedded file hidden in a compressed object stream, saying which and that nothing was stripped', async () => {
    const js = await upload(officer, pdfWithJavaScript(), { kind: 'other', title: '带脚本的PDF' });
    expect([js.status, js.body.code]).toEqual([422, 'active_content']);
    expect(js.body.detail).toContain('JavaScript');
    expect(js.body.detail).toContain('未作删改');
    const embedded = await upload(officer, pdfWithHiddenEmbeddedFile(), { kind: 'other', title: '带附件的PDF' }).set('Accept-Language', 'en');
    expect([embedded.status, embedded.body.code]).toEqual([422, 'active_content']);
    expect(embedded.body.detail).toContain('an embedded file');
    expect(embedded.body.detail).toContain('not stripped');
  });

  it('refuses a .docx zip bomb, whether it declares what it inflates to or lies about it', async () => {
    for (const lying of [false, true]) {
      const res = await upload(officer, docxZipBomb({ lying }), { kind: 'other', title: '压缩炸弹' });
      expect([lying, res.status, res.body.code]).toEqual([lying, 422, 'zip_bomb']);
    }
  }, 60_000);
});

describe('withdrawal and access', () => {
  it('marks a withdrawn material and keeps it; its download says withdrawn, by whom and why', async () => {
    const bytes = await pdfOf(1, 'Wrong scan');
    const up = await upload(officer, bytes, { kind: 'application', title: '扫描错误的申请书' }).expect(201);
    const auditor = await stack.token({ roles: ['auditor'], authority: 'binhai-jw', sub: 'bh-auditor', name: '钱审计' });
    expect((await request(stack.app).post(`/v1/materials/${up.body.materialId}/withdrawal`).set('Authorization', `Bearer ${auditor}`).send({ reason: '不清晰' })).status).toBe(403);
    const withdrawn = await request(stack.app).post(`/v1/materials/${up.body.materialId}/withdrawal`).set('Authorization', `Bearer ${officer}`).send({ reason: '扫描不清晰，重新上传' }).expect(200);
    expect(withdrawn.body.withdrawal).toMatchObject({ by: { sub: 'bh-officer', name: '周办案' }, reason: '扫描不清晰，重新上传' });
    const gone = await request(stack.app).get(up.body.href).set('Authorization', `Bearer ${auditor}`);
    expect([gone.status, gone.body.code]).toEqual([410, 'material_withdrawn']);
    expect(gone.body.detail).toContain('周办案（bh-officer）');
    expect(gone.body.detail).toContain('扫描不清晰，重新上传');
    const listed = (await request(stack.app).get(`/v1/cases/${caseId}/materials`).set('Authorization', `Bearer ${auditor}`).expect(200)).body.materials;
    expect(listed.find((m: { materialId: string }) => m.materialId === up.body.materialId).withdrawal.reason).toBe('扫描不清晰，重新上传');
    expect((await stack.db.query('select 1 from materials where id = $1', [up.body.materialId])).length).toBe(1);
  });

  it('reports a stored file altered at rest, and does not serve it', async () => {
    const up = await upload(officer, await pdfOf(1, 'Tampered'), { kind: 'other', title: '被篡改的文件' }).expect(201);
    await stack.db.query(`update materials set file = overlay(file placing '\\x00'::bytea from 40 for 1) where id = $1`, [up.body.materialId]);
    const res = await request(stack.app).get(up.body.href).set('Authorization', `Bearer ${officer}`);
    expect([res.status, res.body.code]).toEqual([500, 'material_integrity']);
  });

  it('shows another authority nothing, and a recused officer nothing of the file', async () => {
    const stranger = await stack.token({ roles: ['officer'], authority: 'yinchuan-jw', sub: 'yc-1', name: '外单位' });
    expect((await request(stack.app).get(`/v1/cases/${caseId}/materials`).set('Authorization', `Bearer ${stranger}`)).status).toBe(404);
    expect((await upload(stranger, await pdfOf(1), { kind: 'other', title: '外单位上传' })).status).toBe(404);
    const materials = (await request(stack.app).get(`/v1/cases/${caseId}/materials`).set('Authorization', `Bearer ${officer}`)).body.materials;
    expect((await request(stack.app).get(materials[0].href).set('Authorization', `Bearer ${stranger}`)).status).toBe(404);
    await request(stack.app)
      .post(`/v1/cases/${caseId}/actions/recordRecusal`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ person: { sub: 'bh-recused', name: '孙回避' }, reason: '与被调查对象系亲属' })
      .expect(200);
    const recused = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'bh-recused', name: '孙回避' });
    expect((await request(stack.app).get(`/v1/cases/${caseId}/materials`).set('Authorization', `Bearer ${recused}`)).status).toBe(403);
    expect((await request(stack.app).get(materials[0].href).set('Authorization', `Bearer ${recused}`)).status).toBe(403);
    expect((await upload(recused, await pdfOf(1), { kind: 'other', title: '回避人员上传' })).status).toBe(403);
  });

  it('lets the case’s party upload its own application, and nothing else', async () => {
    await request(stack.app).post(`/v1/cases/${caseId}/actions/bindSubjectAccount`).set('Authorization', `Bearer ${officer}`).send({ userId: 'subject-wu' }).expect(200);
    const subject = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'subject-wu', name: '吴某' });
    const own = await upload(subject, await pdfOf(1, 'Application'), { kind: 'application', title: '容错免责申请（本人提交）', originalDate: today });
    expect(own.status).toBe(201);
    const evidence = await upload(subject, await pdfOf(1), { kind: 'evidence', title: '证据', source: '本人', obtainedBy: '本人提供' });
    expect([evidence.status, evidence.body.code]).toEqual([403, 'party_upload_kind']);
    expect((await request(stack.app).post(`/v1/materials/${own.body.materialId}/withdrawal`).set('Authorization', `Bearer ${subject}`).send({ reason: '撤回' })).status).toBe(403);
  });
});

describe('steps that carry papers', () => {
  it('hands the step the materials it names, as uploaded; refuses another case’s or a withdrawn one; marks an attached one withdrawn later', async () => {
    const scan = await pdfOf(1, 'Written application');
    const up = await upload(officer, scan, { kind: 'application', title: '容错免责申请', originalDate: today }).expect(201);
    const stray = (await request(stack.app).get(`/v1/cases/${caseId}/materials`).set('Authorization', `Bearer ${officer}`)).body.materials.find((m: { withdrawal: unknown }) => m.withdrawal);
    const refused = await request(stack.app)
      .post(`/v1/cases/${caseId}/actions/fileApplication`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ filedBy: 'subject', receivedOn: today, summary: '书面申请', attachments: [up.body.materialId, stray.materialId, '00000000-0000-4000-8000-000000000000'] });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.attachments.1', 'body.attachments.2']);
    const filed = await request(stack.app)
      .post(`/v1/cases/${caseId}/actions/fileApplication`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ filedBy: 'subject', receivedOn: today, summary: '书面申请', attachments: [up.body.materialId] })
      .expect(200);
    expect(filed.body.papers).toEqual({ attached: [expect.objectContaining({ materialId: up.body.materialId, step: 'fileApplication', kind: 'application', sha256: sha256(scan), sm3: sm3(scan) })], missing: [] });
    await request(stack.app).post(`/v1/materials/${up.body.materialId}/withdrawal`).set('Authorization', `Bearer ${officer}`).send({ reason: '页码缺失，另行上传' }).expect(200);
    const after = (await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
    expect(after.papers.attached[0].withdrawal).toMatchObject({ reason: '页码缺失，另行上传' });
    expect(after.papers.missing).toEqual([expect.objectContaining({ step: 'fileApplication', kinds: ['application'] })]);
  });
});
