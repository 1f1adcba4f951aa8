/**
 * The set-up job of the Temporal frontend's credentials (compose's
 * `temporal-pki`; `npm run cluster` runs the same file): a CA for the frontend
 * and its clients, a CA for the server's own nodes, the certificates each
 * service presents, and the tokens the default JWT claim mapper reads
 * (README, Production topology: Temporal's frontend).
 *
 * It runs at every start and is idempotent: it issues only what is missing,
 * expiring within 30 days, signed by a CA no longer issuing, or naming other
 * hosts. Each consumer gets its own folder (a volume of its own in compose),
 * so a worker never holds the server's key or the operator's token.
 *
 * PKI_ROTATE rotates both CAs and the token key in three runs, each followed
 * by a rolling restart of the clients (README, rotating the certificates):
 * `introduce` adds new ones beside the old to every trust bundle and key set,
 * `switch` issues everything from the new ones, `retire` drops the old.
 */
import fs from 'node:fs';
import path from 'node:path';
import { certificateExpiry, jwks, leafNeedsRenewal, mintToken, newCa, newLeaf, newTokenKey, tokenFacts, type KeyAndCert, type TokenKey, type Usage } from './pki';

const CA_DAYS = 3650;
const LEAF_DAYS = 365;
const RENEW_WITHIN_DAYS = 30;

/** Who holds what: each client's certificate subject and the permissions of its token (none: the UI sends its users' tokens). */
const CLIENTS = {
  worker: { permissions: (ns: string) => [`${ns}:write`] },
  api: { permissions: (ns: string) => [`${ns}:write`] },
  // Operators and the set-up job: namespace, search attributes, deployment versions.
  admin: { permissions: (ns: string) => [`${ns}:admin`] },
  ui: { permissions: undefined },
} as const;
type ClientName = keyof typeof CLIENTS;

type Say = (line: string) => void;

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new Error(`${name}: required`);
  return value;
}

function read(file: string): string | undefined {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/** Written whole or not at all: a reader never meets half a key. */
function write(file: string, text: string, mode: number, owner?: number): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text, { mode });
  fs.chmodSync(tmp, mode);
  if (owner !== undefined) fs.chownSync(tmp, owner, owner);
  fs.renameSync(tmp, file);
}

function ensureDir(dir: string, owner?: number): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  if (owner !== undefined) fs.chownSync(dir, owner, owner);
}

/** An active CA or token key with the one being introduced and the one being retired. */
class Slot<T> {
  constructor(
    private readonly dir: string,
    private readonly name: string,
    private readonly load: (dir: string) => T | undefined,
    private readonly save: (dir: string, value: T) => void,
    private readonly create: () => T,
  ) {}
  private at(which: '' | '-next' | '-previous'): string {
    return path.join(this.dir, `${this.name}${which}`);
  }
  get(which: '' | '-next' | '-previous'): T | undefined {
    return this.load(this.at(which));
  }
  active(say: Say): T {
    const existing = this.get('');
    if (existing) return existing;
    say(`${this.name}: created`);
    const value = this.create();
    this.put('', value);
    return value;
  }
  put(which: '' | '-next' | '-previous', value: T): void {
    ensureDir(this.at(which));
    this.save(this.at(which), value);
  }
  drop(which: '-next' | '-previous'): void {
    fs.rmSync(this.at(which), { recursive: true, force: true });
  }
  /** Every one still trusted: the active, the introduced, the retiring. */
  all(): T[] {
    return (['', '-next', '-previous'] as const).map((w) => this.get(w)).filter((v): v is T => v !== undefined);
  }
  rotate(phase: string, say: Say): void {
    if (phase === 'introduce') {
      if (this.get('-next')) return;
      this.put('-next', this.create());
      say(`${this.name}: a new one introduced beside the active one`);
    } else if (phase === 'switch') {
      const next = this.get('-next') ?? this.create();
      const active = this.get('');
      if (active) this.put('-previous', active);
      this.put('', next);
      this.drop('-next');
      say(`${this.name}: the new one is active; the old one is still trusted until retire`);
    } else if (phase === 'retire') {
      if (!this.get('-previous')) return;
      this.drop('-previous');
      say(`${this.name}: the old one retired`);
    }
  }
}

const caSlot = (dir: string, name: string, commonName: string) =>
  new Slot<KeyAndCert>(
    dir,
    name,
    (d) => {
      const keyPem = read(path.join(d, 'key.pem'));
      const certPem = read(path.join(d, 'cert.pem'));
      return keyPem && certPem ? { keyPem, certPem } : undefined;
    },
    (d, v) => {
      write(path.join(d, 'key.pem'), v.keyPem, 0o600);
      write(path.join(d, 'cert.pem'), v.certPem, 0o644);
    },
    () => newCa(`${commonName} ${new Date().toISOString().slice(0, 10)}`, CA_DAYS),
  );

const tokenKeySlot = (dir: string) =>
  new Slot<TokenKey>(
    dir,
    'token-key',
    (d) => {
      const keyPem = read(path.join(d, 'key.pem'));
      const kid = read(path.join(d, 'kid'))?.trim();
      return keyPem && kid ? { keyPem, kid } : undefined;
    },
    (d, v) => {
      write(path.join(d, 'key.pem'), v.keyPem, 0o600);
      write(path.join(d, 'kid'), v.kid, 0o644);
    },
    newTokenKey,
  );

export interface PkiSettings {
  /** The job's own state: the CAs' and the token key's private keys. Mounted by no other service. */
  stateDir: string;
  serverDir: string;
  clientDirs: Record<ClientName, string>;
  /** Host names and addresses the frontend's (and the nodes') certificate names. */
  serverNames: string[];
  namespace: string;
  /** The user id each output belongs to in its image (compose); applied only when the job runs as root. */
  owners: Partial<Record<ClientName | 'server', number>>;
  rotate?: 'introduce' | 'switch' | 'retire';
}

export function pkiSettings(env: NodeJS.ProcessEnv): PkiSettings {
  const rotate = env.PKI_ROTATE?.trim() || undefined;
  if (rotate && !['introduce', 'switch', 'retire'].includes(rotate)) throw new Error(`PKI_ROTATE: must be introduce, switch or retire (got ${JSON.stringify(rotate)})`);
  const owners: PkiSettings['owners'] = {};
  for (const entry of (env.PKI_OWNERS ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [name, uid] = entry.split('=');
    if (!name || !/^\d+$/.test(uid ?? '') || !['server', ...Object.keys(CLIENTS)].includes(name)) throw new Error(`PKI_OWNERS: ${JSON.stringify(entry)} is not name=uid`);
    owners[name as ClientName] = Number(uid);
  }
  return {
    stateDir: required(env, 'PKI_DIR'),
    serverDir: required(env, 'PKI_SERVER_DIR'),
    clientDirs: { worker: required(env, 'PKI_WORKER_DIR'), api: required(env, 'PKI_API_DIR'), admin: required(env, 'PKI_ADMIN_DIR'), ui: required(env, 'PKI_UI_DIR') },
    serverNames: required(env, 'PKI_SERVER_NAMES').split(',').map((s) => s.trim()).filter(Boolean),
    namespace: required(env, 'PKI_NAMESPACE'),
    owners,
    ...(rotate ? { rotate: rotate as PkiSettings['rotate'] } : {}),
  };
}

const bundle = (cas: KeyAndCert[]) => cas.map((c) => c.certPem.trim()).join('\n') + '\n';

export async function runPki(settings: PkiSettings, say: Say): Promise<void> {
  const root = process.getuid?.() === 0;
  const owner = (name: ClientName | 'server') => (root ? settings.owners[name] : undefined);
  ensureDir(settings.stateDir);
  const ca = caSlot(settings.stateDir, 'ca', 'rongcuo Temporal CA');
  const internodeCa = caSlot(settings.stateDir, 'internode-ca', 'rongcuo Temporal internode CA');
  const tokenKey = tokenKeySlot(settings.stateDir);
  if (settings.rotate) for (const slot of [ca, internodeCa, tokenKey] as Slot<unknown>[]) slot.rotate(settings.rotate, say);
  const issuing = ca.active(say);
  const issuingInternode = internodeCa.active(say);
  const signing = tokenKey.active(say);

  const leaf = (dir: string, file: string, who: ClientName | 'server', request: { commonName: string; usage: Usage; names?: string[] }, issuer: KeyAndCert): { certPem: string; renewed: boolean } => {
    const certFile = path.join(dir, `${file}.pem`);
    const why = leafNeedsRenewal(read(certFile), { issuer, renewWithinDays: RENEW_WITHIN_DAYS, commonName: request.commonName, ...(request.names ? { names: request.names } : {}) });
    if (!why) return { certPem: read(certFile)!, renewed: false };
    const issued = newLeaf(issuer, { ...request, days: LEAF_DAYS });
    write(path.join(dir, `${file}.key`), issued.keyPem, 0o600, owner(who));
    write(certFile, issued.certPem, 0o644, owner(who));
    say(`${who}: ${file} certificate issued (${why})`);
    return { certPem: issued.certPem, renewed: true };
  };

  // The server: its frontend certificate, its nodes' certificate (internode and internal frontend), whom it trusts, and the token keys.
  const server = settings.serverDir;
  ensureDir(server, owner('server'));
  leaf(server, 'frontend', 'server', { commonName: 'temporal-frontend', usage: 'server', names: settings.serverNames }, issuing);
  leaf(server, 'internode', 'server', { commonName: 'temporal-internode', usage: 'server-and-client', names: settings.serverNames }, issuingInternode);
  write(path.join(server, 'client-ca.pem'), bundle(ca.all()), 0o644, owner('server'));
  write(path.join(server, 'internode-ca.pem'), bundle(internodeCa.all()), 0o644, owner('server'));
  write(path.join(server, 'jwks.json'), `${JSON.stringify(await jwks(tokenKey.all()), null, 2)}\n`, 0o644, owner('server'));

  for (const [name, client] of Object.entries(CLIENTS) as [ClientName, (typeof CLIENTS)[ClientName]][]) {
    const dir = settings.clientDirs[name];
    ensureDir(dir, owner(name));
    // The same bundle that signs the frontend's certificate: a client trusts only the frontend of this deployment.
    write(path.join(dir, 'ca.pem'), bundle(ca.all()), 0o644, owner(name));
    const { certPem, renewed } = leaf(dir, 'client', name, { commonName: `rongcuo-${name}`, usage: 'client' }, issuing);
    if (!client.permissions) continue;
    const tokenFile = path.join(dir, 'token');
    const facts = tokenFacts(read(tokenFile));
    const permissions = client.permissions(settings.namespace);
    const stale =
      renewed ||
      facts.kid !== signing.kid ||
      JSON.stringify(facts.permissions) !== JSON.stringify(permissions) ||
      (facts.exp ?? 0) * 1000 - Date.now() < RENEW_WITHIN_DAYS * 86_400_000;
    if (!stale) continue;
    const token = await mintToken(signing, { subject: `rongcuo-${name}`, permissions, expires: certificateExpiry(certPem) });
    write(tokenFile, `${token}\n`, 0o600, owner(name));
    say(`${name}: token issued (${permissions.join(' ')})`);
  }
}

if (require.main === module) {
  const say: Say = (line) => process.stdout.write(`[temporal-pki] ${line}\n`);
  let settings: PkiSettings;
  try {
    settings = pkiSettings(process.env);
  } catch (err) {
    process.stderr.write(`[temporal-pki] configuration error: ${(err as Error).message}\n`);
    process.exit(78);
  }
  runPki(settings, say).then(
    () => say('done'),
    (err: Error) => {
      process.stderr.write(`[temporal-pki] ${err.message}\n`);
      process.exit(1);
    },
  );
}
