/** The jurisdictions' rulebooks, for building forms: steps, deadlines and catalogues with their articles. */
import { z } from 'zod';
import type { Authorities } from '../../config/authorities';
import { beijingDate } from '../../domain/calendar';
import { rulebookInForce, rulebooks } from '../../domain/rulebooks';
import { ROLES } from '../auth';
import { problems } from '../problem';
import { route, type RouteSpec } from '../registry';

/**
 * `authorities`: the configured authorities, each running reviews under its
 * jurisdiction's rulebook; a caller's rulebooks are marked `usable` for its own.
 */
export function referenceRoutes(authorities: Authorities): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/v1/rulebooks',
      operationId: 'listRulebooks',
      summary: 'The jurisdictions and their rulebook versions; `usable` marks those the caller’s authority opens cases under',
      tags: ['rulebooks'],
      access: { kind: 'roles', roles: [...ROLES] },
      responses: { 200: { description: 'The rulebooks' } },
      handle: ({ res, user }) => {
        // As POST /v1/cases decides: an authority opens cases under its configured jurisdiction only, and one not configured under none.
        const own = authorities.get(user.authority)?.jurisdiction;
        res.json({
          rulebooks: rulebooks.map((b) => ({
            id: b.id,
            name: b.name,
            issuingBody: b.issuingBody,
            version: b.version,
            revision: b.revision,
            inForce: b.inForce,
            source: b.source,
            openingEvent: b.openingEvent ?? null,
            usable: own === b.id,
          })),
        });
      },
    }),
    route({
      method: 'get',
      path: '/v1/rulebooks/{id}',
      operationId: 'getRulebook',
      summary: 'A jurisdiction’s rulebook in force today (or the version asked for)',
      tags: ['rulebooks'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'is not a rulebook id') }),
      query: z.object({ version: z.string().regex(/^[A-Za-z0-9.-]{1,20}$/, 'is not a rulebook version').optional() }),
      responses: { 200: { description: 'The rulebook' }, 404: { description: 'No such rulebook', schema: 'problem' } },
      handle({ params, query, res }) {
        const book = query.version
          ? rulebooks.find((b) => b.id === params.id && b.version === query.version)
          : rulebookInForce(params.id, beijingDate(Date.now()));
        if (!book) throw problems.notFound(`rulebook ${params.id}${query.version ? `@${query.version}` : ''}`);
        res.json(book);
      },
    }),
  ];
}
