/**
 * How the console signs people in. With an OIDC issuer configured it is the
 * issuer's authorization code flow with PKCE, and this route only says where
 * the issuer is and which client the console is. Without one (the embedded
 * default of `npm start`), a development sign-in mints a token for a role and
 * authority the tester picks, signed with the embedded secret; the console
 * says on screen that this is what it is. It is never mounted beside an issuer.
 *
 * A development token is held to the rules the API verifies every token by
 * (api/auth.ts): the configured issuer and audience, a lifetime within the
 * maximum token age, and claims the API's claim schema accepts. A sign-in that
 * answered 200 with a token the API then refuses would be no sign-in at all.
 */
import { z } from 'zod';
import type { Authorities } from '../../config/authorities';
import { signDevToken } from '../../scripts/token';
import { ACCOUNT_ID_PATTERN, AUTHORITY_ID_PATTERN, DEFAULT_TOKEN_MAX_AGE_SECONDS, ORGANISATION_ROLES, PARTY_ROLES, ROLES, RULEBOOK_ROLES, SYSTEM_ROLES } from '../auth';
import { fieldsProblem } from '../problem';
import { route, type RouteSpec } from '../registry';
import { personName } from '../schemas';

export type SignInSettings =
  | { kind: 'oidc'; issuer: string; clientId: string; audience?: string | undefined; scope?: string | undefined }
  | {
      kind: 'development';
      secret: Uint8Array;
      /** The `iss` and `aud` the API verifies (TOKEN_ISSUER, TOKEN_AUDIENCE); the embedded ones unless given. */
      issuer?: string | undefined;
      audience?: string | undefined;
      /** TOKEN_MAX_AGE_SECONDS: no development token outlives what the API accepts. */
      maxAgeSeconds?: number | undefined;
    }
  /** Tokens come from elsewhere (a configured secret, an issuer without a console client): the console cannot sign anyone in. */
  | { kind: 'none' };

/** How long a development sign-in lasts: a working day, unless the maximum token age is shorter. */
const DEV_TOKEN_LIFETIME_SECONDS = 8 * 3600;

/**
 * The roles a development token may carry: an authority's, the system administrator's (loading the
 * national calendar), the rulebook administrator's, the organisation department's (asking what follows
 * from a cadre's conclusions), or a party's.
 */
const DEV_ROLES = [...ROLES, ...SYSTEM_ROLES, ...RULEBOOK_ROLES, ...ORGANISATION_ROLES, ...PARTY_ROLES] as const;

export const devSignInBody = z
  .object({
    sub: z.string().trim().regex(ACCOUNT_ID_PATTERN, 'must be 1 to 128 letters, digits or . _ @ : | + = -, starting with a letter or digit'),
    name: personName(50),
    roles: z
      .array(z.enum(DEV_ROLES, { error: 'is not a role' }))
      .min(1, 'must hold at least one role')
      .max(DEV_ROLES.length)
      .refine((roles) => !roles.includes('party') || roles.every((r) => r === 'party'), 'party (a party’s own account) is never combined with another role'),
    authority: z.string().regex(AUTHORITY_ID_PATTERN, 'is not an authority id'),
  })
  .strict();

function devTokenLifetime(settings: Extract<SignInSettings, { kind: 'development' }>): number {
  return Math.min(DEV_TOKEN_LIFETIME_SECONDS, settings.maxAgeSeconds ?? DEFAULT_TOKEN_MAX_AGE_SECONDS);
}

export function signInRoutes(settings: SignInSettings, authorities: Authorities): RouteSpec[] {
  const routes: RouteSpec[] = [
    route({
      method: 'get',
      path: '/v1/sign-in',
      operationId: 'signInSettings',
      summary: 'How the console signs people in: the OIDC issuer and client, or the development sign-in and what it offers',
      tags: ['sign-in'],
      access: { kind: 'public' },
      responses: { 200: { description: '`mode` is oidc, development or none' } },
      handle({ res }) {
        if (settings.kind === 'oidc') {
          res.json({ mode: 'oidc', issuer: settings.issuer, clientId: settings.clientId, scope: settings.scope ?? 'openid profile', audience: settings.audience ?? null });
          return;
        }
        if (settings.kind === 'none') {
          res.json({ mode: 'none' });
          return;
        }
        res.json({
          mode: 'development',
          roles: ROLES,
          systemRoles: SYSTEM_ROLES,
          rulebookRoles: RULEBOOK_ROLES,
          organisationRoles: ORGANISATION_ROLES,
          partyRoles: PARTY_ROLES,
          tokenLifetimeSeconds: devTokenLifetime(settings),
          authorities: authorities.list.map((a) => ({ id: a.id, name: a.name, jurisdiction: a.jurisdiction })),
        });
      },
    }),
    route({
      method: 'get',
      path: '/v1/me',
      operationId: 'getMe',
      summary: 'Who is signed in: the account, its roles, and its authority by name (the console shows the name, never the id)',
      tags: ['sign-in'],
      access: { kind: 'signedIn' },
      responses: { 200: { description: 'The caller; `authority` is null for a system-wide account or an authority not configured here' } },
      handle({ user, res }) {
        const authority = user.authority ? authorities.get(user.authority) : undefined;
        res.set('Cache-Control', 'no-store').json({ sub: user.sub, name: user.name, roles: user.roles, authority: authority ? { id: authority.id, name: authority.name } : null });
      },
    }),
  ];
  if (settings.kind === 'development') {
    const development = settings;
    routes.push(
      route({
        method: 'post',
        path: '/v1/sign-in/development',
        operationId: 'developmentSignIn',
        summary: 'Development only (no OIDC issuer configured): a token for the role and authority picked',
        tags: ['sign-in'],
        access: { kind: 'public' },
        write: true,
        body: devSignInBody,
        responses: { 200: { description: 'A Bearer token and when it expires' }, 400: { description: 'Invalid body, or an authority that is not configured', schema: 'problem' } },
        async handle({ body, res }) {
          // Only the authorities GET /v1/sign-in offers: a token for another would find no rulebook to open cases under.
          if (!authorities.get(body.authority)) throw fieldsProblem([{ field: 'body.authority', message: 'is not a configured authority' }]);
          const lifetime = devTokenLifetime(development);
          const token = await signDevToken(development.secret, body, { expires: `${lifetime}s`, issuer: development.issuer, audience: development.audience });
          // The token's own `exp`, to the second (jose counts from the whole second it signs in).
          const expiresAt = new Date((Math.floor(Date.now() / 1000) + lifetime) * 1000).toISOString();
          res.set('Cache-Control', 'no-store').json({ token, tokenType: 'Bearer', expiresAt });
        },
      }),
    );
  }
  return routes;
}
