/**
 * The keys that seal personal data from Temporal: the payload keys (32 bytes
 * each, several, for rotation) and the key of the matter's search terms (HMAC).
 *
 * Payload keys are written `id:base64` (AES-256-GCM) or `id:sm4:base64`
 * (SM4 with HMAC-SM3, services/codec/ciphers.ts), separated by commas
 * (PAYLOAD_KEYS) or lines (PAYLOAD_KEYS_FILE, `#` starts a comment): the
 * cipher belongs to the key, so a deployment moves from one to the other by
 * rotating. The current key, the one that encrypts, is PAYLOAD_KEY_CURRENT or
 * else the first; every key listed decrypts. Rotating is putting a new key
 * first and keeping the old ones for as long as a case encrypted with them
 * may still run or be read.
 *
 * Without either variable the embedded setup generates both keys into
 * DATA_DIR on first start, like the token secret; in production
 * (NODE_ENV=production) nothing is generated, since a key that lives only in
 * one container's folder would lose every case when the container goes.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { openCasesSealedWithout } from '../../store/case-payload-keys';
import type { Queryable } from '../../store/db';
import { searchAttributes as sa } from '../../domain/case/contract';
import { CIPHER_KEY_BYTES, CIPHERS, type CipherName } from './ciphers';

export interface PayloadKey {
  id: string;
  /** 32 bytes: the AES-256 key, or SM4's MAC and cipher keys (ciphers.ts). */
  key: Uint8Array;
  /** What it seals with; AES-256-GCM unless the entry names `sm4`. */
  cipher?: CipherName;
}

export interface PayloadKeyring {
  /** The id of the key that encrypts. */
  current: string;
  /** Every key that decrypts, the current one among them. */
  keys: PayloadKey[];
}

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
export const PAYLOAD_KEY_BYTES = CIPHER_KEY_BYTES;
export const SEARCH_TERMS_KEY_MIN_LENGTH = 32;

/** `id:base64` or `id:cipher:base64` entries, by commas or lines; throws with one line saying what is wrong, never with key material. */
export function parsePayloadKeys(text: string): PayloadKey[] {
  const entries = text
    .split('\n')
    .flatMap((line) => line.replace(/#.*$/, '').split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new Error('no key: write id:base64key, e.g. k2026a:$(openssl rand -base64 32)');
  const keys: PayloadKey[] = [];
  entries.forEach((entry, index) => {
    // base64 has no colon, so `id:base64` and `id:cipher:base64` cannot be mistaken for each other.
    const parts = entry.split(':').map((part) => part.trim());
    const id = parts.length >= 2 ? parts[0]! : '';
    if (!KEY_ID.test(id) || parts.length > 3) throw new Error(`entry ${index + 1}: must be id:base64key or id:sm4:base64key with an id of letters, digits, '.', '_' or '-' (at most 64)`);
    const cipher = parts.length === 3 ? parts[1]! : 'aes-256-gcm';
    if (!(CIPHERS as readonly string[]).includes(cipher)) throw new Error(`key "${id}": cipher must be ${CIPHERS.join(' or ')}, got ${JSON.stringify(cipher.slice(0, 20))}`);
    const encoded = parts.at(-1)!;
    if (!BASE64.test(encoded)) throw new Error(`key "${id}": not base64`);
    const key = new Uint8Array(Buffer.from(encoded.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
    if (key.length !== PAYLOAD_KEY_BYTES) {
      throw new Error(`key "${id}": must be ${PAYLOAD_KEY_BYTES} bytes (${cipher === 'sm4' ? 'the HMAC-SM3 and SM4 keys' : 'AES-256'}), got ${key.length}`);
    }
    if (keys.some((k) => k.id === id)) throw new Error(`key "${id}": listed twice`);
    keys.push(cipher === 'aes-256-gcm' ? { id, key } : { id, key, cipher: cipher as CipherName });
  });
  return keys;
}

/** The keys as PAYLOAD_KEYS takes them, current first. */
export function formatPayloadKeys(keyring: PayloadKeyring): string {
  const ordered = [...keyring.keys].sort((a, b) => Number(b.id === keyring.current) - Number(a.id === keyring.current));
  return ordered.map((k) => `${k.id}:${k.cipher && k.cipher !== 'aes-256-gcm' ? `${k.cipher}:` : ''}${Buffer.from(k.key).toString('base64')}`).join(',');
}

export function payloadKeyring(keys: PayloadKey[], current?: string): PayloadKeyring {
  const chosen = current ?? keys[0]?.id;
  if (!chosen || !keys.some((k) => k.id === chosen)) {
    throw new Error(`"${chosen}" is not among the keys (${keys.map((k) => k.id).join(', ')})`);
  }
  return { current: chosen, keys };
}

export function payloadKeysFile(dataDir: string): string {
  return path.join(dataDir, 'payload-keys');
}

export function searchTermsKeyFile(dataDir: string): string {
  return path.join(dataDir, 'search-terms-key');
}

/** Writes `content` to `file` unless it exists ('wx'), so processes starting together agree on one key; answers the file's content. */
function createOnce(file: string, content: () => string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    fs.writeFileSync(file, content(), { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return fs.readFileSync(file, 'utf8');
}

/** The embedded default: the keys in DATA_DIR/payload-keys, generated on first start. */
export function loadOrCreatePayloadKeys(dataDir: string, now = new Date()): PayloadKeyring {
  const file = payloadKeysFile(dataDir);
  const text = createOnce(file, () => {
    const id = `k${now.toISOString().slice(0, 10).replace(/-/g, '')}-${randomBytes(2).toString('hex')}`;
    return [
      '# Payload encryption keys of this data folder: id:base64 (AES-256-GCM) or id:sm4:base64 (SM4, HMAC-SM3), 32 bytes each; the first encrypts, every one decrypts.',
      '# To rotate, put a new key first; keep the old ones while any case encrypted with them may run or be read.',
      `${id}:${randomBytes(PAYLOAD_KEY_BYTES).toString('base64')}`,
      '',
    ].join('\n');
  });
  try {
    return payloadKeyring(parsePayloadKeys(text));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}

/** SEARCH_TERMS_KEY, or the embedded default in DATA_DIR/search-terms-key, generated on first start. */
export function loadOrCreateSearchTermsKey(dataDir: string, configured?: string): Uint8Array {
  const text = configured ?? createOnce(searchTermsKeyFile(dataDir), () => randomBytes(48).toString('base64url')).trim();
  return new TextEncoder().encode(text);
}

export interface MissingPayloadKey {
  keyId: string;
  /** The open cases sealed with it, in order. */
  cases: string[];
}

/**
 * The keys open cases were sealed with that `keyring` lacks, each with its cases: from the archive's
 * table of the keys each case was sealed with (store/case-payload-keys.ts, every key, kept by the API
 * and the workers as they seal), and from the PayloadKey search attribute of running cases (the key a
 * case was opened with; all that cases opened before the table record).
 */
export async function missingPayloadKeys(keyring: PayloadKeyring, db: Queryable, visibility?: { client: Client; namespace: string }): Promise<{ missing: MissingPayloadKey[]; notes: string[] }> {
  const known = keyring.keys.map((k) => k.id);
  const byKey = await openCasesSealedWithout(db, known);
  const notes: string[] = [];
  if (visibility) {
    const quoted = known.map((id) => JSON.stringify(id)).join(', ');
    try {
      const page = await visibility.client.workflowService.listWorkflowExecutions({
        namespace: visibility.namespace,
        query: `ExecutionStatus = "Running" AND ${sa.payloadKey.name} IS NOT NULL AND ${sa.payloadKey.name} NOT IN (${quoted})`,
        pageSize: 100,
      });
      for (const execution of page.executions ?? []) {
        const payload = execution.searchAttributes?.indexedFields?.[sa.payloadKey.name];
        const id = payload?.data ? String(JSON.parse(Buffer.from(payload.data).toString('utf8'))) : '?';
        const caseId = execution.execution?.workflowId ?? '?';
        const cases = byKey.get(id) ?? [];
        if (!cases.includes(caseId)) byKey.set(id, [...cases, caseId].sort());
      }
    } catch (err) {
      notes.push(`cannot ask Temporal which keys running cases were opened with (is the ${sa.payloadKey.name} search attribute registered?): ${(err as Error).message}`);
    }
  }
  return { missing: [...byKey.entries()].map(([keyId, cases]) => ({ keyId, cases })), notes };
}

/** The one line a process logs for a missing key: the key, the cases that wait for it, and what to do. */
export function missingKeyLine(m: MissingPayloadKey, keyring: PayloadKeyring): string {
  const shown = m.cases.slice(0, 10).join(', ');
  return (
    `payload key "${m.keyId}" is missing (have ${keyring.keys.map((k) => k.id).join(', ')}): ` +
    `${m.cases.length} open case${m.cases.length === 1 ? '' : 's'} sealed with it wait for it (${shown}${m.cases.length > 10 ? ', …' : ''}); ` +
    'every other case runs. Add it back to PAYLOAD_KEYS, PAYLOAD_KEYS_FILE or DATA_DIR/payload-keys and restart'
  );
}
