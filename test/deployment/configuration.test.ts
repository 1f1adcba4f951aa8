/**
 * Configuration comes from the environment, parsed once; a bad value stops
 * start-up with one line naming the variable and what is wrong.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { parse as parseYaml } from 'yaml';
import { devServerArgs, INDEXED_VALUE_TYPE } from '../../config/dev-server';
import { ConfigError, parseConfig } from '../../config/env';
import { archiveOptions } from '../../config/resources';
import { DYNAMIC_CONFIG_FILE, devServerDynamicConfigArgs } from '../../config/temporal-dynamic';
import { ALL_SEARCH_ATTRIBUTES } from '../../domain/case/contract';
import { openDb } from '../../store/db';
import { eventually } from '../support/eventually';
import { freePort } from '../support/ports';
import { temporalCliPath } from '../support/tools';

const KEYS = `k2:${Buffer.alloc(32, 2).toString('base64')},k1:${Buffer.alloc(32, 1).toString('base64')}`;
const KEYS_FILE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-config-')), 'payload-keys');
fs.writeFileSync(KEYS_FILE, `# rotated 2026-11\n${KEYS.replace(',', '\n')}\n`);

describe('configuration from the environment', () => {
  it('defaults to the embedded setup', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      TEMPORAL_ADDRESS: '127.0.0.1:7233',
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'exemption-review',
      API_PORT: 3000,
      apiBaseUrl: 'http://127.0.0.1:3000',
      dataDir: path.resolve('data'),
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TOKEN_SECRET).toBeUndefined();
  });

  it.each([
    [{ API_PORT: 'eighty' }, /^configuration error: API_PORT: .* \(got "eighty"\)$/],
    [{ API_PORT: '70000' }, /API_PORT: .*65535/],
    [{ TEMPORAL_ADDRESS: 'localhost' }, /TEMPORAL_ADDRESS: must be host:port/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: must be a postgres:\/\/ URL/],
    [{ TOKEN_SECRET: 'short' }, /TOKEN_SECRET: must be at least 32 characters/],
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL: /],
    [{ JWKS_URL: 'https://idp.example/jwks' }, /TOKEN_ISSUER and TOKEN_AUDIENCE: required when JWKS_URL is set/],
    [{ SMTP_URL: 'mail.example.cn' }, /SMTP_URL: must be smtp:\/\/\[user:pass@\]host:port/],
    [{ SMTP_FROM: 'rongcuo' }, /SMTP_FROM: must be an e-mail address/],
    [{ WEBHOOK_URL: 'https://oa.example.cn/hooks/rongcuo' }, /WEBHOOK_SECRET: required when WEBHOOK_URL is set/],
    [{ NOTIFY_MAX_ATTEMPTS: '0' }, /NOTIFY_MAX_ATTEMPTS: /],
    [{ ARCHIVE_BUFFERS_MB: '0' }, /ARCHIVE_BUFFERS_MB: /],
    [{ PAYLOAD_KEYS: 'k1:c2hvcnQ=' }, /^configuration error: PAYLOAD_KEYS: key "k1": must be 32 bytes \(AES-256\), got 5$/],
    [{ PAYLOAD_KEYS: KEYS, PAYLOAD_KEY_CURRENT: 'k9' }, /^configuration error: PAYLOAD_KEY_CURRENT: "k9" is not among the keys \(k2, k1\)$/],
    [{ PAYLOAD_KEY_CURRENT: 'k1' }, /PAYLOAD_KEY_CURRENT: names a key, but neither PAYLOAD_KEYS nor PAYLOAD_KEYS_FILE is set/],
    [{ PAYLOAD_KEYS: KEYS, PAYLOAD_KEYS_FILE: KEYS_FILE }, /PAYLOAD_KEYS and PAYLOAD_KEYS_FILE: set one, not both/],
    [{ PAYLOAD_KEYS_FILE: '/nonexistent/payload-keys' }, /^configuration error: PAYLOAD_KEYS_FILE: cannot read \/nonexistent\/payload-keys: ENOENT/],
    [{ NODE_ENV: 'production', SEARCH_TERMS_KEY: 'x'.repeat(32) }, /PAYLOAD_KEYS: required in production/],
    [{ NODE_ENV: 'production', PAYLOAD_KEYS: KEYS }, /SEARCH_TERMS_KEY: required in production/],
    [{ SEARCH_TERMS_KEY: 'short' }, /SEARCH_TERMS_KEY: must be at least 32 characters$/],
    [{ CODEC_AUTH: 'none', API_HOST: '0.0.0.0' }, /CODEC_AUTH: none is only for the embedded UI/],
    [{ CODEC_AUTH: 'maybe' }, /CODEC_AUTH: /],
  ])('refuses %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      parseConfig(env);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('never repeats a key in its error line', () => {
    const secret = Buffer.alloc(31, 7).toString('base64');
    expect(() => parseConfig({ PAYLOAD_KEYS: `k1:${secret}` })).toThrow(/^configuration error: PAYLOAD_KEYS: key "k1": must be 32 bytes/);
    expect(() => parseConfig({ PAYLOAD_KEYS: `k1:${secret}` })).not.toThrow(new RegExp(secret.slice(0, 12).replace(/[+/]/g, '.')));
  });

  it('takes payload keys from PAYLOAD_KEYS or a file, the first or PAYLOAD_KEY_CURRENT encrypting', () => {
    expect(parseConfig({ PAYLOAD_KEYS: KEYS }).payloadKeys).toMatchObject({ current: 'k2', keys: [{ id: 'k2' }, { id: 'k1' }] });
    expect(parseConfig({ PAYLOAD_KEYS: KEYS, PAYLOAD_KEY_CURRENT: 'k1' }).payloadKeys?.current).toBe('k1');
    expect(parseConfig({ PAYLOAD_KEYS_FILE: KEYS_FILE }).payloadKeys?.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(parseConfig({}).payloadKeys).toBeUndefined();
    expect(parseConfig({ CODEC_AUTH: 'none' }).CODEC_AUTH).toBe('none');
  });

  it('names every bad variable at once', () => {
    expect(() => parseConfig({ API_PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/API_PORT: .*; LOG_LEVEL: /);
  });
});

describe('the embedded archive', () => {
  it.each([
    [{}, '32MB'],
    [{ ARCHIVE_BUFFERS_MB: '16' }, '16MB'],
  ])('runs PGlite under DATA_DIR with the buffer cache ARCHIVE_BUFFERS_MB sets (%j: %s)', async (env, buffers) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-archive-'));
    const options = archiveOptions(parseConfig({ ...env, DATA_DIR: dataDir }));
    expect(options.pgliteDir).toBe(path.join(dataDir, 'archive'));
    const db = await openDb(options);
    try {
      expect(await db.query('show shared_buffers')).toEqual([{ shared_buffers: buffers }]);
    } finally {
      await db.close();
    }
  });
});

describe('the Temporal server’s dynamic configuration', () => {
  it('gives the dev server every setting the production cluster reads from config/temporal/dynamicconfig.yaml', () => {
    const args = devServerDynamicConfigArgs();
    const settings = args.filter((_, i) => i % 2 === 1);
    expect(args.filter((_, i) => i % 2 === 0).every((flag) => flag === '--dynamic-config-value')).toBe(true);
    expect(settings).toEqual(expect.arrayContaining(['limit.maxIDLength=255', 'frontend.enableUpdateWorkflowExecution=true', 'system.enableActivityEagerExecution=true']));
    expect(settings).toHaveLength(Object.keys(parseYaml(fs.readFileSync(DYNAMIC_CONFIG_FILE, 'utf8'))).length);
  });

  it('refuses a setting limited to a namespace, which a dev-server flag cannot say', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-dynamic-')), 'dynamicconfig.yaml');
    fs.writeFileSync(file, 'history.maxAutoResetPoints:\n  - value: 5\n    constraints:\n      namespace: default\n');
    expect(() => devServerDynamicConfigArgs(file)).toThrow(/history\.maxAutoResetPoints is constrained/);
  });
});

describe('the dev server as npm start and bench:load run it (config/dev-server.ts)', () => {
  it('comes up with every search attribute the product uses, each of its type', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-dev-server-'));
    const port = await freePort();
    const server = spawn(temporalCliPath, devServerArgs({ dbFile: path.join(dir, 'temporal.db'), ip: '127.0.0.1', port, namespace: 'default' }), { stdio: 'ignore' });
    try {
      const registered = await eventually(async () => {
        const connection = await Connection.connect({ address: `127.0.0.1:${port}`, connectTimeout: 1_000 });
        try {
          return (await connection.operatorService.listSearchAttributes({ namespace: 'default' })).customAttributes ?? {};
        } finally {
          await connection.close();
        }
      }, 60_000);
      for (const key of ALL_SEARCH_ATTRIBUTES) expect([key.name, registered[key.name]]).toEqual([key.name, INDEXED_VALUE_TYPE[key.type]]);
    } finally {
      server.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('periods a regulation leaves to 有关规定 (RULEBOOK_PARAMETERS)', () => {
  const file = (content: unknown) => {
    const where = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-params-')), 'parameters.json');
    fs.writeFileSync(where, JSON.stringify(content));
    return where;
  };
  const appealWindow = { amount: 15, unit: 'days', basis: { article: '《示例申诉规定》第八条', quote: '申诉应当自收到决定之日起十五日内提出' } };

  it('has none unless the deploying body sets them', () => {
    expect(parseConfig({}).rulebookParameters).toEqual({});
  });

  it('reads the Jiaozuo appeal window with the rule it rests on', () => {
    expect(parseConfig({ RULEBOOK_PARAMETERS: file({ jiaozuo: { appealWindow } }) }).rulebookParameters).toEqual({ jiaozuo: { appealWindow } });
  });

  it.each([
    [{ jiaozuo: { appealWindow: { amount: 15, unit: 'days' } } }, /RULEBOOK_PARAMETERS: jiaozuo\.appealWindow\.basis/],
    [{ binhai: { appealWindow } }, /RULEBOOK_PARAMETERS: binhai\.appealWindow: no rulebook of binhai leaves this/],
  ])('refuses %j, naming what is wrong', (content, message) => {
    expect(() => parseConfig({ RULEBOOK_PARAMETERS: file(content) })).toThrow(message);
  });
});
