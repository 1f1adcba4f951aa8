/**
 * Personal data is sealed from Temporal (issue 14): a case opened and worked
 * over HTTP on the dev server leaves neither the subject's name nor any text
 * of the facts in its raw history or its search attributes, read with a
 * client that has no keys, while the API hands all of it back to a signed-in
 * user of the authority. Keys rotate without losing running cases; a worker
 * missing a key open cases need holds only those cases and names them; and the Temporal UI
 * reads histories through the codec endpoint, as auditors and admins only,
 * from the UI's origin only, each decode logged; it encodes nothing.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { beijingDate } from '../../domain/calendar';
import { actionUpdate, caseStateQuery, searchAttributes as sa } from '../../domain/case/contract';
import { openCase } from '../../services/cases/open-case';
import { caseDataConverter, encryptionCodecOf } from '../../services/codec/codec';
import { missingKeyLine, missingPayloadKeys, payloadKeyring } from '../../services/codec/keys';
import { createCaseWorker } from '../../worker/worker';
import { officer as officerActor, settle } from '../support/case-driver';
import { eventually } from '../support/eventually';
import { TEST_PAYLOAD_KEYS, testDataConverter, testMatterIndex, testPayloadKeys } from '../support/keys';
import { startStack, type Stack } from '../support/stack';
import { uniqueTaskQueue, workflowBundle } from '../support/temporal';

const ROOT = path.resolve(__dirname, '..', '..');
const SUBJECT = { name: '欧阳明远', organisation: '青松街道党工委', position: '城建科科长' };
const MATTER = '加装电梯项目为赶工期先行开工';
const FACTS = {
  application: '申请人称规划许可批复迟迟未下，为赶在汛期前完工而先行开工，事后补办手续',
  investigators: ['司马调查', '诸葛核实'],
  findings: '经核实确属先行先试，未谋取私利，损失已挽回',
  statement: '本人陈述汛期将至来不及等待批复只好先行开工',
};
const TODAY = beijingDate(Date.now());
const UI_ORIGIN = 'http://ui.rongcuo.test:8233';

let stack: Stack;
let namespace: string;
/** A client without the keys: it sees what Temporal stores. */
let keyless: Client;
let caseId: string;
let officer: string;

beforeAll(async () => {
  stack = await startStack();
  namespace = stack.env.namespace ?? 'default';
  keyless = new Client({ connection: stack.env.connection, namespace });
  officer = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'officer-1', name: '李办案' });
  const act = (action: string, body: object) =>
    request(stack.app).post(`/v1/cases/${caseId}/actions/${action}`).set('Authorization', `Bearer ${officer}`).send(body).expect(200);
  const created = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', `Bearer ${officer}`)
    .send({ jurisdiction: 'binhai', subject: SUBJECT, matter: MATTER, accountability: { reference: '滨纪问〔2026〕88号' }, eventDate: TODAY })
    .expect(201);
  caseId = created.body.id;
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${officer}`);
    expect(res.body.availableActions.map((a: { name: string }) => a.name)).toContain('fileApplication');
  });
  await act('fileApplication', { filedBy: 'subject', receivedOn: TODAY, summary: FACTS.application });
  await act('appointInvestigationGroup', { appointedOn: TODAY, members: FACTS.investigators.map((name) => ({ name, declaresNoConflict: true })) });
  // The subject is heard before the report (第十三条(二)).
  await act('recordStatement', { receivedOn: TODAY, summary: FACTS.statement });
  await act('submitInvestigationReport', { submittedOn: TODAY, findings: FACTS.findings, recommendation: 'exempt', circumstances: ['binhai-6-3'], mitigating: [] });
});
afterAll(() => stack?.stop());

async function rawHistory(workflowId: string): Promise<temporal.api.history.v1.History> {
  const events: temporal.api.history.v1.IHistoryEvent[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await keyless.workflowService.getWorkflowExecutionHistory({ namespace, execution: { workflowId }, nextPageToken });
    events.push(...(page.history?.events ?? []));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken);
  return temporal.api.history.v1.History.create({ events });
}

/** Every payload in a proto message, with where it sits. */
function payloadsIn(value: unknown, at = ''): { at: string; payload: Payload }[] {
  if (!value || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  const record = value as Record<string, unknown>;
  if (record.metadata && 'data' in record && (record.metadata as Record<string, unknown>).encoding) return [{ at, payload: record as Payload }];
  return Object.keys(record).flatMap((key) => payloadsIn(record[key], `${at}.${key}`));
}

const encodingOf = (p: Payload) => Buffer.from(p.metadata?.encoding ?? []).toString();
const keyIdOf = (p: Payload) => Buffer.from(p.metadata?.['encryption-key-id'] ?? []).toString();

/** The name, and every two characters in a row of the facts: none may be found in what Temporal stores. */
const SECRETS = [SUBJECT.name, SUBJECT.organisation, SUBJECT.position, ...FACTS.investigators].concat(
  [MATTER, FACTS.application, FACTS.findings, FACTS.statement].flatMap((text) => [...text].slice(0, -1).map((c, i) => c + [...text][i + 1]).filter((pair) => /^\p{Script=Han}{2}$/u.test(pair))),
);
const found = (bytes: Uint8Array) => SECRETS.filter((secret) => Buffer.from(bytes).includes(Buffer.from(secret)));

describe('what Temporal stores of a case', () => {
  it('has neither the subject’s name nor any text of the facts in the raw history, every payload encrypted', async () => {
    const history = await rawHistory(caseId);
    expect(history.events.length).toBeGreaterThan(10);
    expect(found(temporal.api.history.v1.History.encode(history).finish())).toEqual([]);

    // Patch markers (patched()) are written by the SDK's core, not through the codec: they hold the patch id only.
    const isPatchMarker = (p: { at: string }) => /markerRecordedEventAttributes\.details\.patch-data\./.test(p.at);
    // The marker of a local activity: the SDK core writes what it needs to replay it, never through the data converter.
    const isLocalActivityMarker = (p: { at: string }) => /markerRecordedEventAttributes\.details\.data\./.test(p.at);
    const payloads = payloadsIn(history).filter((p) => !p.at.includes('searchAttributes') && !isPatchMarker(p) && !isLocalActivityMarker(p));
    expect(payloads.length).toBeGreaterThan(10);
    expect(payloads.filter((p) => encodingOf(p.payload) !== 'binary/encrypted').map((p) => `${p.at}: ${encodingOf(p.payload)}`)).toEqual([]);
    expect(new Set(payloads.map((p) => keyIdOf(p.payload)))).toEqual(new Set([testPayloadKeys.current]));
    for (const marker of payloadsIn(history).filter(isPatchMarker)) {
      expect(Object.keys(JSON.parse(Buffer.from(marker.payload.data!).toString())).sort()).toEqual(['deprecated', 'id']);
    }
    // The view is written by the worker from outside the history (worker/case-views.ts): no local activity
    // writes it any more, so no marker of one is left to hold anything.
    expect(payloadsIn(history).filter(isLocalActivityMarker)).toEqual([]);
  });

  it('keeps search attributes free of it: hashed search terms, no Matter, the key the case was opened with', async () => {
    const { workflowExecutionInfo } = await keyless.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId: caseId } });
    const fields = workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
    const all = Buffer.concat(Object.entries(fields).flatMap(([name, p]) => [Buffer.from(name), Buffer.from(p.data ?? [])]));
    expect(found(all)).toEqual([]);
    expect(Object.keys(fields)).not.toContain(sa.matter.name);
    const terms = JSON.parse(Buffer.from(fields[sa.matterTerms.name]!.data!).toString()) as string[];
    expect(terms.length).toBeGreaterThan(5);
    for (const term of terms) expect(term).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.parse(Buffer.from(fields[sa.payloadKey.name]!.data!).toString())).toBe(testPayloadKeys.current);
    // The memo and the summary the UI lists are payloads, so encrypted too.
    for (const p of Object.values(workflowExecutionInfo?.memo?.fields ?? {})) expect(encodingOf(p)).toBe('binary/encrypted');
    expect(found(Buffer.from(JSON.stringify(workflowExecutionInfo?.memo ?? {})))).toEqual([]);
  });

  it('while the API hands it all back to a signed-in user of the authority, finds the case by words of the matter, and maps refusals', async () => {
    const auditor = await stack.token({ roles: ['auditor'], authority: 'binhai-jw' });
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', `Bearer ${auditor}`).expect(200);
    expect(res.body.subject).toMatchObject(SUBJECT);
    expect(res.body.matter).toBe(MATTER);
    expect(res.body.application.summary).toBe(FACTS.application);
    expect(res.body.investigationGroup.members.map((m: { name: string }) => m.name)).toEqual(FACTS.investigators);
    expect(res.body.investigationReport.findings).toBe(FACTS.findings);

    const listed = await eventually(async () => {
      const list = await request(stack.app).get('/v1/cases').query({ q: '电梯项目' }).set('Authorization', `Bearer ${auditor}`).expect(200);
      expect(list.body.cases.map((c: { id: string }) => c.id)).toEqual([caseId]);
      return list.body.cases[0];
    });
    expect(listed.matter).toBe(MATTER);
    const other = await stack.token({ roles: ['auditor'], authority: 'hangzhou-jyj' });
    expect((await request(stack.app).get('/v1/cases').query({ q: '电梯项目' }).set('Authorization', `Bearer ${other}`)).body.cases).toEqual([]);

    // A refusal's message crosses the wire encrypted (an encoded failure) and still reaches the caller.
    const again = await request(stack.app)
      .post(`/v1/cases/${caseId}/actions/fileApplication`)
      .set('Authorization', `Bearer ${officer}`)
      .send({ filedBy: 'subject', receivedOn: TODAY, summary: '再次申请' });
    expect([again.status, again.body.code]).toEqual([409, 'wrong_stage']);
    expect(again.body.detail).toContain('不能进行 登记容错免责申请');
    const seenWithoutKeys = await keyless.workflow
      .getHandle(caseId)
      .executeUpdate(actionUpdate('fileApplication'), { args: [{ filedBy: 'subject', receivedOn: TODAY, summary: '再次申请', actor: officerActor }] })
      .then(() => undefined, (err: Error) => `${err.message} ${(err.cause as Error | undefined)?.message}`);
    expect(seenWithoutKeys).toBeDefined();
    expect(seenWithoutKeys).not.toContain('不能进行');
  });
});

describe('rotating the payload keys', () => {
  // From AES-256-GCM to SM4 (国密): the cipher belongs to the key, so rotating is how a deployment moves between them.
  const rotated = payloadKeyring([{ id: 'test-2026b', key: new Uint8Array(32).fill(7), cipher: 'sm4' }, ...testPayloadKeys.keys]);

  it('encrypts with the new key (and its cipher) from then on, while the case’s earlier payloads still decrypt with the old one', async () => {
    const taskQueue = uniqueTaskQueue('rotation');
    const bundle = await workflowBundle();
    const workerWith = (dataConverter: ReturnType<typeof caseDataConverter>, client: Client) =>
      createCaseWorker({ connection: stack.env.nativeConnection, namespace, taskQueue, dependencies: { db: stack.db, client }, dataConverter, workflowBundle: bundle });

    const before = await workerWith(testDataConverter, stack.env.client);
    const { caseId: id } = await before.runUntil(async () => {
      const opened = await openCase({ db: stack.db, client: stack.env.client, taskQueue, matterIndex: testMatterIndex }, { sub: 'officer-1', name: '李办案', authority: 'binhai-jw' }, {
        jurisdiction: 'binhai', subject: SUBJECT, matter: MATTER, accountability: { reference: '滨纪问〔2026〕89号' }, eventDate: TODAY,
      });
      // At rest before this worker stops, so no activity of it waits for a timeout to be retried.
      expect((await settle(stack.env.client.workflow.getHandle(opened.caseId))).stage).toBe('application');
      return opened;
    });

    // Every worker and the API restart with the new key first.
    const client = new Client({ connection: stack.env.connection, namespace, dataConverter: caseDataConverter(rotated) });
    const after = await workerWith(caseDataConverter(rotated), client);
    const state = await after.runUntil(async () => {
      await client.workflow.getHandle(id).executeUpdate(actionUpdate('fileApplication'), { args: [{ filedBy: 'subject', receivedOn: TODAY, summary: FACTS.application, actor: officerActor }] });
      return settle(client.workflow.getHandle(id));
    });
    expect(state.subject.name).toBe(SUBJECT.name);
    expect(state.application?.summary).toBe(FACTS.application);

    const payloads = payloadsIn(await rawHistory(id)).filter((p) => !p.at.includes('searchAttributes'));
    const started = payloads.filter((p) => p.at.includes('workflowExecutionStartedEventAttributes.input'));
    const application = payloads.filter((p) => p.at.includes('workflowExecutionUpdateAcceptedEventAttributes'));
    expect([...new Set(started.map((p) => keyIdOf(p.payload)))]).toEqual(['test-2026a']);
    expect([...new Set(application.map((p) => keyIdOf(p.payload)))]).toEqual(['test-2026b']);
    const cipherOf = (p: Payload) => Buffer.from(p.metadata?.['encryption-cipher'] ?? []).toString();
    expect([...new Set(started.map((p) => cipherOf(p.payload)))]).toEqual(['AES-256-GCM/deflate']);
    expect([...new Set(application.map((p) => cipherOf(p.payload)))]).toEqual(['SM4-CTR-HMAC-SM3/deflate']);
    await client.workflow.getHandle(id).terminate('test ended');
  });
});

describe('a worker without a key that open cases need', () => {
  const withoutTheTestKey = payloadKeyring([{ id: 'other-2027', key: new Uint8Array(32).fill(9) }]);
  const both = payloadKeyring([...withoutTheTestKey.keys, ...testPayloadKeys.keys]);
  const opener = { sub: 'officer-1', name: '李办案', authority: 'binhai-jw' };
  const opening = { jurisdiction: 'binhai', subject: SUBJECT, matter: MATTER, accountability: { reference: '滨纪问〔2026〕90号' }, eventDate: TODAY };

  it('holds only the cases sealed with the missing key, names them in one line, and runs every other case', async () => {
    const taskQueue = uniqueTaskQueue('missing-key');
    const bundle = await workflowBundle();
    const clientOf = (keys: typeof both) => new Client({ connection: stack.env.connection, namespace, dataConverter: caseDataConverter(keys) });
    const [other, withBoth] = [clientOf(withoutTheTestKey), clientOf(both)];
    // One case sealed with the test key, one with the other key only (opened after a rotation to it).
    const sealedWithTestKey = (await openCase({ db: stack.db, client: stack.env.client, taskQueue, matterIndex: testMatterIndex }, opener, opening)).caseId;
    const sealedWithOther = (await openCase({ db: stack.db, client: other, taskQueue, matterIndex: testMatterIndex }, opener, opening)).caseId;

    const { missing } = await missingPayloadKeys(withoutTheTestKey, stack.db, { client: stack.env.client, namespace });
    expect(missing.map((m) => m.keyId)).toEqual(['test-2026a']);
    expect(missing[0]!.cases).toEqual(expect.arrayContaining([sealedWithTestKey, caseId]));
    expect(missing[0]!.cases).not.toContain(sealedWithOther);
    expect(missingKeyLine(missing[0]!, withoutTheTestKey)).toMatch(
      /^payload key "test-2026a" is missing \(have other-2027\): \d+ open cases sealed with it wait for it \(case-binhai-\d{4}-\d{4}.*\); every other case runs\. Add it back to PAYLOAD_KEYS, PAYLOAD_KEYS_FILE or DATA_DIR\/payload-keys and restart$/,
    );
    expect((await missingPayloadKeys(both, stack.db, { client: stack.env.client, namespace })).missing).toEqual([]);

    // The worker without the key, as worker/main.ts starts it: it awaits the key the check named.
    const lacking = caseDataConverter(withoutTheTestKey);
    encryptionCodecOf(lacking)!.awaitKeys(missing.map((m) => m.keyId));
    const worker = await createCaseWorker({ connection: stack.env.nativeConnection, namespace, taskQueue, dependencies: { db: stack.db, client: other }, dataConverter: lacking, workflowBundle: bundle });
    await worker.runUntil(async () => {
      const state = await eventually(async () => {
        const s = await other.workflow.getHandle(sealedWithOther).query(caseStateQuery);
        expect(s.availableActions.map((a) => a.name)).toContain('fileApplication');
        return s;
      }, 30_000);
      expect(state.subject.name).toBe(SUBJECT.name);
      // The case sealed with the missing key waits: its workflow task fails to decode and is retried, the case is not failed.
      await eventually(async () => {
        const events = (await keyless.workflow.getHandle(sealedWithTestKey).fetchHistory()).events ?? [];
        expect(events.some((e) => e.workflowTaskFailedEventAttributes)).toBe(true);
      }, 30_000);
      expect((await withBoth.workflow.getHandle(sealedWithTestKey).describe()).status.name).toBe('RUNNING');
    });

    // The key back: the held case goes on.
    const restored = await createCaseWorker({ connection: stack.env.nativeConnection, namespace, taskQueue, dependencies: { db: stack.db, client: withBoth }, dataConverter: caseDataConverter(both), workflowBundle: bundle });
    await restored.runUntil(async () => {
      await eventually(async () => {
        const s = await withBoth.workflow.getHandle(sealedWithTestKey).query(caseStateQuery);
        expect(s.availableActions.map((a) => a.name)).toContain('fileApplication');
      }, 60_000);
    });
    for (const id of [sealedWithTestKey, sealedWithOther]) await stack.env.client.workflow.getHandle(id).terminate('test done');
  });

  it('starts all the same, with one line naming the key and its cases', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-keys-'));
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/register-ts.cjs'), path.join(ROOT, 'worker/main.ts')], {
      cwd: ROOT,
      env: { ...inherited, TEMPORAL_ADDRESS: stack.env.address, TEMPORAL_NAMESPACE: namespace, DATA_DIR: dataDir, LOG_LEVEL: 'info', WORKER_METRICS_ADDRESS: '', PAYLOAD_KEYS: `other-2027:${Buffer.alloc(32, 9).toString('base64')}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the worker did not start:\n${output}`)), 90_000);
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          if (output.includes('worker running')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        void exited.then((code) => reject(new Error(`the worker exited (${code}):\n${output}`)));
      });
    } finally {
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    const lines = output.split('\n').filter((l) => l.includes('is missing'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).msg).toMatch(new RegExp(`^payload key "test-2026a" is missing \\(have other-2027\\): \\d+ open cases? sealed with it wait for it \\(.*${caseId}.*\\); every other case runs`));
    expect(TEST_PAYLOAD_KEYS).toContain('test-2026a:');
  });
});

describe('the codec endpoint the Temporal UI reads histories through', () => {
  const secret = new TextEncoder().encode('test-secret-test-secret-test-secret-0123456789');
  const logged: string[] = [];
  const appWith = (anonymousCodecDecode = false) =>
    createApp({
      client: stack.env.client,
      db: stack.db,
      verifyToken: createVerifier({ kind: 'secret', secret }),
      taskQueue: stack.taskQueue,
      namespace,
      baseUrl: 'http://rongcuo.test',
      logger: pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (logged.push(String(chunk)), done()) })),
      matterIndex: testMatterIndex,
      corsOrigins: ['http://portal.rongcuo.test'],
      temporalUiOrigin: UI_ORIGIN,
      anonymousCodecDecode,
    });
  const asJson = (p: Payload) => ({
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
    data: Buffer.from(p.data ?? []).toString('base64'),
  });
  let startInput: { metadata: Record<string, string>; data: string };
  beforeAll(async () => {
    const history = await rawHistory(caseId);
    startInput = asJson(history.events[0]!.workflowExecutionStartedEventAttributes!.input!.payloads![0]!);
  });

  it('decrypts for an auditor as the remote codec protocol answers, and logs who and which case but never the payload', async () => {
    const auditor = await stack.token({ roles: ['auditor'], authority: 'binhai-jw', sub: 'auditor-7' });
    logged.length = 0;
    const res = await request(appWith())
      .post('/codec/decode')
      .set('Authorization', `Bearer ${auditor}`)
      .set('X-Namespace', namespace)
      .set('Origin', UI_ORIGIN)
      .send({ payloads: [startInput, { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"未加密"').toString('base64') }] })
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    const [input, plain] = res.body.payloads as { metadata: Record<string, string>; data: string }[];
    expect(Buffer.from(input!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(input!.data, 'base64').toString())).toMatchObject({ caseId, subject: SUBJECT, matter: MATTER });
    expect(Buffer.from(plain!.data, 'base64').toString()).toBe('"未加密"');

    const line = logged.map((l) => JSON.parse(l)).find((l) => l.msg === 'payloads decoded');
    expect(line).toMatchObject({ user: 'auditor-7', cases: [caseId], payloads: 2, origin: UI_ORIGIN });
    expect(found(Buffer.from(logged.join('\n')))).toEqual([]);
  });

  it('refuses an officer, a caller without a token, another namespace, and a payload it cannot decrypt', async () => {
    const app = appWith();
    const send = (token?: string, namespaceHeader = namespace, payloads = [startInput]) => {
      const req = request(app).post('/codec/decode').set('X-Namespace', namespaceHeader);
      return (token ? req.set('Authorization', `Bearer ${token}`) : req).send({ payloads });
    };
    const officerOfTheCase = await stack.token({ roles: ['officer', 'supervisor'], authority: 'binhai-jw' });
    const admin = await stack.token({ roles: ['admin'], authority: 'binhai-jw' });
    expect([(await send(officerOfTheCase)).status, (await send(officerOfTheCase)).body.code]).toEqual([403, 'forbidden']);
    expect((await send()).status).toBe(401);
    const elsewhere = await send(admin, 'another-namespace');
    expect([elsewhere.status, elsewhere.body.errors]).toEqual([400, [{ field: 'header.x-namespace', message: `this codec serves namespace ${namespace} only` }]]);
    const unknownKey = { ...startInput, metadata: { ...startInput.metadata, 'encryption-key-id': Buffer.from('lost-key').toString('base64') } };
    const undecodable = await send(admin, namespace, [startInput, unknownKey]);
    expect([undecodable.status, undecodable.body.code]).toEqual([400, 'undecodable_payload']);
    expect(undecodable.body.errors).toEqual([{ field: 'body.payloads.1', message: 'encrypted with a payload key this service does not hold' }]);
    // Errors never name a payload key, neither the one asked for nor those held.
    expect(JSON.stringify(undecodable.body)).not.toMatch(/lost-key|test-2026a/);
  });

  it('encodes nothing: a payload sealed for the UI could be sent into a case as a step, and only the API takes steps', async () => {
    const app = appWith();
    const admin = await stack.token({ roles: ['admin'], authority: 'binhai-jw' });
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify({ note: SUBJECT.name })).toString('base64') };
    const res = await request(app).post('/codec/encode').set('Authorization', `Bearer ${admin}`).send({ payloads: [plain] });
    expect([res.status, res.body.code]).toEqual([404, 'not_found']);
  });

  it('answers browsers from the Temporal UI’s origin only, even where the API’s CORS allows another', async () => {
    const app = appWith();
    const preflight = (url: string, origin: string) =>
      request(app).options(url).set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'authorization,content-type,x-namespace');
    const fromUi = await preflight('/codec/decode', UI_ORIGIN);
    expect(fromUi.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(fromUi.headers['access-control-allow-credentials']).toBe('true');
    expect(fromUi.headers['access-control-allow-headers']).toBe('Authorization,Content-Type,X-Namespace');
    const fromPortal = await preflight('/codec/decode', 'http://portal.rongcuo.test');
    expect(fromPortal.headers['access-control-allow-origin']).toBeUndefined();
    const fromElsewhere = await preflight('/codec/decode', 'http://evil.example');
    expect(fromElsewhere.headers['access-control-allow-origin']).toBeUndefined();
    // The API itself still answers the portal it is configured for, and not the UI.
    expect((await preflight('/v1/cases', 'http://portal.rongcuo.test')).headers['access-control-allow-origin']).toBe('http://portal.rongcuo.test');
    expect((await preflight('/v1/cases', UI_ORIGIN)).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('decodes without a token only where configured for the embedded UI (CODEC_AUTH=none), from its origin or no browser, naming both and the case', async () => {
    logged.length = 0;
    const app = appWith(true);
    const res = await request(app).post('/codec/decode').set('Origin', UI_ORIGIN).send({ payloads: [startInput] }).expect(200);
    expect(JSON.parse(Buffer.from(res.body.payloads[0].data, 'base64').toString()).caseId).toBe(caseId);
    expect(logged.map((l) => JSON.parse(l)).find((l) => l.msg === 'payloads decoded')).toMatchObject({ user: 'anonymous (CODEC_AUTH=none)', origin: UI_ORIGIN, uiOrigin: UI_ORIGIN, cases: [caseId] });
    // The CLI (--codec-endpoint) sends no Origin; a page of another origin is refused.
    logged.length = 0;
    await request(app).post('/codec/decode').send({ payloads: [startInput] }).expect(200);
    expect(logged.map((l) => JSON.parse(l)).find((l) => l.msg === 'payloads decoded')).toMatchObject({ origin: 'none (not a browser)', uiOrigin: UI_ORIGIN, cases: [caseId] });
    const elsewhere = await request(app).post('/codec/decode').set('Origin', 'http://evil.example').send({ payloads: [startInput] });
    expect([elsewhere.status, elsewhere.body.code]).toEqual([403, 'codec_forbidden']);
    expect((await request(app).post('/codec/encode').send({ payloads: [] })).status).toBe(404);
  });
});
