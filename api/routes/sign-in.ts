/**
 * How the console signs people in. With an OIDC issuer configured it is the
 * issuer's authorization code flow with PKCE, and this route only says where
 * the issuer is and which client the console is. Without one (the embedded
 * default of `npm start`), a development sign-in mints a token for a role and
 * authority the tester picks, signed with the embedded secret; the console
 * says on screen that this is what it is. It is never mounted beside an issuer.
 */
import { z } from 'zod';
import type { Authorities } from '../../config/authorities';
import { signDevToken } from '../../scripts/token';
import { ROLES } from '../auth';
import { route, type RouteSpec } from '../registry';

export type SignInSettings =
  | { kind: 'oidc'; issuer: string; clientId: string; audience?: string | undefined; scope?: string | undefined }
  | { kind: 'development'; secret: Uint8Array }
  /** Tokens come from elsewhere (a configured secret, an issuer without a console client): the console cannot sign anyone in. */
  | { kind: 'none' };

/** How long a development sign-in lasts: a working day. */
const DEV_TOKEN_LIFETIME = '8h';

export const devSignInBody = z
  .object({
    sub: z.string().trim().regex(/^[A-Za-z0-9._@-]{1,100}$/, 'must be letters, digits and . _ @ - only'),
    name: z.string().trim().min(1, 'must not be empty').max(50),
    roles: z.array(z.enum(ROLES)).min(1, 'must hold at least one role').max(ROLES.length),
    authority: z.string().regex(/^[a-z][a-z0-9-]*$/, 'is not an authority id'),
  })
  .strict();

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
          authorities: authorities.list.map((a) => ({ id: a.id, name: a.name, jurisdiction: a.jurisdiction })),
        });
      },
    }),
  ];
  if (settings.kind === 'development') {
    const secret = settings.secret;
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
        responses: { 200: { description: 'A Bearer token and when it expires' }, 400: { description: 'Invalid body', schema: 'problem' } },
        async handle({ body, res }) {
          const token = await signDevToken(secret, body, { expires: DEV_TOKEN_LIFETIME });
          res.set('Cache-Control', 'no-store').json({ token, tokenType: 'Bearer' });
        },
      }),
    );
  }
  return routes;
}
