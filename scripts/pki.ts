/**
 * The small certificate authority of the Temporal frontend (scripts/temporal-pki.ts
 * runs it as compose's `temporal-pki` job and in `npm run cluster`): CA and leaf
 * certificates for mTLS, and the ES256 tokens the frontend's default JWT claim
 * mapper reads. Node's crypto makes the keys; node-forge writes the X.509
 * certificates, which Node cannot.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { exportJWK, SignJWT, type JWK } from 'jose';

const DAY_MS = 86_400_000;

export interface KeyAndCert {
  keyPem: string;
  certPem: string;
}

export type Usage = 'ca' | 'server' | 'client' | 'server-and-client';

export interface CertificateRequest {
  commonName: string;
  usage: Usage;
  /** DNS names and IP addresses the certificate is valid for (servers). */
  names?: string[];
  days: number;
  /** The CA that signs it; none: self-signed (a CA). */
  issuer?: KeyAndCert;
}

/** RSA 2048: forge signs only RSA, and every client here (Go, rustls, OpenSSL) takes it. */
export function newRsaKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export function issueCertificate(keyPem: string, request: CertificateRequest): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(createPublicKey(keyPem).export({ type: 'spki', format: 'pem' }).toString());
  // Positive, random, 16 bytes: RFC 5280 wants serials unique per CA.
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  // A few minutes back, for clocks that differ a little between the job and the services.
  cert.validity.notBefore = new Date(Date.now() - 5 * 60_000);
  cert.validity.notAfter = new Date(Date.now() + request.days * DAY_MS);
  const subject = [
    { name: 'commonName', value: request.commonName },
    { name: 'organizationName', value: 'rongcuo' },
  ];
  cert.setSubject(subject);
  const issuerCert = request.issuer ? forge.pki.certificateFromPem(request.issuer.certPem) : undefined;
  cert.setIssuer(issuerCert ? issuerCert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'subjectKeyIdentifier' }];
  if (request.usage === 'ca') {
    extensions.push({ name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true }, { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  } else {
    extensions.push(
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: request.usage !== 'client', clientAuth: request.usage !== 'server' },
    );
    const names = request.names ?? [];
    if (names.length > 0) {
      extensions.push({ name: 'subjectAltName', altNames: names.map((n) => (IPV4.test(n) ? { type: 7, ip: n } : { type: 2, value: n })) });
    }
  }
  cert.setExtensions(extensions);
  const signingKey = forge.pki.privateKeyFromPem(
    createPrivateKey(request.issuer ? request.issuer.keyPem : keyPem).export({ type: 'pkcs1', format: 'pem' }).toString(),
  );
  cert.sign(signingKey as forge.pki.rsa.PrivateKey, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

export function newCa(commonName: string, days: number): KeyAndCert {
  const keyPem = newRsaKey();
  return { keyPem, certPem: issueCertificate(keyPem, { commonName, usage: 'ca', days }) };
}

export function newLeaf(issuer: KeyAndCert, request: Omit<CertificateRequest, 'issuer'>): KeyAndCert {
  const keyPem = newRsaKey();
  return { keyPem, certPem: issueCertificate(keyPem, { ...request, issuer }) };
}

/** Why a leaf must be issued again, or undefined while it still serves. */
export function leafNeedsRenewal(
  certPem: string | undefined,
  want: { issuer: KeyAndCert; names?: string[]; renewWithinDays: number; commonName: string },
): string | undefined {
  if (!certPem) return 'missing';
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certPem);
  } catch {
    return 'unreadable';
  }
  if (!cert.checkIssued(new X509Certificate(want.issuer.certPem)) || !cert.verify(new X509Certificate(want.issuer.certPem).publicKey)) return 'issued by another CA';
  if (new Date(cert.validTo).getTime() - Date.now() < want.renewWithinDays * DAY_MS) return `expires ${cert.validTo}`;
  if (!cert.subject.split('\n').includes(`CN=${want.commonName}`)) return 'another subject';
  const names = (cert.subjectAltName ?? '')
    .split(', ')
    .filter(Boolean)
    .map((entry) => entry.replace(/^(DNS|IP Address):/, ''))
    .sort();
  if (want.names && JSON.stringify(names) !== JSON.stringify([...want.names].sort())) return 'other names';
  return undefined;
}

export function certificateExpiry(certPem: string): Date {
  return new Date(new X509Certificate(certPem).validTo);
}

/** An ES256 key for the frontend's tokens, with the key id its JWKS entry and every token carry. */
export interface TokenKey {
  kid: string;
  keyPem: string;
}

export function newTokenKey(): TokenKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  return { kid: `rongcuo-${createHash('sha256').update(spki).digest('base64url').slice(0, 16)}`, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

/** The key set the Temporal server reads (global.authorization.jwtKeyProvider, a file:// source). */
export async function jwks(keys: TokenKey[]): Promise<{ keys: JWK[] }> {
  return {
    keys: await Promise.all(
      keys.map(async (k) => ({ ...(await exportJWK(createPublicKey(k.keyPem))), kid: k.kid, alg: 'ES256', use: 'sig' })),
    ),
  };
}

/**
 * A token for the default claim mapper: `permissions` as `<namespace>:<role>`
 * (read, write, worker, admin). It expires with the certificate it is issued
 * beside, since the frontend takes neither without the other.
 */
export async function mintToken(key: TokenKey, claims: { subject: string; permissions: string[]; expires: Date }): Promise<string> {
  const privateKey: KeyObject = createPrivateKey(key.keyPem);
  return new SignJWT({ permissions: claims.permissions })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT' })
    .setIssuer('rongcuo-temporal-pki')
    .setSubject(claims.subject)
    .setIssuedAt()
    .setExpirationTime(Math.floor(claims.expires.getTime() / 1000))
    .sign(privateKey);
}

/** The token's key id and expiry, read without verifying (the job checks its own files). */
export function tokenFacts(token: string | undefined): { kid?: string; exp?: number; permissions?: string[] } {
  if (!token) return {};
  try {
    const [header, payload] = token.split('.');
    const h = JSON.parse(Buffer.from(header!, 'base64url').toString('utf8')) as { kid?: string };
    const p = JSON.parse(Buffer.from(payload!, 'base64url').toString('utf8')) as { exp?: number; permissions?: string[] };
    return { kid: h.kid, exp: p.exp, permissions: p.permissions };
  } catch {
    return {};
  }
}
