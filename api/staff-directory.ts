/**
 * Notes each account that signs in with a staff role at an authority in the
 * staff directory (store/staff-directory.ts): once per account, roles, name
 * and address in this process, so a request is slowed only by the first
 * token of its kind. Best effort: a directory that cannot be written (the
 * archive down) is tried again on the next request; the request goes on.
 */
import type { RequestHandler } from 'express';
import { recordStaffMember } from '../store/staff-directory';
import type { Queryable } from '../store/db';
import { ROLES } from './roles';

export function staffDirectoryRecorder(db: Queryable, limit = 10_000): RequestHandler {
  const known = new Set<string>();
  return async (req, _res, next) => {
    const user = req.user;
    const staffRoles = user?.roles.filter((r) => (ROLES as readonly string[]).includes(r)) ?? [];
    if (!user || staffRoles.length === 0) return next();
    const key = [user.authority, user.sub, user.name, user.email ?? '', ...[...staffRoles].sort()].join('\u0000');
    if (!known.has(key)) {
      try {
        await recordStaffMember(db, { authority: user.authority, sub: user.sub, name: user.name, roles: staffRoles, email: user.email });
        if (known.size >= limit) known.clear();
        known.add(key);
      } catch {
        // Tried again with the next request; this one goes on (and meets the archive's state itself).
      }
    }
    next();
  };
}
