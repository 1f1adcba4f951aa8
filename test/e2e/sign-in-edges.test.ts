/**
 * The edges of signing in, as an attacker would try them on a real stack:
 * nothing is open by default (no API starts in production or beyond loopback
 * without a secret of the operator's, no development sign-in outside
 * development on loopback, no answer to a host name that is not the API's);
 * a client that guesses tokens is slowed, never a whole office behind one
 * address; and a credential whose claims are malformed is an invalid
 * credential (401, RFC 6750), not a bad request.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SignJWT } from 'jose';
import request from 'supertest';
import type { AppDeps } from '../../api/app';
import { EMBEDDED_TOKEN_AUDIENCE, EMBEDDED_TOKEN_ISSUER } from '../../api/auth';
import { signInFor } from '../../api/server';
import { ConfigError, parseConfig } from '../../config/env';
import { freePort } from '../support/ports';
import { appOverStack, startStack, type Stack } from '../support/stack';

const ROOT = path.resolve(__dirname, '../..');
const KEYS = `k1:${Buffer.alloc(32, 1).toString('base64')}`;
const SEARCH_TERMS_KEY = 'search-terms-key-search-terms-key-0123456789';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const appWith = (overrides: Partial<AppDeps>) => appOverStack(stack, overrides);

function expectProblem(res: request.Response, status: number, code?: string): void {
  expect(`${res.status} ${res.body?.code}`).toBe(`${status} ${code ?? res.body?.code}`);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
}

/** Starts the real API entry point (api/server.ts) and answers how it ended: its exit code and what it wrote. */
function startApiProcess(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'test/support/register-ts.cjs'), path.join(ROOT, 'api/server.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir(), STARTUP_WAIT_SECONDS: '0', TEMPORAL_ADDRESS: '127.0.0.1:1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not stop by itself: ${stderr}${stdout}`));
    }, 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}

describe('nothing open by default', () => {
  it.each([
    ['in production', { NODE_ENV: 'production', PAYLOAD_KEYS: KEYS, SEARCH_TERMS_KEY, API_HOST: '127.0.0.1' }, /^configuration error: TOKEN_SECRET: required in production \(NODE_ENV=production\) unless JWKS_URL is set/],
    ['listening beyond loopback', { API_HOST: '0.0.0.0' }, /^configuration error: TOKEN_SECRET: required when the API listens beyond loopback \(API_HOST=0\.0\.0\.0\) unless JWKS_URL is set/],
  ])('refuses to start %s without TOKEN_SECRET or JWKS_URL, with one line naming the setting', async (_where, env, line) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-no-secret-'));
    try {
      const ended = await startApiProcess({ ...env, DATA_DIR: dataDir, API_PORT: String(await freePort()) });
      expect(ended.code).toBe(78);
      expect(ended.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)]);
      // Nothing was generated in its place: no secret of its own that nobody else holds.
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('offers the development sign-in only in development on a loopback API, or where DEV_SIGN_IN=true says so, and never in production', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-sign-in-'));
    const secret = 'operator-secret-operator-secret-operator-secret';
    const production = { DATA_DIR: dataDir, NODE_ENV: 'production', PAYLOAD_KEYS: KEYS, SEARCH_TERMS_KEY, TOKEN_SECRET: secret };
    expect(signInFor(parseConfig({ DATA_DIR: dataDir })).kind).toBe('development');
    expect(signInFor(parseConfig({ ...production, API_HOST: '0.0.0.0' }, { api: true })).kind).toBe('none');
    expect(signInFor(parseConfig({ ...production, API_HOST: '127.0.0.1' }, { api: true })).kind).toBe('none');
    expect(signInFor(parseConfig({ DATA_DIR: dataDir, API_HOST: '0.0.0.0', TOKEN_SECRET: secret }, { api: true })).kind).toBe('none');
    expect(signInFor(parseConfig({ DATA_DIR: dataDir, API_HOST: '0.0.0.0', TOKEN_SECRET: secret, DEV_SIGN_IN: 'true' }, { api: true })).kind).toBe('development');
    expect(() => parseConfig({ ...production, DEV_SIGN_IN: 'true' })).toThrow(new ConfigError('configuration error: DEV_SIGN_IN: must not be true in production (NODE_ENV=production): anyone who reaches the API could sign in as any role'));
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('mounts no development sign-in on a production API, so nobody who reaches its port mints a token', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-sign-in-'));
    const config = parseConfig({ DATA_DIR: dataDir, NODE_ENV: 'production', API_HOST: '0.0.0.0', PAYLOAD_KEYS: KEYS, SEARCH_TERMS_KEY, TOKEN_SECRET: 'operator-secret-operator-secret-operator-secret' }, { api: true });
    const app = appWith({ signIn: signInFor(config) });
    expect((await request(app).get('/v1/sign-in').expect(200)).body).toEqual({ mode: 'none' });
    const minted = await request(app).post('/v1/sign-in/development').send({ sub: 'attacker', name: '某', roles: ['system-admin'], authority: 'binhai-jw' });
    expectProblem(minted, 404, 'not_found');
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers only the host names it is reached by: a DNS-rebinding page gets 421 and no token', async () => {
    const app = appWith({ baseUrl: 'https://rongcuo.example.gov.cn', signIn: { kind: 'development', secret: stack.secret } });
    const body = { sub: 'u-1', name: '某', roles: ['system-admin'], authority: 'binhai-jw' };
    for (const host of ['attacker.example:3000', 'rongcuo.example.gov.cn.attacker.example', '127.0.0.1.nip.io:3000']) {
      const rebound = await request(app).post('/v1/sign-in/development').set('Host', host).send(body);
      expectProblem(rebound, 421, 'misdirected_request');
      expect(rebound.body.token).toBeUndefined();
      expectProblem(await request(app).get('/healthz').set('Host', host), 421, 'misdirected_request');
    }
    for (const host of ['rongcuo.example.gov.cn', 'RONGCUO.example.gov.cn.:443', '127.0.0.1:3000', 'localhost:8080', '[::1]:3000']) {
      expect([host, (await request(app).post('/v1/sign-in/development').set('Host', host).send(body)).status]).toEqual([host, 200]);
    }
  });
});

describe('brute force is slowed, and never locks out a whole office', () => {
  const forged = () => new SignJWT({ name: '某', roles: ['officer'], authority: 'binhai-jw' }).setProtectedHeader({ alg: 'HS256' }).setSubject('guess').setIssuer(EMBEDDED_TOKEN_ISSUER).setAudience(EMBEDDED_TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('not-the-secret-not-the-secret-not-the-secret'));

  it('answers the 31st forged token from one address 429, and still serves a valid token from that address', async () => {
    const app = appWith({ authFailuresPerMinute: 30 });
    const valid = `Bearer ${await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'colleague', name: '同事' })}`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) statuses.push((await request(app).get('/v1/rulebooks').set('Authorization', `Bearer ${await forged()}`)).status);
    expect(statuses).toEqual([...Array(30).fill(401), 429]);
    const slowed = await request(app).get('/v1/rulebooks').set('Authorization', `Bearer ${await forged()}`);
    expectProblem(slowed, 429, 'too_many_failed_sign_ins');
    expect(Number(slowed.headers['retry-after'])).toBeGreaterThan(0);
    // The colleague behind the same address, with a good token, is served.
    expect((await request(app).get('/v1/rulebooks').set('Authorization', valid)).status).toBe(200);
  });

  it('counts each client behind a trusted proxy (TRUST_PROXY) by its own address, and believes no X-Forwarded-For without one', async () => {
    const behindProxy = appWith({ authFailuresPerMinute: 3, trustProxy: 1 });
    for (let i = 0; i < 4; i += 1) await request(behindProxy).get('/v1/rulebooks').set('X-Forwarded-For', '10.1.0.7').set('Authorization', 'Bearer not.a.token');
    expectProblem(await request(behindProxy).get('/v1/rulebooks').set('X-Forwarded-For', '10.1.0.7').set('Authorization', 'Bearer not.a.token'), 429, 'too_many_failed_sign_ins');
    expectProblem(await request(behindProxy).get('/v1/rulebooks').set('X-Forwarded-For', '10.1.0.8').set('Authorization', 'Bearer not.a.token'), 401, 'unauthenticated');

    const direct = appWith({ authFailuresPerMinute: 3 });
    for (let i = 0; i < 4; i += 1) await request(direct).get('/v1/rulebooks').set('X-Forwarded-For', `10.2.0.${i}`).set('Authorization', 'Bearer not.a.token');
    // A made-up X-Forwarded-For does not make a guesser someone new.
    expectProblem(await request(direct).get('/v1/rulebooks').set('X-Forwarded-For', '10.2.0.99').set('Authorization', 'Bearer not.a.token'), 429, 'too_many_failed_sign_ins');
  });

  it('reads TRUST_PROXY as a hop count or proxy addresses, and refuses anything else naming it', () => {
    expect(parseConfig({}).TRUST_PROXY).toBe(false);
    expect(parseConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(parseConfig({ TRUST_PROXY: '10.0.0.5, 10.1.0.0/16,loopback,fd00::/8' }).TRUST_PROXY).toEqual(['10.0.0.5', '10.1.0.0/16', 'loopback', 'fd00::/8']);
    for (const bad of ['true', '10.0.0.0/33', 'proxy.example', '1e2']) expect(() => parseConfig({ TRUST_PROXY: bad })).toThrow(/^configuration error: TRUST_PROXY: must be a hop count/);
  });

  it('limits development sign-ins per client, not in one bucket all share', async () => {
    const app = appWith({ writesPerMinute: 3, trustProxy: 1, signIn: { kind: 'development', secret: stack.secret } });
    const signIn = (client: string) => request(app).post('/v1/sign-in/development').set('X-Forwarded-For', client).send({ sub: 'u-1', name: '某', roles: ['officer'], authority: 'binhai-jw' });
    for (let i = 0; i < 3; i += 1) expect((await signIn('10.3.0.1')).status).toBe(200);
    expectProblem(await signIn('10.3.0.1'), 429, 'rate_limited');
    expect((await signIn('10.3.0.2')).status).toBe(200);
  });
});

describe('a credential whose claims are malformed', () => {
  /** Signed with the API's own secret, with whatever `sub` (even one jose would not type). */
  const signed = (claims: Record<string, unknown>, sub: unknown) =>
    new SignJWT({ ...claims, sub } as Record<string, unknown>).setProtectedHeader({ alg: 'HS256' }).setIssuer(EMBEDDED_TOKEN_ISSUER).setAudience(EMBEDDED_TOKEN_AUDIENCE).setIssuedAt().setExpirationTime('5m').sign(stack.secret);
  const good = { name: '李办案', roles: ['officer'], authority: 'binhai-jw' };

  it.each([
    ['an empty sub', good, '', 'token.sub'],
    ['a numeric sub', good, 12345, 'token.sub'],
    ['no roles', { name: '李办案', authority: 'binhai-jw' }, 'u-1', 'token.roles'],
    ['an unknown role', { ...good, roles: ['officer', 'root'] }, 'u-1', 'token.roles.1'],
    ['no authority', { name: '李办案', roles: ['officer'] }, 'u-1', 'token.authority'],
    ['a NUL byte in the name', { ...good, name: '李\u0000办案' }, 'u-1', 'token.name'],
    ['a right-to-left override in the name', { ...good, name: '李\u202e办案' }, 'u-1', 'token.name'],
  ])('is refused 401 invalid_token with WWW-Authenticate (RFC 6750), naming the claim: %s', async (_label, claims, sub, field) => {
    const res = await request(stack.app).get('/v1/rulebooks').set('Authorization', `Bearer ${await signed(claims, sub)}`);
    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="rongcuo", error="invalid_token", error_description="[^"]*"$/);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
  });

  it('tells a request without a token only the scheme, and one with a broken token invalid_token', async () => {
    const none = await request(stack.app).get('/v1/rulebooks');
    expectProblem(none, 401, 'unauthenticated');
    expect(none.headers['www-authenticate']).toBe('Bearer realm="rongcuo"');
    const broken = await request(stack.app).get('/v1/rulebooks').set('Authorization', 'Bearer not.a.token');
    expect(broken.headers['www-authenticate']).toMatch(/error="invalid_token"/);
  });
});

describe('who is signed in (getMe)', () => {
  it('names the caller’s authority as the console shows it, by its name, and none for an authority not configured', async () => {
    const officer = await stack.token({ roles: ['officer'], authority: 'binhai-jw', sub: 'me-officer', name: '周办案' });
    const me = await request(stack.app).get('/v1/me').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(me.body).toEqual({ sub: 'me-officer', name: '周办案', roles: ['officer'], authority: { id: 'binhai-jw', name: expect.stringMatching(/纪/) } });
    expect(me.headers['cache-control']).toBe('no-store');
    const elsewhere = await stack.token({ roles: ['auditor'], authority: 'nowhere-jw', sub: 'me-auditor', name: '审计员' });
    expect((await request(stack.app).get('/v1/me').set('Authorization', `Bearer ${elsewhere}`).expect(200)).body.authority).toBeNull();
    expectProblem(await request(stack.app).get('/v1/me'), 401, 'unauthenticated');
  });
});
