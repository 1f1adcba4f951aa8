/** The jurisdictions' rulebooks, for building forms: steps, deadlines and catalogues with their articles. */
import { z } from 'zod';
import type { Authorities } from '../../config/authorities';
import { beijingDate, compareDates } from '../../domain/calendar';
import { rulebookJsonSchema } from '../../domain/rulebooks/json-schema';
import { boundJurisdictions, type CatalogueWindow, type RulebookCatalogue } from '../../services/rulebooks/catalogue';
import type { Db } from '../../store/db';
import { ROLES } from '../auth';
import { problems } from '../problem';
import { route, type RouteSpec } from '../registry';

export interface ReferenceDeps {
  db: Db;
  /** The configured authorities, each running reviews under its jurisdictions' rulebooks. */
  authorities: Authorities;
  catalogue: RulebookCatalogue;
  now?: (() => number) | undefined;
}

/**
 * A caller's rulebooks are marked `usable` where its authority opens cases under them: a
 * jurisdiction it is bound to, in the version in force today.
 */
export function referenceRoutes(deps: ReferenceDeps): RouteSpec[] {
  const today = () => beijingDate((deps.now ?? Date.now)());
  return [
    // Before /v1/rulebooks/{id}, which would take `schema` for a jurisdiction.
    route({
      method: 'get',
      path: '/v1/rulebooks/schema',
      operationId: 'getRulebookSchema',
      summary: 'The JSON Schema of a rulebook file, generated from the schema that validates uploads, for editors to check a file as it is written',
      tags: ['rulebooks'],
      // An editor fetching it sends no token; it holds nothing but the format.
      access: { kind: 'public' },
      responses: { 200: { description: 'A JSON Schema (2020-12)', contentType: 'application/schema+json' } },
      handle({ res }) {
        res.type('application/schema+json').send(JSON.stringify(rulebookJsonSchema()));
      },
    }),
    route({
      method: 'get',
      path: '/v1/rulebooks',
      operationId: 'listRulebooks',
      summary: 'The jurisdictions and their rulebook versions, each with the days it is in force; `usable` marks those the caller’s authority opens cases under today',
      tags: ['rulebooks'],
      access: { kind: 'roles', roles: [...ROLES] },
      responses: { 200: { description: 'The rulebooks' } },
      async handle({ res, user }) {
        await deps.catalogue.refresh();
        // As POST /v1/cases decides: an authority opens cases under its bound jurisdictions only, and one not configured under none.
        const own = deps.authorities.get(user.authority) ? await boundJurisdictions(deps.db, deps.authorities, user.authority) : [];
        const day = today();
        const describe = (w: CatalogueWindow) => {
          const inForce = deps.catalogue.inForce(w.rulebook.id, day);
          const b = w.rulebook;
          return {
            id: b.id,
            name: b.name,
            issuingBody: b.issuingBody,
            version: b.version,
            revision: b.revision,
            inForce: b.inForce,
            source: b.source,
            openingEvent: b.openingEvent ?? null,
            versionId: w.versionId,
            origin: w.origin,
            inForceFrom: w.from,
            inForceUntil: deps.catalogue.lastDay(w) ?? null,
            inForceToday: inForce === w,
            usable: own.includes(b.id) && inForce === w,
          };
        };
        res.json({ rulebooks: deps.catalogue.windows().map(describe) });
      },
    }),
    route({
      method: 'get',
      path: '/v1/rulebooks/{id}',
      operationId: 'getRulebook',
      summary: 'A jurisdiction’s rulebook in force today (or the version asked for, in its latest revision)',
      tags: ['rulebooks'],
      access: { kind: 'roles', roles: [...ROLES] },
      params: z.object({ id: z.string().regex(/^[a-z][a-z0-9-]*$/, 'is not a rulebook id') }),
      query: z.object({ version: z.string().regex(/^[A-Za-z0-9.-]{1,20}$/, 'is not a rulebook version').optional() }),
      responses: { 200: { description: 'The rulebook' }, 404: { description: 'No such rulebook', schema: 'problem' } },
      async handle({ params, query, res }) {
        await deps.catalogue.refresh();
        const book = query.version
          ? deps.catalogue
              .windows()
              .filter((w) => w.rulebook.id === params.id && w.rulebook.version === query.version)
              .sort((a, b) => a.rulebook.revision - b.rulebook.revision || compareDates(a.from, b.from))
              .at(-1)?.rulebook
          : deps.catalogue.inForce(params.id, today())?.rulebook;
        if (!book) throw problems.notFound(`rulebook ${params.id}${query.version ? `@${query.version}` : ''}`);
        res.json(book);
      },
    }),
  ];
}
