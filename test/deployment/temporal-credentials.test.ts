/**
 * The Temporal frontend's credentials: what temporal-pki issues (compose's job,
 * `npm run cluster`'s step), how it renews and rotates them, and how the app
 * reads its TLS settings and token. The cluster test shows the frontend
 * refusing what these leave out.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { ConfigError, parseConfig } from '../../config/env';
import { temporalConnectionOptions, tokenReader } from '../../config/temporal-connection';
import { newLeaf } from '../../scripts/pki';
import { pkiSettings, runPki } from '../../scripts/temporal-pki';

function pkiEnv(root: string): NodeJS.ProcessEnv {
  return {
    PKI_DIR: path.join(root, 'state'),
    PKI_SERVER_DIR: path.join(root, 'server'),
    PKI_WORKER_DIR: path.join(root, 'worker'),
    PKI_API_DIR: path.join(root, 'api'),
    PKI_ADMIN_DIR: path.join(root, 'admin'),
    PKI_UI_DIR: path.join(root, 'ui'),
    PKI_SERVER_NAMES: 'temporal,localhost,127.0.0.1',
    PKI_NAMESPACE: 'rongcuo',
  };
}

const certs = (bundle: string) => bundle.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g)!.map((pem) => new X509Certificate(pem));
const read = (root: string, file: string) => fs.readFileSync(path.join(root, file), 'utf8');

async function verifyToken(root: string, client: string) {
  const jwks = createLocalJWKSet(JSON.parse(read(root, 'server/jwks.json')));
  return (await jwtVerify(read(root, `${client}/token`).trim(), jwks, { algorithms: ['ES256'] })).payload;
}

describe('temporal-pki', () => {
  let root: string;
  const lines: string[] = [];
  const run = (extra: NodeJS.ProcessEnv = {}) => runPki(pkiSettings({ ...pkiEnv(root), ...extra }), (l) => lines.push(l));

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-pki-'));
    await run();
  }, 60_000);
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it('issues the frontend a certificate for its names, each client one of its own from the same CA, and the nodes one from a CA of their own', () => {
    const ca = certs(read(root, 'server/client-ca.pem'));
    const internodeCa = certs(read(root, 'server/internode-ca.pem'));
    const frontend = new X509Certificate(read(root, 'server/frontend.pem'));
    expect(frontend.subjectAltName).toBe('DNS:temporal, DNS:localhost, IP Address:127.0.0.1');
    expect(frontend.verify(ca[0]!.publicKey)).toBe(true);
    for (const client of ['worker', 'api', 'admin', 'ui']) {
      const cert = new X509Certificate(read(root, `${client}/client.pem`));
      expect([client, cert.subject.split('\n')[0], cert.verify(ca[0]!.publicKey), cert.verify(internodeCa[0]!.publicKey)]).toEqual([client, `CN=rongcuo-${client}`, true, false]);
      expect(read(root, `${client}/ca.pem`)).toBe(read(root, 'server/client-ca.pem'));
    }
    // A client's certificate never passes for a node's: the nodes trust only their own CA.
    expect(new X509Certificate(read(root, 'server/internode.pem')).verify(internodeCa[0]!.publicKey)).toBe(true);
    expect(ca[0]!.fingerprint256).not.toBe(internodeCa[0]!.fingerprint256);
  });

  it('gives the worker, the API and the operator tokens the server’s key set verifies, with their permissions; the UI none', async () => {
    expect((await verifyToken(root, 'worker')).permissions).toEqual(['rongcuo:write']);
    expect((await verifyToken(root, 'api')).permissions).toEqual(['rongcuo:write']);
    expect((await verifyToken(root, 'admin')).permissions).toEqual(['rongcuo:admin']);
    expect(fs.existsSync(path.join(root, 'ui', 'token'))).toBe(false);
    // Each token ends with the certificate issued beside it.
    const worker = await verifyToken(root, 'worker');
    expect(worker.exp).toBe(Math.floor(new Date(new X509Certificate(read(root, 'worker/client.pem')).validTo).getTime() / 1000));
  });

  it('keeps keys and tokens readable by their owner alone, and no consumer holds another’s key or the CAs’', () => {
    for (const dir of ['server', 'worker', 'api', 'admin', 'ui', 'state']) expect([dir, fs.statSync(path.join(root, dir)).mode & 0o777]).toEqual([dir, 0o700]);
    for (const file of ['server/frontend.key', 'server/internode.key', 'worker/client.key', 'worker/token', 'admin/token', 'state/ca/key.pem', 'state/token-key/key.pem']) {
      expect([file, fs.statSync(path.join(root, file)).mode & 0o777]).toEqual([file, 0o600]);
    }
    expect(fs.readdirSync(path.join(root, 'worker')).sort()).toEqual(['ca.pem', 'client.key', 'client.pem', 'token']);
    expect(fs.readdirSync(path.join(root, 'server')).sort()).toEqual(['client-ca.pem', 'frontend.key', 'frontend.pem', 'internode-ca.pem', 'internode.key', 'internode.pem', 'jwks.json']);
  });

  it('issues nothing again while everything serves, and renews what expires within 30 days', async () => {
    const before = read(root, 'api/client.pem');
    lines.length = 0;
    await run();
    expect(lines).toEqual([]);
    expect(read(root, 'api/client.pem')).toBe(before);
    // The worker's certificate, as if issued 11 months ago: it and its token are issued again.
    const ca = { keyPem: read(root, 'state/ca/key.pem'), certPem: read(root, 'state/ca/cert.pem') };
    const ageing = newLeaf(ca, { commonName: 'rongcuo-worker', usage: 'client', days: 20 });
    fs.writeFileSync(path.join(root, 'worker', 'client.pem'), ageing.certPem);
    await run();
    expect(lines).toEqual([expect.stringMatching(/^worker: client certificate issued \(expires /), 'worker: token issued (rongcuo:write)']);
    expect(new Date(new X509Certificate(read(root, 'worker/client.pem')).validTo).getTime()).toBeGreaterThan(Date.now() + 300 * 86_400_000);
  }, 60_000);

  it('rotates the CAs and the token key in three steps, trusting old and new in between', async () => {
    const oldCa = read(root, 'state/ca/cert.pem');
    const oldLeaf = read(root, 'api/client.pem');
    await run({ PKI_ROTATE: 'introduce' });
    expect(certs(read(root, 'server/client-ca.pem'))).toHaveLength(2);
    expect(JSON.parse(read(root, 'server/jwks.json')).keys).toHaveLength(2);
    expect(read(root, 'api/client.pem')).toBe(oldLeaf); // nothing issued by the new CA yet

    await run({ PKI_ROTATE: 'switch' });
    const bundle = certs(read(root, 'server/client-ca.pem'));
    expect(bundle).toHaveLength(2);
    const newCa = new X509Certificate(read(root, 'state/ca/cert.pem'));
    expect(newCa.toString()).not.toBe(new X509Certificate(oldCa).toString());
    expect(new X509Certificate(read(root, 'api/client.pem')).verify(newCa.publicKey)).toBe(true);
    expect(new X509Certificate(read(root, 'server/frontend.pem')).verify(newCa.publicKey)).toBe(true);
    await verifyToken(root, 'api'); // signed by the new key, which the key set holds

    await run({ PKI_ROTATE: 'retire' });
    expect(certs(read(root, 'server/client-ca.pem')).map((c) => c.fingerprint256)).toEqual([newCa.fingerprint256]);
    expect(JSON.parse(read(root, 'server/jwks.json')).keys).toHaveLength(1);
    await verifyToken(root, 'worker');
  }, 120_000);

  it('names the setting it cannot use', () => {
    expect(() => pkiSettings({ ...pkiEnv(root), PKI_ROTATE: 'now' })).toThrow(/^PKI_ROTATE: must be introduce, switch or retire/);
    expect(() => pkiSettings({ ...pkiEnv(root), PKI_OWNERS: 'worker=node' })).toThrow(/^PKI_OWNERS:/);
    expect(() => pkiSettings({ ...pkiEnv(root), PKI_SERVER_DIR: '' })).toThrow(/^PKI_SERVER_DIR: required/);
  });
});

describe('the app’s connection to the Temporal frontend', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-tls-'));
  for (const f of ['ca.pem', 'client.pem', 'client.key', 'token']) fs.writeFileSync(path.join(dir, f), f === 'token' ? 'first-token\n' : `${f}\n`);
  const file = (f: string) => path.join(dir, f);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    [{ TEMPORAL_TLS_CA: file('ca.pem'), TEMPORAL_TLS_CERT: file('client.pem') }, /^configuration error: TEMPORAL_TLS_KEY: required with TEMPORAL_TLS_CERT/],
    [{ TEMPORAL_TLS_CA: file('ca.pem'), TEMPORAL_TLS_KEY: file('client.key') }, /^configuration error: TEMPORAL_TLS_CERT: required with TEMPORAL_TLS_KEY/],
    [{ TEMPORAL_TOKEN_FILE: file('token') }, /^configuration error: TEMPORAL_TLS_CA: required with .*a token or a certificate never goes over plaintext/],
    [{ TEMPORAL_TLS_CA: file('missing.pem') }, /^configuration error: TEMPORAL_TLS_CA: cannot read .*missing\.pem: ENOENT$/],
  ])('stops start-up on %j with one line naming the setting', (env, message) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(message);
  });

  it('connects with TLS, its client certificate, the server name and the token; plaintext when none is set', () => {
    const config = parseConfig({
      TEMPORAL_ADDRESS: '127.0.0.1:17233',
      TEMPORAL_TLS_CA: file('ca.pem'),
      TEMPORAL_TLS_CERT: file('client.pem'),
      TEMPORAL_TLS_KEY: file('client.key'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
      TEMPORAL_TOKEN_FILE: file('token'),
    });
    const options = temporalConnectionOptions(config);
    expect(options.tls).toEqual({
      serverRootCACertificate: Buffer.from('ca.pem\n'),
      clientCertPair: { crt: Buffer.from('client.pem\n'), key: Buffer.from('client.key\n') },
      serverNameOverride: 'temporal',
    });
    expect(options.apiKey?.()).toBe('first-token');
    expect(temporalConnectionOptions(parseConfig({}))).toEqual({ address: '127.0.0.1:7233' });
  });

  it('reads a renewed token without a restart, and keeps the last one while the file is being replaced', () => {
    const token = tokenReader(file('token'), 0)!;
    expect(token()).toBe('first-token');
    fs.writeFileSync(file('token'), 'renewed-token\n');
    fs.utimesSync(file('token'), new Date(), new Date(Date.now() + 5_000));
    expect(token()).toBe('renewed-token');
    fs.rmSync(file('token'));
    expect(token()).toBe('renewed-token');
  });
});
