/**
 * Who is calling: a Bearer JWT, verified with the embedded HS256 secret or an
 * OIDC issuer's key set. Algorithms are pinned, so `alg: none` and
 * algorithm-confusion tokens fail verification. Every token names its issuer
 * and audience, expires, and is no older than the maximum token age; its
 * claims are checked strictly, because `sub` and `authority` end up in inbox
 * keys and visibility queries.
 */
import type { webcrypto } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { z } from 'zod';
import { visibleText } from '../domain/case/visible-text';
import { Problem, problems } from './problem';

import { CASE_FILE_ROLES, ORGANISATION_ROLES, PARTY_ROLES, ROLES, RULEBOOK_ROLES, SYSTEM_ROLES, type Role } from './roles';

/** The roles and their reach are one table, api/roles.ts; re-exported for the routes that name them. */
export { CASE_FILE_ROLES, ORGANISATION_ROLES, PARTY_ROLES, ROLES, RULEBOOK_ROLES, SYSTEM_ROLES, type Role };

/** Issuer and audience of the embedded (HS256) tokens unless TOKEN_ISSUER and TOKEN_AUDIENCE say otherwise. */
export const EMBEDDED_TOKEN_ISSUER = 'rongcuo';
export const EMBEDDED_TOKEN_AUDIENCE = 'rongcuo-api';
/** How old a token may be (from its `iat`) unless TOKEN_MAX_AGE_SECONDS says otherwise: a working day and a half. */
export const DEFAULT_TOKEN_MAX_AGE_SECONDS = 12 * 3600;
/** Clocks of the issuer and the API may differ this much. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** How long a verified token is taken on trust without verifying its signature again. */
export const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;

/** Account ids as OIDC issuers write them (UUIDs, `auth0|…`, e-mail addresses): no quotes, spaces or controls. */
export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@:|+=-]{0,127}$/;
/** Authority ids as config/authorities.ts writes them. */
export const AUTHORITY_ID_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;

const claimsSchema = z.object({
  sub: z.string().regex(ACCOUNT_ID_PATTERN, 'must be 1 to 128 letters, digits or . _ @ : | + = -'),
  // Kept as the issuer wrote it (recusal compares names normalised, domain/case/persons.ts).
  name: z
    .string()
    .max(100, 'must be at most 100 characters')
    .pipe(visibleText())
    .transform((v) => v.trim())
    .pipe(z.string().min(1, 'must not be empty').max(50, 'must be at most 50 characters')),
  roles: z
    .array(z.enum([...ROLES, ...SYSTEM_ROLES, ...RULEBOOK_ROLES, ...PARTY_ROLES, ...ORGANISATION_ROLES], { error: 'is not a role' }))
    .min(1, 'must name a role')
    .max(10)
    // A party's own account is never also staff: one token is one or the other.
    .refine((roles) => !roles.includes('party') || roles.every((r) => r === 'party'), 'party is never combined with another role'),
  authority: z.string().regex(AUTHORITY_ID_PATTERN, 'must be lower-case letters, digits and hyphens, at most 63'),
  /** Where the issuer gives one: a member of staff is told of its work by e-mail too. An address that is not one is left out, not refused. */
  email: z
    .unknown()
    .transform((v) => (typeof v === 'string' && v.length <= 254 && /^[^\s@<>()"',;:]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(v) ? v : undefined))
    .optional(),
});
export type User = z.infer<typeof claimsSchema>;

export type TokenVerifier = (token: string) => Promise<User>;

/** A token that verified, signed by whom we trust, whose claims are malformed: the caller learns which (401 invalid_token). */
export class ClaimsError extends Error {
  override name = 'ClaimsError';
  constructor(readonly issues: { field: string; message: string }[]) {
    super(`token claims: ${issues.map((i) => i.field).join(', ')}`);
  }
}

interface TokenRules {
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Default DEFAULT_TOKEN_MAX_AGE_SECONDS. */
  maxAgeSeconds?: number | undefined;
}

export type VerifierOptions =
  | ({ kind: 'secret'; secret: Uint8Array } & TokenRules)
  | ({ kind: 'jwks'; jwksUrl: string; issuer: string; audience: string } & TokenRules);

export function createVerifier(options: VerifierOptions): TokenVerifier {
  // The secret imported once: handing jose the raw bytes imported them again for every request.
  const keys: Promise<webcrypto.CryptoKey> | JWTVerifyGetKey =
    options.kind === 'secret'
      ? globalThis.crypto.subtle.importKey('raw', options.secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
      : createRemoteJWKSet(new URL(options.jwksUrl));
  const maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_TOKEN_MAX_AGE_SECONDS;
  const verifyOptions: JWTVerifyOptions = {
    algorithms: options.kind === 'secret' ? ['HS256'] : ['RS256', 'ES256', 'PS256', 'EdDSA'],
    issuer: options.issuer ?? EMBEDDED_TOKEN_ISSUER,
    audience: options.audience ?? EMBEDDED_TOKEN_AUDIENCE,
    // `maxTokenAge` makes `iat` required and refuses one in the future.
    requiredClaims: ['exp', 'sub'],
    maxTokenAge: maxAgeSeconds,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  };
  const verified = new VerifiedTokens();
  return async (token) => {
    const known = verified.get(token, Date.now());
    if (known) return known;
    const { payload } = typeof keys === 'function' ? await jwtVerify(token, keys, verifyOptions) : await jwtVerify(token, await keys, verifyOptions);
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new ClaimsError(claims.error.issues.map((i) => ({ field: ['token', ...i.path.map(String)].join('.'), message: i.message })));
    // Never longer than the token itself is good for: its exp, and its iat plus the maximum age.
    verified.set(token, claims.data, Math.min(payload.exp! * 1000, (payload.iat! + maxAgeSeconds) * 1000));
    return claims.data;
  };
}

/**
 * Tokens already verified, by their whole text (signature included), so only the very same token is
 * taken on trust: a console sends its token with every request, and each verification was a trip to
 * the thread pool. An entry lasts until the token expires, and at most VERIFIED_TOKEN_TTL_MS, so a key
 * withdrawn from the issuer's key set stops being honoured within that time. Bounded; the oldest go first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { user: User; until: number }>();

  constructor(
    private readonly limit = 10_000,
    private readonly ttlMs = VERIFIED_TOKEN_TTL_MS,
  ) {}

  get(token: string, now: number): User | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(token);
      return undefined;
    }
    return copyOf(entry.user);
  }

  set(token: string, user: User, expiresAt: number, now = Date.now()): void {
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { user: copyOf(user), until: Math.min(expiresAt, now + this.ttlMs) });
  }
}

/** Kept and handed out as copies: a handler that changed its user would otherwise change the next request's. */
function copyOf(user: User): User {
  return { ...user, roles: [...user.roles] };
}

/** A party's own account (its token holds the party role, and only it). */
export const isParty = (user: Pick<User, 'roles'>) => user.roles.includes('party');

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

/**
 * RFC 6750 §3: a request without a token is told the scheme; one whose token does not verify, or
 * verifies with malformed claims, is told `invalid_token`. Either way 401: a credential the API
 * cannot use is an authentication failure, never a bad request.
 */
const noToken = () => problems.unauthenticated('missing Bearer token', { 'WWW-Authenticate': 'Bearer realm="rongcuo"' });
const invalidToken = (why: { zh: string; en: string }, errors?: { field: string; message: string }[]) =>
  new Problem({
    status: 401,
    code: 'unauthenticated',
    title: 'Unauthenticated',
    detail: { zh: `未认证：${why.zh}`, en: `Not authenticated: ${why.en}` },
    ...(errors ? { errors } : {}),
    // RFC 6750 §3: error_description is printable ASCII, without quotes or backslashes.
    headers: { 'WWW-Authenticate': `Bearer realm="rongcuo", error="invalid_token", error_description="${why.en.replace(/[^\x20\x21\x23-\x5b\x5d-\x7e]/g, '').slice(0, 300)}"` },
  });

/**
 * Verifies the Bearer token. A valid token is served whatever its address did before; a token that
 * fails counts against its address (`failures`), and an address over its limit has its failures
 * answered 429 instead of 401, so a client that guesses is slowed and told when to try again, while a
 * colleague behind the same proxy or NAT, with a good token, is never locked out.
 */
export function authenticate(verify: TokenVerifier, failures?: AuthFailures): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header) : null;
    if (!match?.[1]) throw noToken();
    try {
      req.user = await verify(match[1]);
    } catch (err) {
      failures?.failed(req);
      if (err instanceof ClaimsError) {
        const listed = err.issues.map((i) => `${i.field} ${i.message}`);
        throw invalidToken({ zh: `令牌声明不合规：${listed.join('；')}`, en: `the token's claims are malformed: ${listed.join('; ')}` }, err.issues.slice(0, 20));
      }
      throw invalidToken({ zh: '令牌无效或已过期', en: 'invalid or expired token' });
    }
    next();
  };
}

export interface AuthFailures {
  /** Counts a failed token against the request's client address; over the limit, throws the 429. */
  failed(req: Request): void;
}

/** At most this many addresses counted in a minute, so a flood from many cannot grow the count without bound; one beyond waits for the next minute. */
const MAX_COUNTED_ADDRESSES = 100_000;

/**
 * Failed tokens per client address (`req.ip`, which follows TRUST_PROXY behind a proxy; IPv6 by its
 * /56, as one subscriber holds a whole prefix), counted per minute. Only failures count.
 */
export function authFailureLimiter(limit: number, now: () => number = Date.now): AuthFailures {
  let windowStart = now();
  let counts = new Map<string, number>();
  const current = () => {
    if (now() - windowStart >= 60_000) {
      windowStart = now();
      counts = new Map();
    }
    return counts;
  };
  return {
    failed(req) {
      const address = ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
      const map = current();
      const count = (map.get(address) ?? 0) + 1;
      if (map.has(address) || map.size < MAX_COUNTED_ADDRESSES) map.set(address, count);
      if (count > limit) {
        throw new Problem({
          status: 429,
          code: 'too_many_failed_sign_ins',
          title: 'Too many failed sign-ins',
          detail: { zh: '该地址认证失败次数过多，请稍后再试（有效凭证不受影响）', en: 'Too many failed sign-ins from this address; try again shortly (valid tokens are still served)' },
          retryAfterSeconds: Math.max(1, Math.ceil((windowStart + 60_000 - now()) / 1000)),
        });
      }
    },
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user?.roles.some((r) => roles.includes(r))) throw problems.forbidden(roles);
    next();
  };
}

export function currentUser(req: { user?: User }): User {
  if (!req.user) throw noToken();
  return req.user;
}
