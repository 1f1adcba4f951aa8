/**
 * A deploying body's own 办法, from its text to cases, without a developer
 * (issue 32): the sixth 办法 (test/rulebooks/fixtures/qingshan, written for the
 * test: a 2025 version and its 2026 revision, with their own periods,
 * catalogue and documents) is submitted through the API with a misquoted
 * article (refused, naming the path and the article), fixed, compared with the
 * version in force, dry-run, approved by a second person in force from
 * tomorrow; the next day a case opens on it on the time-skipping server and
 * runs to its end with its documents, while a case of the previous version,
 * opened before, runs on unchanged. Every act is in the audit trail.
 */
import { Validator } from '@cfworker/json-schema';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Express } from 'express';
import pino from 'pino';
import request from 'supertest';
import { parse } from 'yaml';
import { createApp } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { addDays, beijingDate, beijingMidnight, type IsoDate } from '../../domain/calendar';
import { signDevToken } from '../../scripts/token';
import { loadStatutoryCalendar } from '../../services/calendar/statutory-calendar';
import { DryRunner } from '../../services/rulebooks/dry-run';
import type { Db } from '../../store/db';
import { createCaseWorker } from '../../worker/worker';
import { docxText } from '../support/docx';
import { eventually } from '../support/eventually';
import { testDataConverter, testMatterIndex } from '../support/keys';
import { openTestDb } from '../support/test-db';
import { startTimeSkippingServer, uniqueTaskQueue, workflowBundle } from '../support/temporal';
import { temporalTestServerPath } from '../support/tools';
import { fixture, withQingshan } from './fixtures/qingshan/authority';

const secret = new TextEncoder().encode('test-secret-rulebook-authoring-0123456789abcdef');
let env: TestWorkflowEnvironment;
let db: Db;
let worker: Worker;
let running: Promise<void>;
let app: Express;
/** The API's clock follows the time-skipping server's: "tomorrow" is the server's tomorrow. */
let clock = Date.now();
const sync = async () => {
  clock = await env.currentTimeMs();
};
const simToday = async (): Promise<IsoDate> => {
  await sync();
  return beijingDate(clock);
};

const token = (sub: string, roles: string[], authority = 'qingshan-jw', name = '测试用户') => signDevToken(secret, { sub, name, roles, authority });
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

beforeAll(async () => {
  [env, db] = await Promise.all([startTimeSkippingServer(), openTestDb()]);
  const authorities = withQingshan();
  const taskQueue = uniqueTaskQueue('rulebooks');
  worker = await createCaseWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue,
    dependencies: { db, client: env.client, authorities },
    dataConverter: testDataConverter,
    workflowBundle: await workflowBundle(),
  });
  running = worker.run();
  await sync();
  app = createApp({
    client: env.client,
    db,
    verifyToken: createVerifier({ kind: 'secret', secret }),
    taskQueue,
    namespace: env.namespace ?? 'default',
    baseUrl: 'http://rongcuo.test',
    logger: pino({ level: 'silent' }),
    writesPerMinute: 100_000,
    matterIndex: testMatterIndex,
    authorities,
    dryRuns: new DryRunner({ testServerPath: temporalTestServerPath, workflowBundle, db, authorities }),
    now: () => clock,
    stepWaitMs: 60_000,
  });
}, 120_000);

afterAll(async () => {
  worker?.shutdown();
  await running;
  await Promise.all([env?.teardown(), db?.close()]);
});

const opening = (eventDate: IsoDate) => ({
  jurisdiction: 'qingshan',
  subject: { name: '王某', organisation: '青山区某街道党工委', position: '副主任' },
  matter: '老旧小区改造中先行施工、后补手续',
  accountability: { reference: '青纪问〔2026〕3号' },
  eventDate,
});

/** Takes a step once the case offers it to the caller, as a person would. */
async function act(t: string, caseId: string, action: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  await eventually(async () => {
    const res = await request(app).get(`/v1/cases/${caseId}`).set(auth(t));
    expect(res.body.availableActions?.map((a: { name: string }) => a.name)).toContain(action);
  }, 60_000);
  const res = await request(app).post(`/v1/cases/${caseId}/actions/${action}`).set(auth(t)).send(body);
  expect([action, res.status, res.body.detail]).toEqual([action, 200, undefined]);
  return res.body;
}

/** Submits a file with a regulation's text. */
const submit = (t: string, file: { name: string; text: string }, regulation: { name: string; text: string }) =>
  request(app).post('/v1/rulebook-versions').set(auth(t)).send({ file, regulation });

describe('a sixth 办法 put in force through the API', () => {
  it('is submitted, refused for a misquoted article, fixed, compared, dry-run, approved by a second person from tomorrow, and runs the next day; a case of the previous version runs on unchanged', async () => {
    const author = await token('rb-author', ['rulebook-admin'], 'qingshan-jw', '李规则');
    const approver = await token('rb-approver', ['rulebook-admin'], 'qingshan-jw', '赵审核');
    const officer = await token('qs-officer', ['officer'], 'qingshan-jw', '陈办案');
    const supervisor = await token('qs-supervisor', ['supervisor'], 'qingshan-jw', '周主任');
    const day0 = await simToday();
    const tomorrow = addDays(day0, 1);
    const calendar = await loadStatutoryCalendar({ db });

    // ---- The 2025 version, in force from today, and a case opened on it ----
    const v1 = await submit(author, fixture('2025.yaml'), fixture('qingshan-2025.txt'));
    expect([v1.status, v1.body.status, v1.body.version]).toEqual([201, 'submitted', '2025']);
    const own = await request(app).post(`/v1/rulebook-versions/${v1.body.versionId}/approval`).set(auth(author)).send({ inForceFrom: day0 });
    expect([own.status, own.body.code]).toEqual([403, 'four_eyes']);
    const approvedV1 = await request(app).post(`/v1/rulebook-versions/${v1.body.versionId}/approval`).set(auth(approver)).send({ inForceFrom: day0 });
    expect([approvedV1.status, approvedV1.body.status, approvedV1.body.approvedBy.sub, approvedV1.body.inForceFrom]).toEqual([200, 'approved', 'rb-approver', day0]);

    const openedA = await request(app).post('/v1/cases').set(auth(officer)).send(opening(day0));
    expect(openedA.status).toBe(201);
    const caseA = openedA.body.id as string;
    let a = await act(officer, caseA, 'fileApplication', { filedBy: 'subject', receivedOn: day0, summary: '申请容错：先行施工系为赶在汛期前完工' });
    expect([a.rulebookVersion, a.deadlines[0].amount, a.deadlines[0].basis.article]).toEqual(['2025', 10, '第五条']);

    // ---- The 2026 revision, first with 第五条 misquoted ----
    const revision = fixture('2026.yaml');
    const misquoted = { ...revision, text: revision.text.replace('可以在收到问责告知之日起七个工作日内，向区纪委监委提出书面容错申请\n        reading', '可以在收到问责告知之日起七日内，向区纪委监委提出书面容错申请\n        reading') };
    expect(misquoted.text).not.toBe(revision.text);
    const refused = await submit(author, misquoted, fixture('qingshan-2026.txt'));
    expect([refused.status, refused.body.code, refused.headers['content-type']]).toEqual([422, 'rulebook_invalid', expect.stringContaining('application/problem+json')]);
    expect(refused.body.errors).toEqual([
      expect.objectContaining({ field: 'file.steps.0.deadline.basis.quote', path: 'steps.0.deadline.basis.quote', check: 'quote', article: '第五条', line: expect.any(Number) }),
    ]);
    expect(misquoted.text.split('\n')[refused.body.errors[0].line - 1]).toContain('七日内');
    expect(refused.body.detail).toContain('第五条');
    // Nothing was stored: the list holds the 2025 version only.
    const listed = await request(app).get('/v1/rulebook-versions?jurisdiction=qingshan').set(auth(author)).expect(200);
    expect(listed.body.versions.map((v: { version: string }) => v.version)).toEqual(['2025']);

    const v2 = await submit(author, revision, fixture('qingshan-2026.txt'));
    expect([v2.status, v2.body.status, v2.body.version, v2.body.rulebook.steps[0].deadline.amount]).toEqual([201, 'submitted', '2026', 7]);
    const v2id = v2.body.versionId as string;

    // ---- What changed from the version in force ----
    const diff = await request(app).get(`/v1/rulebook-versions/${v2id}/diff`).set(auth(approver)).expect(200);
    expect(diff.body.fromVersionId).toBe(v1.body.versionId);
    expect(diff.body.periods).toEqual([
      expect.objectContaining({ path: 'steps.application.deadline', change: 'changed', from: { amount: 10, unit: 'workingDays', article: '第五条' }, to: { amount: 7, unit: 'workingDays', article: '第五条' } }),
      expect.objectContaining({ path: 'steps.investigation.deadline', change: 'changed', from: expect.objectContaining({ amount: 20 }), to: expect.objectContaining({ amount: 15 }) }),
    ]);
    expect(diff.body.catalogues).toEqual([expect.objectContaining({ catalogue: 'eligible', id: 'qs-3-5', change: 'added' })]);
    expect(diff.body.effects).toEqual([expect.objectContaining({ outcome: 'exempt', change: 'added', article: '第十条' })]);
    expect(diff.body.steps.changed.map((s: { stage: string }) => s.stage)).toContain('notice');

    // ---- The dry run: opened tomorrow on the main path, with two sample inputs ----
    // A sample's body is checked as the step's would be, and a dry run cannot start in the past.
    const badSample = await request(app).post(`/v1/rulebook-versions/${v2id}/simulation`).set(auth(approver)).send({ openingDate: tomorrow, samples: [{ action: 'appointInvestigationGroup', input: { appointedOn: tomorrow, members: 'two' } }] });
    expect([badSample.status, badSample.body.errors?.map((e: { field: string }) => e.field)]).toEqual([400, ['body.samples.0.input.members']]);
    const past = await request(app).post(`/v1/rulebook-versions/${v2id}/simulation`).set(auth(approver)).send({ openingDate: addDays(day0, -1) });
    expect([past.status, past.body.errors?.[0]?.field]).toEqual([400, 'body.openingDate']);
    const window = calendar.deadline(tomorrow, { amount: 7, unit: 'workingDays' }).deadline;
    const late = addDays(window, 1);
    const simulated = await request(app)
      .post(`/v1/rulebook-versions/${v2id}/simulation`)
      .set(auth(approver))
      .send({
        openingDate: tomorrow,
        path: 'main',
        samples: [
          { label: '核查组只有一人', action: 'appointInvestigationGroup', input: { appointedOn: tomorrow, members: [{ name: '孙核查', declaresNoConflict: true }] } },
          { label: '申请逾期送达', action: 'fileApplication', input: { filedBy: 'subject', receivedOn: late, summary: '逾期的申请' }, on: late },
        ],
      });
    expect([simulated.status, simulated.body.detail]).toEqual([200, undefined]);
    const run = simulated.body;
    expect([run.completed, run.outcome, run.path.outcome]).toEqual([true, 'exempt', 'exempt']);
    const lastDay = (key: string) => run.deadlines.find((d: { key: string }) => d.key === key);
    expect(lastDay('application')).toMatchObject({ from: tomorrow, amount: 7, unit: 'workingDays', lastDay: window, article: '第五条' });
    expect(lastDay('investigationReport')).toMatchObject({ amount: 15, unit: 'workingDays', lastDay: calendar.deadline(tomorrow, { amount: 15, unit: 'workingDays' }).deadline, article: '第六条' });
    expect(lastDay('notice')).toMatchObject({ amount: 5, lastDay: calendar.deadline(tomorrow, { amount: 5, unit: 'workingDays' }).deadline, article: '第八条' });
    expect(lastDay('appealWindow')).toMatchObject({ amount: 15, unit: 'days', article: '第九条' });
    expect(run.documents).toEqual([expect.objectContaining({ kind: 'determinationNotice', title: '容错免责认定书', article: '第八条', issuedOn: tomorrow })]);
    expect(run.refusals).toEqual([
      expect.objectContaining({ label: '核查组只有一人', refused: true, type: 'InvalidInput', article: '第六条' }),
      expect.objectContaining({ label: '申请逾期送达', refused: true, on: late, article: '第五条' }),
    ]);
    // The dry run touched no real case: the archive holds case A alone.
    const real = await db.query<{ case_id: string }>('select case_id from case_views');
    expect(real.map((r) => r.case_id)).toEqual([caseA]);

    // ---- Approved by a second person, in force from tomorrow ----
    const byAuthor = await request(app).post(`/v1/rulebook-versions/${v2id}/approval`).set(auth(author)).send({ inForceFrom: tomorrow });
    expect([byAuthor.status, byAuthor.body.code]).toEqual([403, 'four_eyes']);
    const approvedV2 = await request(app).post(`/v1/rulebook-versions/${v2id}/approval`).set(auth(approver)).send({ inForceFrom: tomorrow });
    expect([approvedV2.status, approvedV2.body.inForceFrom, approvedV2.body.inForceUntil]).toEqual([200, tomorrow, null]);
    // Today the 2025 version is still the one cases open under; it ends tonight.
    const books = await request(app).get('/v1/rulebooks').set(auth(officer)).expect(200);
    const qingshan = books.body.rulebooks.filter((b: { id: string }) => b.id === 'qingshan');
    expect(qingshan.map((b: { version: string; usable: boolean; inForceUntil: string | null }) => [b.version, b.usable, b.inForceUntil])).toEqual([
      ['2025', true, day0],
      ['2026', false, null],
    ]);
    // A second revision the same day would be in force beside it: refused, then withdrawn.
    const r2 = await submit(author, { ...revision, text: revision.text.replace('revision: 1', 'revision: 2') }, fixture('qingshan-2026.txt'));
    expect(r2.status).toBe(201);
    const clash = await request(app).post(`/v1/rulebook-versions/${r2.body.versionId}/approval`).set(auth(approver)).send({ inForceFrom: tomorrow });
    expect([clash.status, clash.body.code, clash.body.errors?.[0]?.field, clash.body.overlapsWith]).toEqual([409, 'rulebook_conflict', 'body.inForceFrom', v2id]);
    const withdrawn = await request(app).post(`/v1/rulebook-versions/${r2.body.versionId}/withdrawal`).set(auth(author)).send({ reason: '与已批准的修订同日生效，撤回' });
    expect([withdrawn.status, withdrawn.body.status]).toEqual([200, 'withdrawn']);
    // An approved version is never edited, even by whoever reaches the database.
    await expect(db.query(`update rulebook_versions set rulebook = jsonb_set(rulebook, '{name}', '"改"') where id = $1`, [v2id])).rejects.toThrow(/never edited/);
    await expect(db.query(`delete from rulebook_versions where id = $1`, [v2id])).rejects.toThrow(/kept/);

    // ---- The next day ----
    await env.sleep(beijingMidnight(tomorrow) + 9 * 3_600_000 - (await env.currentTimeMs()));
    expect(await simToday()).toBe(tomorrow);
    const next = await request(app).get('/v1/rulebooks').set(auth(officer)).expect(200);
    expect(next.body.rulebooks.filter((b: { id: string; usable: boolean }) => b.id === 'qingshan' && b.usable).map((b: { version: string }) => b.version)).toEqual(['2026']);

    // Case B opens on the 2026 version (its event, the notice of accountability, was yesterday).
    const openedB = await request(app).post('/v1/cases').set(auth(officer)).send(opening(day0));
    expect(openedB.status).toBe(201);
    const caseB = openedB.body.id as string;
    let b = await act(officer, caseB, 'fileApplication', { filedBy: 'subject', receivedOn: tomorrow, summary: '申请容错：为便利群众简化程序' });
    expect([b.rulebookVersion, b.deadlines[0].amount, b.deadlines[0].deadline]).toEqual(['2026', 7, calendar.deadline(day0, { amount: 7, unit: 'workingDays' }).deadline]);

    // Both run to their end, each on its own version.
    for (const [id, item] of [
      [caseA, 'qs-3-1'],
      [caseB, 'qs-3-5'],
    ] as const) {
      await act(officer, id, 'appointInvestigationGroup', { appointedOn: tomorrow, members: [{ name: '孙核查', declaresNoConflict: true }, { name: '钱核查', declaresNoConflict: true }] });
      await act(officer, id, 'submitInvestigationReport', { submittedOn: tomorrow, findings: '先行施工未谋取私利，已补办手续', recommendation: 'exempt', circumstances: [item], mitigating: [] });
      if (id === caseA) {
        // The 2025 version has no 第三条(五): case A cannot rely on it, whatever is in force now.
        const foreign = await request(app)
          .post(`/v1/cases/${id}/actions/recordDetermination`)
          .set(auth(supervisor))
          .send({ decidedOn: tomorrow, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: ['qs-3-5'], mitigating: [], conditions: [], exclusions: [], reasons: '—', complex: false });
        expect([foreign.status, foreign.body.code, foreign.body.detail]).toEqual([422, 'invalid_step', expect.stringContaining('qs-3-5')]);
      }
      await act(supervisor, id, 'recordDetermination', { decidedOn: tomorrow, decidedBy: 'authorityLeadership', outcome: 'exempt', circumstances: [item], mitigating: [], conditions: [], exclusions: [], reasons: '符合第三条所列情形，未谋取私利', complex: false });
      await act(officer, id, 'serveNotice', { servedOn: tomorrow, servedTo: ['subject'] });
    }
    a = (await request(app).get(`/v1/cases/${caseA}`).set(auth(officer))).body;
    b = (await request(app).get(`/v1/cases/${caseB}`).set(auth(officer))).body;
    const investigation = (s: Record<string, any>) => s.deadlines.find((d: { basis: { article: string }; binds: string }) => d.basis.article === '第六条');
    expect([investigation(a).amount, investigation(a).deadline]).toEqual([20, calendar.deadline(day0, { amount: 20, unit: 'workingDays' }).deadline]);
    expect([investigation(b).amount, investigation(b).deadline]).toEqual([15, calendar.deadline(tomorrow, { amount: 15, unit: 'workingDays' }).deadline]);

    // The appeal windows (15 days) and their recording periods run out; then each is archived.
    await env.sleep(40 * 86_400_000);
    await sync();
    const archivedOn = beijingDate(clock);
    for (const id of [caseA, caseB]) await act(officer, id, 'archiveCase', { archivedOn, reference: `青纪档〔${archivedOn.slice(0, 4)}〕${id === caseA ? 1 : 2}号` });
    const closed = await eventually(async () => {
      const states = await Promise.all([caseA, caseB].map(async (id) => (await request(app).get(`/v1/cases/${id}`).set(auth(officer))).body));
      expect(states.map((s) => [s.closed, s.outcome])).toEqual([
        [true, 'exempt'],
        [true, 'exempt'],
      ]);
      return states;
    }, 60_000);
    expect(closed.map((s) => [s.rulebookVersion, s.documents.map((d: { kind: string; title: string }) => `${d.kind} ${d.title}`)])).toEqual([
      ['2025', ['determinationNotice 容错认定书']],
      ['2026', ['determinationNotice 容错免责认定书']],
    ]);
    // B's document says what the 2026 version says, and is numbered in the deploying body's series.
    const docB = closed[1].documents[0];
    expect(docB.number).toMatch(/^青纪容〔\d{4}〕\d+号$/);
    const file = await request(app).get(`/v1/documents/${docB.documentId}`).set(auth(officer)).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(file.status).toBe(200);
    expect(docxText(file.body as Buffer)).toContain('容错免责认定书');

    // ---- Every submission, check, dry run, approval and withdrawal, with who and when ----
    const trail = (await request(app).get('/v1/rulebook-audit?jurisdiction=qingshan').set(auth(approver)).expect(200)).body.entries as { action: string; actor: { sub: string }; at: string }[];
    const seen = trail.map((e) => `${e.action} ${e.actor.sub}`);
    for (const expected of ['refused rb-author', 'checked rb-author', 'submitted rb-author', 'simulated rb-approver', 'approvalRefused rb-author', 'approved rb-approver', 'withdrawn rb-author']) {
      expect(seen).toContain(expected);
    }
    expect(trail.every((e) => !Number.isNaN(Date.parse(e.at)))).toBe(true);
  }, 300_000);

  it('publishes the JSON Schema of a rulebook file without a token, which an editor checks the sixth 办法 against', async () => {
    const res = await request(app).get('/v1/rulebooks/schema').expect(200);
    expect(res.headers['content-type']).toContain('application/schema+json');
    const validator = new Validator(JSON.parse(res.text), '2020-12', false);
    expect(validator.validate(parse(fixture('2026.yaml').text)).valid).toBe(true);
    expect(validator.validate({ ...parse(fixture('2026.yaml').text), steps: [{ kind: 'partyWindow', stage: 'application' }] }).valid).toBe(false);
  });

  it('keeps other deploying bodies out, and binds an authority to a further jurisdiction only by a system-wide rulebook administrator', async () => {
    const outsider = await token('bh-rb', ['rulebook-admin'], 'binhai-jw', '滨海规则员');
    const versions = (await request(app).get('/v1/rulebook-versions').set(auth(outsider)).expect(200)).body.versions as { jurisdiction: string }[];
    expect([...new Set(versions.map((v) => v.jurisdiction))]).toEqual(['binhai']);
    const theirs = await submit(outsider, fixture('2026.yaml'), fixture('qingshan-2026.txt'));
    expect([theirs.status, theirs.body.code]).toEqual([403, 'outside_reach']);
    const bind = () => request(app).put('/v1/authorities/binhai-jw/jurisdictions/qingshan');
    expect((await bind().set(auth(outsider))).status).toBe(403);
    const system = await token('sys-rb', ['rulebook-admin', 'system-admin'], 'binhai-jw', '系统规则员');
    expect((await bind().set(auth(system))).status).toBe(200);
    // A Binhai officer may now open cases under both, in the versions in force.
    const officer = await token('bh-officer', ['officer'], 'binhai-jw');
    await sync();
    const usable = (await request(app).get('/v1/rulebooks').set(auth(officer)).expect(200)).body.rulebooks.filter((b: { usable: boolean }) => b.usable).map((b: { id: string }) => b.id);
    expect(usable.sort()).toEqual(['binhai', 'qingshan']);
    const bound = (await request(app).get('/v1/authorities/binhai-jw/jurisdictions').set(auth(system)).expect(200)).body.jurisdictions;
    expect(bound.map((j: { jurisdiction: string; boundBy: string }) => [j.jurisdiction, j.boundBy])).toEqual([
      ['binhai', 'configuration'],
      ['qingshan', 'api'],
    ]);
  });
});
