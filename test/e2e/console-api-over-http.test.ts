/**
 * What the API offers its console (办案工作台), on the real stack: the page
 * itself at `/` under a Content-Security-Policy with no inline script; the
 * sign-in settings and the development sign-in, which exists only without an
 * OIDC issuer; the caller's deadlines as JSON and as a personal .ics feed
 * that can be replaced and revoked; and the preview of loading a year's
 * holiday schedule, which names the cases and deadlines the load recounts.
 * (The pages themselves run in a real browser: npm run test:console.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import ICAL from 'ical.js';
import { decodeJwt } from 'jose';
import { createApp } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { signInFor, verifierFor } from '../../api/server';
import { ConfigError, parseConfig } from '../../config/env';
import { addDays, beijingDate } from '../../domain/calendar';
import { publishedSchedules } from '../../services/calendar/published';
import { eventually } from '../support/eventually';
import { STACK_SECRET, startStack, type Stack } from '../support/stack';
import { testMatterIndex } from '../support/keys';

// No published schedule from this year on: a case opened today counts provisionally.
const today = beijingDate(Date.now());
const currentYear = Number(today.slice(0, 4));
const published = new Map([...publishedSchedules].filter(([year]) => year < currentYear));

let stack: Stack;
let officer: string;
let caseId: string;

beforeAll(async () => {
  stack = await startStack({ publishedSchedules: published, app: { baseUrl: 'http://console.test', signIn: { kind: 'development', secret: STACK_SECRET } } });
  officer = `Bearer ${await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'bh-officer' })}`;
  const opened = await request(stack.app)
    .post('/v1/cases')
    .set('Authorization', officer)
    .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道党工委' }, matter: '老旧小区改造中的程序瑕疵', accountability: { reference: '滨纪问〔2026〕41号' }, eventDate: today })
    .expect(201);
  caseId = opened.body.id;
  await eventually(async () => {
    const res = await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', officer);
    expect(res.body.deadlines).toHaveLength(1);
  });
});
afterAll(() => stack?.stop());

describe('the console page', () => {
  function appWith(consoleDir: string, signIn?: Parameters<typeof createApp>[0]['signIn']) {
    return createApp({
      client: stack.env.client,
      db: stack.db,
      verifyToken: createVerifier({ kind: 'secret', secret: STACK_SECRET }),
      taskQueue: stack.taskQueue,
      namespace: 'default',
      baseUrl: 'http://console.test',
      logger: pino({ level: 'silent' }),
      matterIndex: testMatterIndex,
      consoleDir,
      ...(signIn ? { signIn } : {}),
    });
  }

  it('is served at / from the build, never cached, under a policy that runs only its own scripts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-'));
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc.js"></script>');
    fs.writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    const app = appWith(dir);
    const page = await request(app).get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['cache-control']).toBe('no-cache');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    expect(csp).not.toContain('upgrade-insecure-requests');
    const asset = await request(app).get('/assets/index-abc.js').expect(200);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    await request(app).get('/assets/missing.js').expect(404);
    fs.rmSync(dir, { recursive: true });
  });

  it('says how to build it when it is not built', async () => {
    const res = await request(appWith(path.join(os.tmpdir(), 'no-console-here'))).get('/').expect(404);
    expect(res.body).toMatchObject({ code: 'console_not_built' });
    expect(res.body.detail).toContain('npm run build');
  });

  it('lets the console reach the OIDC issuer, and offers no development sign-in beside it', async () => {
    const app = appWith(path.join(os.tmpdir(), 'no-console-here'), { kind: 'oidc', issuer: 'https://idp.example/realms/gov', clientId: 'console', audience: 'rongcuo' });
    const settings = await request(app).get('/v1/sign-in').expect(200);
    expect(settings.body).toEqual({ mode: 'oidc', issuer: 'https://idp.example/realms/gov', clientId: 'console', scope: 'openid profile', audience: 'rongcuo' });
    expect(settings.headers['content-security-policy']).toMatch(/connect-src 'self' https:\/\/idp\.example[;]/);
    await request(app).post('/v1/sign-in/development').send({ sub: 'x', name: '某', roles: ['admin'], authority: 'binhai-jw' }).expect(404);
  });
});

describe('signing in', () => {
  it('offers the development sign-in only in development on loopback, or where DEV_SIGN_IN says so, never beside an issuer', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signin-'));
    expect(signInFor(parseConfig({ DATA_DIR: dataDir })).kind).toBe('development');
    expect(signInFor(parseConfig({ DATA_DIR: dataDir, TOKEN_SECRET: 'x'.repeat(32) })).kind).toBe('development');
    expect(signInFor(parseConfig({ DATA_DIR: dataDir, TOKEN_SECRET: 'x'.repeat(32), API_HOST: '0.0.0.0' })).kind).toBe('none');
    expect(signInFor(parseConfig({ DATA_DIR: dataDir, TOKEN_SECRET: 'x'.repeat(32), API_HOST: '0.0.0.0', DEV_SIGN_IN: 'true' })).kind).toBe('development');
    expect(signInFor(parseConfig({ DATA_DIR: dataDir, DEV_SIGN_IN: 'false' })).kind).toBe('none');
    const issuer = { DATA_DIR: dataDir, JWKS_URL: 'https://idp.example/jwks', TOKEN_ISSUER: 'https://idp.example', TOKEN_AUDIENCE: 'rongcuo' };
    expect(signInFor(parseConfig(issuer)).kind).toBe('none');
    expect(signInFor(parseConfig({ ...issuer, OIDC_CLIENT_ID: 'console' }))).toMatchObject({ kind: 'oidc', issuer: 'https://idp.example', clientId: 'console', audience: 'rongcuo' });
    expect(() => parseConfig({ ...issuer, DEV_SIGN_IN: 'true' })).toThrow(ConfigError);
    fs.rmSync(dataDir, { recursive: true });
  });

  it('mints, in development, a token the API accepts for the role and authority picked, and names bad fields', async () => {
    const settings = await request(stack.app).get('/v1/sign-in').expect(200);
    expect(settings.body.mode).toBe('development');
    expect(settings.body.authorities).toContainEqual(expect.objectContaining({ id: 'binhai-jw', jurisdiction: 'binhai' }));
    const bad = await request(stack.app).post('/v1/sign-in/development').send({ sub: 'a b', name: '', roles: [], authority: 'binhai-jw' }).expect(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body.name', 'body.roles', 'body.sub']);
    const signedIn = await request(stack.app).post('/v1/sign-in/development').send({ sub: 'bh-auditor', name: '审计员', roles: ['auditor'], authority: 'binhai-jw' }).expect(200);
    const auth = `Bearer ${signedIn.body.token}`;
    await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', auth).expect(200);
    await request(stack.app).post('/v1/cases').set('Authorization', auth).send({}).expect(403);
  });

  it('offers the system administrator’s role too, and mints tokens only for the authorities it offers', async () => {
    const settings = await request(stack.app).get('/v1/sign-in').expect(200);
    expect(settings.body.systemRoles).toEqual(['system-admin']);
    const signedIn = await request(stack.app).post('/v1/sign-in/development').send({ sub: 'sys-1', name: '系统管理员', roles: ['system-admin'], authority: 'binhai-jw' }).expect(200);
    const auth = `Bearer ${signedIn.body.token}`;
    // The role the API wants for the national calendar: it checks a year (and loads one, test/console), and reads no authority's cases.
    const schedule = { source: '国办发明电〔测试〕9号', holidays: [{ date: '2099-01-01', name: '元旦' }], makeUpWorkdays: [] };
    await request(stack.app).post('/v1/calendar/years/2099/preview').set('Authorization', auth).send(schedule).expect(200);
    await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', auth).expect(403);
    const unknown = await request(stack.app).post('/v1/sign-in/development').send({ sub: 'x-1', name: '某', roles: ['officer'], authority: 'nowhere-jw' }).expect(400);
    expect(unknown.body.errors).toEqual([{ field: 'body.authority', message: 'is not a configured authority' }]);
    // An account id the API's claims would refuse is refused here, not minted into a token that answers 400 on every call.
    const dotted = await request(stack.app).post('/v1/sign-in/development').send({ sub: '.x', name: '某', roles: ['officer'], authority: 'binhai-jw' }).expect(400);
    expect(dotted.body.errors.map((e: { field: string }) => e.field)).toEqual(['body.sub']);
  });

  it('signs development tokens by the rules the API verifies them with: issuer, audience and the maximum token age', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'signin-'));
    const config = parseConfig({ DATA_DIR: dataDir, TOKEN_ISSUER: 'https://sso.test', TOKEN_AUDIENCE: 'rongcuo-test', TOKEN_MAX_AGE_SECONDS: '3600' });
    const app = createApp({
      client: stack.env.client,
      db: stack.db,
      verifyToken: verifierFor(config),
      taskQueue: stack.taskQueue,
      namespace: 'default',
      baseUrl: 'http://console.test',
      logger: pino({ level: 'silent' }),
      matterIndex: testMatterIndex,
      signIn: signInFor(config),
    });
    expect((await request(app).get('/v1/sign-in').expect(200)).body.tokenLifetimeSeconds).toBe(3600);
    const signedIn = await request(app).post('/v1/sign-in/development').send({ sub: 'bh-officer', name: '李办案', roles: ['officer'], authority: 'binhai-jw' }).expect(200);
    const claims = decodeJwt(signedIn.body.token);
    expect([claims.iss, claims.aud, claims.exp! - claims.iat!]).toEqual(['https://sso.test', 'rongcuo-test', 3600]);
    expect(signedIn.body.expiresAt).toBe(new Date(claims.exp! * 1000).toISOString());
    await request(app).get('/v1/rulebooks').set('Authorization', `Bearer ${signedIn.body.token}`).expect(200);
    fs.rmSync(dataDir, { recursive: true });
  });

  it('marks the rulebooks the caller’s authority opens cases under, as POST /v1/cases decides', async () => {
    const res = await request(stack.app).get('/v1/rulebooks').set('Authorization', officer).expect(200);
    const usable = res.body.rulebooks.filter((b: { usable: boolean }) => b.usable).map((b: { id: string }) => b.id);
    expect(usable).toEqual(['binhai']);
    // An authority bound to no jurisdiction opens no case (403 jurisdiction_not_bound), so no rulebook is usable to it.
    const unbound = `Bearer ${await stack.token({ roles: ['officer'], authority: 'nowhere-jw' })}`;
    const theirs = await request(stack.app).get('/v1/rulebooks').set('Authorization', unbound).expect(200);
    expect(theirs.body.rulebooks.filter((b: { usable: boolean }) => b.usable)).toEqual([]);
    const refused = await request(stack.app)
      .post('/v1/cases')
      .set('Authorization', unbound)
      .send({ jurisdiction: 'binhai', subject: { name: '王某', organisation: '某街道党工委' }, matter: '程序瑕疵', accountability: { reference: '滨纪问〔2026〕42号' }, eventDate: today })
      .expect(403);
    expect(refused.body.code).toBe('jurisdiction_not_bound');
  });
});

describe('deadlines on a calendar', () => {
  it('lists the authority’s pending deadlines between two days, and none of another authority', async () => {
    const state = (await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', officer)).body;
    const window = state.deadlines[0];
    const res = await request(stack.app).get('/v1/calendar/deadlines').query({ from: today, to: addDays(today, 60) }).set('Authorization', officer).expect(200);
    expect(res.body.deadlines).toContainEqual(expect.objectContaining({ caseId, key: window.key, deadline: window.deadline, provisional: true, basis: window.basis }));
    const other = `Bearer ${await stack.token({ roles: ['officer'], authority: 'hz-jyj' })}`;
    const theirs = await request(stack.app).get('/v1/calendar/deadlines').query({ from: today, to: addDays(today, 60) }).set('Authorization', other).expect(200);
    expect(theirs.body.deadlines.map((d: { caseId: string }) => d.caseId)).not.toContain(caseId);
    const backwards = await request(stack.app).get('/v1/calendar/deadlines').query({ from: today, to: addDays(today, -1) }).set('Authorization', officer).expect(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ field: 'query.to' })]);
  });

  it('serves a personal .ics feed by its token, which making a new one or revoking ends', async () => {
    const state = (await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', officer)).body;
    const window = state.deadlines[0];
    expect((await request(stack.app).get('/v1/calendar/feed').set('Authorization', officer).expect(200)).body).toEqual({ feed: null });
    const made = await request(stack.app).post('/v1/calendar/feed').set('Authorization', officer).expect(201);
    const feedPath = new URL(made.body.url).pathname;
    expect(made.body.url).toMatch(/^http:\/\/console\.test\/v1\/calendar\/feeds\/[A-Za-z0-9_-]{43}\.ics$/);
    const ics = await request(stack.app).get(feedPath).expect(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    const events = new ICAL.Component(ICAL.parse(ics.text)).getAllSubcomponents('vevent').map((e) => new ICAL.Event(e));
    const event = events.find((e) => e.uid === `${caseId}.${window.key}@rongcuo`);
    expect(event?.startDate.toString()).toBe(window.deadline);
    expect(event?.summary).toContain(window.label);
    expect(event?.description).toContain(window.basis.article);
    expect(event?.description).toContain('暂定');
    // The feed names the case by id, never the subject.
    expect(ics.text).not.toContain('王某');

    const again = await request(stack.app).post('/v1/calendar/feed').set('Authorization', officer).expect(201);
    await request(stack.app).get(feedPath).expect(404);
    await request(stack.app).get(new URL(again.body.url).pathname).expect(200);
    await request(stack.app).delete('/v1/calendar/feed').set('Authorization', officer).expect(204);
    await request(stack.app).get(new URL(again.body.url).pathname).expect(404);
    await request(stack.app).delete('/v1/calendar/feed').set('Authorization', officer).expect(404);
  });
});

describe('loading a year, previewed', () => {
  const admin = () => stack.token({ roles: ['admin'], authority: 'binhai-jw', sub: 'admin-1', name: '管理员' });

  it('checks the schedule as the load would, naming each field', async () => {
    const res = await request(stack.app)
      .post(`/v1/calendar/years/${currentYear}/preview`)
      .set('Authorization', `Bearer ${await admin()}`)
      .send({ source: '国办发明电〔测试〕1号', holidays: [{ date: `${currentYear + 1}-01-01`, name: '元旦' }], makeUpWorkdays: [] })
      .expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.holidays.0.date', message: `must lie inside ${currentYear}` })]);
  });

  it('names the running cases and deadlines the load would recount, with their last day before and after, and loads nothing', async () => {
    const state = (await request(stack.app).get(`/v1/cases/${caseId}`).set('Authorization', officer)).body;
    const window = state.deadlines[0];
    // Every day between the event and the window's end a day off: the window's last day moves later.
    const days = Array.from({ length: 9 }, (_, i) => addDays(today, i + 1)).filter((d) => d.startsWith(`${currentYear}-`));
    const schedule = { source: '国办发明电〔测试〕2号', holidays: days.map((date) => ({ date, name: '测试假日' })), makeUpWorkdays: [] };
    const res = await request(stack.app).post(`/v1/calendar/years/${currentYear}/preview`).set('Authorization', `Bearer ${await admin()}`).send(schedule).expect(200);
    expect(res.body).toMatchObject({ year: currentYear, current: null, holidays: days.length, makeUpWorkdays: 0 });
    expect(res.body.casesToRecount).toBeGreaterThanOrEqual(1);
    const ours = res.body.cases.find((c: { caseId: string }) => c.caseId === caseId);
    const recount = ours.deadlines.find((d: { key: string }) => d.key === window.key);
    expect(recount).toMatchObject({ label: window.label, article: window.basis.article, before: window.deadline });
    if (days.length > 0) expect(recount.after > recount.before).toBe(true);
    // Nothing was loaded.
    const years = await request(stack.app).get('/v1/calendar/years').set('Authorization', officer).expect(200);
    expect(years.body.years.map((y: { year: number }) => y.year)).not.toContain(currentYear);
    await request(stack.app).post(`/v1/calendar/years/${currentYear}/preview`).set('Authorization', officer).send(schedule).expect(403);
  });
});
