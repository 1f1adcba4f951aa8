/**
 * Rate limits per caller: a signed-in user (the same account id at two
 * authorities is two users), or, before any sign-in, the client address
 * (`req.ip`, which follows TRUST_PROXY; IPv6 by its /56). One client never
 * uses up another's allowance, and no limit is shared by everyone.
 */
import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { Problem, sendProblem } from './problem';

export function callerKey(req: Request): string {
  return req.user ? `user:${req.user.authority}:${req.user.sub}` : `address:${ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown')}`;
}

export function perMinuteLimiter(options: { limit: number; detail: { zh: string; en: string }; key?: (req: Request) => string }): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: options.limit,
    keyGenerator: (req) => (options.key ?? callerKey)(req as Request),
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (req, res) => sendProblem(req as Request, res, new Problem({ status: 429, code: 'rate_limited', title: 'Too many requests', detail: options.detail, retryAfterSeconds: 60 })),
  });
}
