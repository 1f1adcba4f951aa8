/**
 * Prints a development token signed with the embedded secret:
 *   npm run token -- --role supervisor --authority binhai-jw --sub u123 --name 张三
 * Roles may repeat or be comma-separated. Production uses the OIDC issuer's tokens instead.
 */
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { ROLES } from '../api/auth';
import { loadOrCreateTokenSecret } from '../api/token-secret';
import { loadConfigOrExit } from '../config/env';

const argsSchema = z.object({
  role: z.array(z.string()).min(1, '--role is required').transform((r) => r.flatMap((x) => x.split(','))).pipe(z.array(z.enum(ROLES))),
  authority: z.string().min(1, '--authority is required'),
  sub: z.string().min(1),
  name: z.string().min(1),
  expires: z.string().regex(/^\d+[smhd]$/, 'like 8h or 30d'),
});

export async function signDevToken(secret: Uint8Array, claims: { sub: string; name: string; roles: string[]; authority: string }, expires = '8h') {
  return new SignJWT({ name: claims.name, roles: claims.roles, authority: claims.authority })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt()
    .setExpirationTime(expires)
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
    process.stderr.write(`usage: npm run token -- --role ${ROLES.join('|')} --authority binhai-jw [--sub u123] [--name 张三] [--expires 8h]\n`);
    process.exit(2);
  }
  const secret = loadOrCreateTokenSecret(config.dataDir, config.TOKEN_SECRET);
  const { role, ...rest } = args.data;
  process.stdout.write(`${await signDevToken(secret, { ...rest, roles: role }, rest.expires)}\n`);
}

if (require.main === module) {
  main().catch((err: Error) => {
    process.stderr.write(`token: ${err.message}\n`);
    process.exit(1);
  });
}
