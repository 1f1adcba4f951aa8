/**
 * Who is calling: a Bearer JWT, verified with the embedded HS256 secret or an
 * OIDC issuer's key set. Algorithms are pinned, so `alg: none` and
 * algorithm-confusion tokens fail verification. Every token names its issuer
 * and audience, expires, and is no older than the maximum token age; its
 * claims are checked strictly, because `sub` and `authority` end up in inbox
 * keys and visibility queries.
 */
import type { webcrypto } from 'node:crypto';
import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import { z } from 'zod';
import { hasForbiddenCharacters, normaliseText } from '../domain/case/text';
import { fieldsProblem, Problem, problems } from './problem';

/** Roles within an authority: what a token's `authority` claim scopes. */
export const ROLES = ['officer', 'supervisor', 'auditor', 'admin'] as const;
/** Roles over the whole system, whatever authority the token names: loading the national calendar. */
export const SYSTEM_ROLES = ['system-admin'] as const;
export type Role = (typeof ROLES)[number] | (typeof SYSTEM_ROLES)[number];

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
  name: z
    .string()
    .max(100, 'must be at most 100 characters')
    .refine((v) => !hasForbiddenCharacters(v), 'must not contain control characters')
    .transform(normaliseText)
    .pipe(z.string().min(1, 'must not be empty').max(50, 'must be at most 50 characters')),
  roles: z.array(z.enum([...ROLES, ...SYSTEM_ROLES], { error: 'is not a role' })).min(1, 'must name a role').max(10),
  authority: z.string().regex(AUTHORITY_ID_PATTERN, 'must be lower-case letters, digits and hyphens, at most 63'),
});
export type User = z.infer<typeof claimsSchema>;

export type TokenVerifier = (token: string) => Promise<User>;

/** A token that verified, signed by whom we trust, whose claims are malformed: the caller learns which. */
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

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

export function authenticate(verify: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(header) : null;
    if (!match?.[1]) throw problems.unauthenticated('missing Bearer token');
    try {
      req.user = await verify(match[1]);
    } catch (err) {
      if (err instanceof ClaimsError) throw fieldsProblem(err.issues);
      throw problems.unauthenticated('invalid or expired token');
    }
    next();
  };
}

/**
 * Failed sign-ins per client address: after `limit` in a minute, the address
 * gets 429 until the minute is over, before its token is even looked at. Only
 * failures count, so a busy client with good tokens is never slowed.
 */
export function authFailureLimiter(limit: number, now: () => number = Date.now): RequestHandler {
  let windowStart = now();
  let failures = new Map<string, number>();
  const current = () => {
    if (now() - windowStart >= 60_000) {
      windowStart = now();
      failures = new Map();
    }
    return failures;
  };
  return (req, res, next) => {
    const address = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if ((current().get(address) ?? 0) >= limit) {
      throw new Problem({
        status: 429,
        code: 'too_many_failed_sign_ins',
        title: 'Too many failed sign-ins',
        detail: { zh: '该地址认证失败次数过多，请稍后再试', en: 'Too many failed sign-ins from this address; try again shortly' },
        retryAfterSeconds: Math.max(1, Math.ceil((windowStart + 60_000 - now()) / 1000)),
      });
    }
    res.on('finish', () => {
      if (res.statusCode !== 401) return;
      const map = current();
      map.set(address, (map.get(address) ?? 0) + 1);
    });
    next();
  };
}

export function requireRole(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.user?.roles.some((r) => roles.includes(r))) throw problems.forbidden(roles);
    next();
  };
}

export function currentUser(req: { user?: User }): User {
  if (!req.user) throw problems.unauthenticated('missing Bearer token');
  return req.user;
}
