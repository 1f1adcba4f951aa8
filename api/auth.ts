/**
 * Who is calling: a Bearer JWT, verified with the embedded HS256 secret or an
 * OIDC issuer's key set. Algorithms are pinned, so `alg: none` and
 * algorithm-confusion tokens fail verification.
 */
import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import { problems } from './problem';

export const ROLES = ['officer', 'supervisor', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const claimsSchema = z.object({
  sub: z.string().min(1),
  name: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  authority: z.string().min(1),
});
export type User = z.infer<typeof claimsSchema>;

export type TokenVerifier = (token: string) => Promise<User>;

export type VerifierOptions =
  | { kind: 'secret'; secret: Uint8Array }
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string };

export function createVerifier(options: VerifierOptions): TokenVerifier {
  const keys: Uint8Array | JWTVerifyGetKey =
    options.kind === 'secret' ? options.secret : createRemoteJWKSet(new URL(options.jwksUrl));
  const verifyOptions =
    options.kind === 'secret'
      ? { algorithms: ['HS256'] }
      : { algorithms: ['RS256', 'ES256', 'PS256', 'EdDSA'], issuer: options.issuer, audience: options.audience };
  return async (token) => {
    const { payload } = await jwtVerify(token, keys as Uint8Array, verifyOptions);
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw new Error(`token claims: ${claims.error.issues.map((i) => i.path.join('.')).join(', ')}`);
    return claims.data;
  };
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: User;
  }
}

export function authenticate(verify: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!match?.[1]) throw problems.unauthenticated('missing Bearer token');
    try {
      req.user = await verify(match[1]);
    } catch {
      throw problems.unauthenticated('invalid or expired token');
    }
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
