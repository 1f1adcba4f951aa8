/**
 * Configuration comes from the environment, parsed once; a bad value stops
 * start-up with one line naming the variable and what is wrong.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, parseConfig } from '../../config/env';

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

  it('names every bad variable at once', () => {
    expect(() => parseConfig({ API_PORT: 'x', LOG_LEVEL: 'y' })).toThrow(/API_PORT: .*; LOG_LEVEL: /);
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
