/**
 * Production tokens come from an OIDC issuer: the API verifies them against
 * the issuer's key set (JWKS_URL), its issuer and audience, with asymmetric
 * algorithms only. The key set is served here by a local HTTP server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createVerifier } from '../../api/auth';

let server: http.Server;
let jwksUrl: string;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let privateKey: PrivateKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  privateKey = pair.privateKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = http.createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const claims = { name: '张三', roles: ['supervisor'], authority: 'binhai-jw' };
const sign = (issuer: string, audience: string, key: PrivateKey = privateKey) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject('u123').setIssuer(issuer).setAudience(audience).setIssuedAt().setExpirationTime('5m').sign(key);

describe('tokens of an OIDC issuer', () => {
  const verify = () => createVerifier({ kind: 'jwks', jwksUrl, issuer: 'https://idp.example', audience: 'rongcuo' });

  it('are accepted when signed by the issuer’s key for this audience', async () => {
    await expect(verify()(await sign('https://idp.example', 'rongcuo'))).resolves.toEqual({ sub: 'u123', ...claims });
  });

  it('are refused from another issuer, for another audience, or signed with another key', async () => {
    await expect(verify()(await sign('https://other.example', 'rongcuo'))).rejects.toThrow();
    await expect(verify()(await sign('https://idp.example', 'someone-else'))).rejects.toThrow();
    const stranger = (await generateKeyPair('RS256')).privateKey;
    await expect(verify()(await sign('https://idp.example', 'rongcuo', stranger))).rejects.toThrow();
  });

  it('are refused when signed with a shared secret instead (no algorithm confusion)', async () => {
    const hs = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('u').setIssuer('https://idp.example').setAudience('rongcuo').setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode('x'.repeat(40)));
    await expect(verify()(hs)).rejects.toThrow();
  });
});
