/**
 * Prints a development token signed with the embedded secret:
 *   npm run token -- --role supervisor --authority binhai-jw --sub u123 --name 张三
 * Roles may repeat or be comma-separated. Production uses the OIDC issuer's tokens instead.
 * The token names the issuer and audience the API checks (TOKEN_ISSUER, TOKEN_AUDIENCE) and
 * expires within the maximum token age (TOKEN_MAX_AGE_SECONDS), after which the API refuses it anyway.
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { EMBEDDED_TOKEN_AUDIENCE, EMBEDDED_TOKEN_ISSUER, PARTY_ROLES, ROLES, RULEBOOK_ROLES, SYSTEM_ROLES } from '../api/auth';
import { loadOrCreateTokenSecret } from '../api/token-secret';
import { loadConfigOrExit } from '../config/env';

const argsSchema = z.object({
  role: z.array(z.string()).min(1, '--role is required').transform((r) => r.flatMap((x) => x.split(','))).pipe(z.array(z.enum([...ROLES, ...SYSTEM_ROLES, ...RULEBOOK_ROLES, ...PARTY_ROLES]))),
  authority: z.string().min(1, '--authority is required'),
  sub: z.string().min(1),
  name: z.string().min(1),
  expires: z.string().regex(/^\d+[smhd]$/, 'like 8h or 30d'),
});

const SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
const seconds = (duration: string) => Number(duration.slice(0, -1)) * SECONDS[duration.at(-1) as keyof typeof SECONDS];

export interface DevTokenOptions {
  /** Lifetime, like 8h (default). */
  expires?: string;
  issuer?: string | undefined;
  audience?: string | undefined;
}

/** A token the API accepts in its embedded (HS256) mode; every test helper that signs tokens signs them here. */
export async function signDevToken(secret: Uint8Array, claims: { sub: string; name: string; roles: string[]; authority: string; email?: string | undefined }, options: DevTokenOptions = {}) {
  return new SignJWT({ name: claims.name, roles: claims.roles, authority: claims.authority, ...(claims.email ? { email: claims.email } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuer(options.issuer ?? EMBEDDED_TOKEN_ISSUER)
    .setAudience(options.audience ?? EMBEDDED_TOKEN_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expires ?? '8h')
    .sign(secret);
}

async function main(): Promise<void> {
  const config = loadConfigOrExit();
  if (config.JWKS_URL) {
    process.stderr.write('token: JWKS_URL is set, so the API trusts the OIDC issuer, not development tokens\n');
    process.exit(2);
  }
  const { values } = parseArgs({
    options: {
      role: { type: 'string', multiple: true, default: [] },
      authority: { type: 'string', default: '' },
      sub: { type: 'string', default: 'dev-user' },
      name: { type: 'string', default: '开发用户' },
      expires: { type: 'string', default: '8h' },
    },
  });
  const args = argsSchema.safeParse(values);
  if (!args.success) {
    process.stderr.write(`token: ${args.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('; ')}\n`);
    process.stderr.write(`usage: npm run token -- --role ${[...ROLES, ...SYSTEM_ROLES, ...RULEBOOK_ROLES, ...PARTY_ROLES].join('|')} --authority binhai-jw [--sub u123] [--name 张三] [--expires 8h]\n`);
    process.exit(2);
  }
  const maxAge = config.TOKEN_MAX_AGE_SECONDS;
  if (seconds(args.data.expires) > maxAge) {
    process.stderr.write(`token: --expires ${args.data.expires} is longer than TOKEN_MAX_AGE_SECONDS (${maxAge} s): the API would refuse the token before it expires\n`);
    process.exit(2);
  }
  const secret = loadOrCreateTokenSecret(config.dataDir, config.TOKEN_SECRET);
  const { role, expires, ...rest } = args.data;
  const token = await signDevToken(secret, { ...rest, roles: role }, { expires, issuer: config.TOKEN_ISSUER, audience: config.TOKEN_AUDIENCE });
  process.stdout.write(`${token}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`token: ${err.message}\n`);
    process.exit(1);
  });
}
