import type { Request } from 'express';
import type { z } from 'zod';
import { validationProblem } from './problem';

/** Parses one part of the request; handlers use only what this returns. */
export function parse<S extends z.ZodType>(schema: S, req: Request, where: 'body' | 'query' | 'params'): z.infer<S> {
  const result = schema.safeParse(req[where] ?? {});
  if (!result.success) throw validationProblem(where, result.error);
  return result.data;
}
