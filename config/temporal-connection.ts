/**
 * How this process reaches the Temporal frontend: TLS with its client
 * certificate (mTLS) and the bearer token the frontend's authorizer reads,
 * from TEMPORAL_TLS_* and TEMPORAL_TOKEN_FILE; plaintext when they are unset
 * (`npm start`'s embedded server on loopback). One home for the client's
 * Connection, the worker's NativeConnection and the cluster's own clients.
 */
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from './env';

export type TemporalTlsSettings = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_SERVER_NAME' | 'TEMPORAL_TOKEN_FILE'>;

/** How often a running process looks whether its token file was renewed (scripts/temporal-pki.ts). */
export const TOKEN_RECHECK_MS = 60_000;

export function temporalTls(settings: TemporalTlsSettings): TLSConfig | undefined {
  if (!settings.TEMPORAL_TLS_CA) return undefined;
  return {
    serverRootCACertificate: fs.readFileSync(settings.TEMPORAL_TLS_CA),
    ...(settings.TEMPORAL_TLS_CERT && settings.TEMPORAL_TLS_KEY
      ? { clientCertPair: { crt: fs.readFileSync(settings.TEMPORAL_TLS_CERT), key: fs.readFileSync(settings.TEMPORAL_TLS_KEY) } }
      : {}),
    ...(settings.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: settings.TEMPORAL_TLS_SERVER_NAME } : {}),
  };
}

/**
 * The token, read from its file and read again when the file changed (looked at
 * at most every TOKEN_RECHECK_MS); a file that went missing keeps the last token.
 */
export function tokenReader(file: string | undefined, recheckMs = TOKEN_RECHECK_MS): (() => string) | undefined {
  if (!file) return undefined;
  let token = fs.readFileSync(file, 'utf8').trim();
  let mtimeMs = fs.statSync(file).mtimeMs;
  let checkedAt = Date.now();
  return () => {
    if (Date.now() - checkedAt < recheckMs) return token;
    checkedAt = Date.now();
    try {
      const stat = fs.statSync(file);
      if (stat.mtimeMs !== mtimeMs) {
        token = fs.readFileSync(file, 'utf8').trim();
        mtimeMs = stat.mtimeMs;
      }
    } catch {
      // Being replaced (renamed into place): the next look finds the new one.
    }
    return token;
  };
}

/** Options for `Connection.connect` (the client) and, with `apiKey` read once, `NativeConnection.connect` (the worker). */
export function temporalConnectionOptions(settings: TemporalTlsSettings): { address: string; tls?: TLSConfig; apiKey?: () => string } {
  const tls = temporalTls(settings);
  const apiKey = tokenReader(settings.TEMPORAL_TOKEN_FILE);
  return { address: settings.TEMPORAL_ADDRESS, ...(tls ? { tls } : {}), ...(apiKey ? { apiKey } : {}) };
}

/** A worker's connection takes a token string: this hands it each renewed one, until the connection closes. */
export function keepNativeTokenFresh(apiKey: (() => string) | undefined, connection: { setApiKey(key: string): Promise<void> }): () => void {
  if (!apiKey) return () => undefined;
  let sent = apiKey();
  const timer = setInterval(() => {
    const now = apiKey();
    if (now === sent) return;
    sent = now;
    connection.setApiKey(now).catch(() => undefined);
  }, TOKEN_RECHECK_MS);
  timer.unref();
  return () => clearInterval(timer);
}
