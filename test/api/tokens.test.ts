/**
 * What a token must be before the API believes it: signed, for this issuer
 * and audience (in the embedded HS256 mode too), expiring, no older than the
 * maximum token age and not issued in the future, with claims that cannot
 * carry anything into an inbox key or a visibility query.
 */
import { SignJWT, type JWTPayload } from 'jose';
import { ClaimsError, CLOCK_TOLERANCE_SECONDS, createVerifier, EMBEDDED_TOKEN_AUDIENCE, EMBEDDED_TOKEN_ISSUER, VerifiedTokens } from '../../api/auth';
import { signDevToken } from '../../scripts/token';

const secret = new TextEncoder().encode('tokens-test-secret-tokens-test-secret-0123');
const verify = createVerifier({ kind: 'secret', secret, maxAgeSeconds: 3600 });
const now = () => Math.floor(Date.now() / 1000);
const claims = { name: '张三', roles: ['officer'], authority: 'binhai-jw' };

/** A token signed with the right secret, with exactly the registered claims given. */
function token(registered: { iss?: string; aud?: string; iat?: number; exp?: number; sub?: string }, extra: JWTPayload = claims) {
  const jwt = new SignJWT({ ...extra, ...registered }).setProtectedHeader({ alg: 'HS256' });
  return jwt.sign(secret);
}
const valid = { iss: EMBEDDED_TOKEN_ISSUER, aud: EMBEDDED_TOKEN_AUDIENCE, sub: 'u1', iat: now(), exp: now() + 600 };

describe('a token in the embedded (HS256) mode', () => {
  it('is accepted when it names the issuer and audience, expires, and is fresh', async () => {
    await expect(verify(await token(valid))).resolves.toEqual({ sub: 'u1', ...claims });
    await expect(verify(await signDevToken(secret, { sub: 'u2', ...claims }))).resolves.toMatchObject({ sub: 'u2' });
  });

  it.each([
    ['without exp', { ...valid, exp: undefined }],
    ['without iat', { ...valid, iat: undefined }],
    ['without an issuer', { ...valid, iss: undefined }],
    ['from another issuer', { ...valid, iss: 'someone-else' }],
    ['without an audience', { ...valid, aud: undefined }],
    ['for another audience', { ...valid, aud: 'another-api' }],
    ['older than the maximum token age, though not expired', { ...valid, iat: now() - 3600 - CLOCK_TOLERANCE_SECONDS - 5, exp: now() + 600 }],
    ['issued in the future', { ...valid, iat: now() + CLOCK_TOLERANCE_SECONDS + 60 }],
    ['expired', { ...valid, iat: now() - 120, exp: now() - CLOCK_TOLERANCE_SECONDS - 5 }],
  ])('is refused %s', async (_label, registered) => {
    await expect(verify(await token(registered))).rejects.toThrow();
  });

  it('tolerates clocks a few seconds apart', async () => {
    await expect(verify(await token({ ...valid, iat: now() + 10 }))).resolves.toMatchObject({ sub: 'u1' });
  });

  it('may come from an issuer and audience of the configuration instead', async () => {
    const custom = createVerifier({ kind: 'secret', secret, issuer: 'https://rongcuo.example', audience: 'cases' });
    await expect(custom(await signDevToken(secret, { sub: 'u3', ...claims }, { issuer: 'https://rongcuo.example', audience: 'cases' }))).resolves.toMatchObject({ sub: 'u3' });
    await expect(custom(await signDevToken(secret, { sub: 'u3', ...claims }))).rejects.toThrow();
  });
});

describe('a token verified once', () => {
  const user = { sub: 'u1', name: '张三', roles: ['officer' as const], authority: 'binhai-jw' };

  it('is taken on trust, as the same text only, until it expires or five minutes pass', () => {
    const verified = new VerifiedTokens();
    const t0 = 1_800_000_000_000;
    verified.set('token-a', user, t0 + 60_000, t0);
    expect(verified.get('token-a', t0 + 59_999)).toEqual(user);
    expect(verified.get('token-a', t0 + 60_000)).toBeUndefined();
    expect(verified.get('token-a', t0)).toBeUndefined();
    verified.set('token-b', user, t0 + 3_600_000, t0);
    expect(verified.get('token-b', t0 + 5 * 60_000 - 1)).toEqual(user);
    expect(verified.get('token-b', t0 + 5 * 60_000)).toBeUndefined();
    expect(verified.get('token-b-but-another-signature', t0)).toBeUndefined();
  });

  it('hands each request its own copy, and forgets the oldest beyond its bound', () => {
    const verified = new VerifiedTokens(2);
    const t0 = 1_800_000_000_000;
    verified.set('a', user, t0 + 60_000, t0);
    verified.get('a', t0)!.roles.push('supervisor');
    expect(verified.get('a', t0)!.roles).toEqual(['officer']);
    verified.set('b', user, t0 + 60_000, t0);
    verified.set('c', user, t0 + 60_000, t0);
    expect([verified.get('a', t0), verified.get('b', t0), verified.get('c', t0)].map(Boolean)).toEqual([false, true, true]);
  });

  it('is answered again without verifying, and a token past its maximum age is refused however it was cached', async () => {
    const once = createVerifier({ kind: 'secret', secret, maxAgeSeconds: 3600 });
    const fresh = await token(valid);
    await expect(once(fresh)).resolves.toMatchObject({ sub: 'u1' });
    await expect(once(fresh)).resolves.toEqual({ sub: 'u1', ...claims });
    const old = await token({ ...valid, iat: now() - 3600 - CLOCK_TOLERANCE_SECONDS - 5 });
    await expect(once(old)).rejects.toThrow();
    await expect(once(old)).rejects.toThrow();
  });
});

describe('the claims of a verified token', () => {
  const refusedClaim = async (extra: JWTPayload, sub = 'u1') => {
    const err = await verify(await token({ ...valid, sub }, { ...claims, ...extra })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClaimsError);
    return (err as ClaimsError).issues.map((i) => i.field);
  };

  it.each([
    ['a quote', 'binhai-jw" OR Authority != "'],
    ['AND', 'binhai-jw AND x'],
    ['OR', 'x OR y'],
    ['NUL', 'binhai-jw\u0000'],
    ['upper case', 'BINHAI-JW'],
    ['too many characters', `a${'b'.repeat(63)}`],
  ])('refuse an authority with %s, naming the claim', async (_label, authority) => {
    expect(await refusedClaim({ authority })).toEqual(['token.authority']);
  });

  it.each([['a quote', 'u"1'], ['a space', 'u 1'], ['NUL', 'u\u00001'], ['too many characters', 'u'.repeat(129)]])('refuse a sub with %s, naming the claim', async (_label, sub) => {
    expect(await refusedClaim({}, sub)).toEqual(['token.sub']);
  });

  it('refuse a name with control characters, and roles that are not roles', async () => {
    expect(await refusedClaim({ name: '张\u0000三' })).toEqual(['token.name']);
    expect(await refusedClaim({ roles: ['officer', 'root'] })).toEqual(['token.roles.1']);
    expect(await refusedClaim({ roles: [] })).toEqual(['token.roles']);
  });

  it('keep the name as the issuer wrote it (surrounding spaces aside), and refuse one with invisible characters', async () => {
    // Recusal compares names normalised (domain/case/persons.ts); the name itself is printed as written.
    await expect(verify(await token(valid, { ...claims, name: ' 张三Ａ ' }))).resolves.toMatchObject({ name: '张三Ａ' });
    expect(await refusedClaim({ name: '张\u200b三' })).toEqual(['token.name']);
    expect(await refusedClaim({ name: '张\u202e三' })).toEqual(['token.name']);
  });

  it('accept the system-wide role', async () => {
    await expect(verify(await token(valid, { ...claims, roles: ['system-admin'] }))).resolves.toMatchObject({ roles: ['system-admin'] });
  });
});
