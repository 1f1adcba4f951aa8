/**
 * The zod form of domain/case/text.ts's rule: a string holding no character a
 * field may not hold, the error naming the first as U+XXXX. Every text field
 * of the API (api/schemas.ts), the token's claims (api/auth.ts) and a loaded
 * year's schedule (domain/calendar/year-input.ts) are built on it.
 */
import { z } from 'zod';
import { forbiddenCharacter, forbiddenCharacterMessage } from './text';

/** `lines`: a multi-line field, which keeps line feeds and carriage returns. */
export const visibleText = (lines = false) =>
  z.string().superRefine((value, ctx) => {
    const found = forbiddenCharacter(value, { lines });
    if (found) ctx.addIssue({ code: 'custom', message: forbiddenCharacterMessage(found) });
  });
