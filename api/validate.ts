import type { Request } from 'express';
import type { z } from 'zod';
import { fieldsProblem, validationProblem } from './problem';
import { idempotencyKeyHeader } from './schemas';

/** Parses one part of the request; handlers use only what this returns. */
export function parse<S extends z.ZodType>(schema: S, req: Request, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(req[where] ?? {});
  if (!result.success) throw validationProblem(where, result.error);
  return result.data;
}

/** The Idempotency-Key header, if any: 1 to 200 printable ASCII characters, or a 400 naming it. */
export function idempotencyKeyOf(req: Request): string | undefined {
  const result = idempotencyKeyHeader.safeParse(req.get('idempotency-key'));
  if (!result.success) throw fieldsProblem([{ field: 'headers.Idempotency-Key', message: result.error.issues[0]?.message ?? 'is invalid' }]);
  return result.data;
}
