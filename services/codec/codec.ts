/**
 * Personal data never reaches Temporal in clear: every payload (workflow
 * input, update arguments and results, activity inputs and results, queries,
 * memo, failure messages) is compressed, then encrypted with AES-256-GCM,
 * the way Temporal's encryption sample does it. The key id travels in the
 * payload's metadata, so keys can rotate: the current key encrypts, any key
 * of the keyring decrypts. A payload that is not encrypted (cases started
 * before, the recorded replay fixtures) decodes unchanged.
 *
 * Codecs run outside the workflow sandbox (in clients and in the worker
 * around it), so Node's zlib is allowed here; workflow code never imports
 * this module.
 */
import { createCipheriv, createDecipheriv, randomFillSync, type CipherGCMTypes } from 'node:crypto';
import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRaw, inflateRawSync } from 'node:zlib';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
// Imported only so the build compiles it: the worker and the workflow bundle load it by path.
import './failure-converter';
import type { PayloadKeyring } from './keys';

export const ENCODING_ENCRYPTED = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_CIPHER = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM/deflate';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const GCM: CipherGCMTypes = 'aes-256-gcm';
/**
 * Payloads are mostly a few kilobytes, and each step and activity carries several: Node's async
 * zlib and WebCrypto hand each one to the thread pool, which cost four times the CPU of doing the
 * work in place (measured: 365 against 78 µs a payload). Larger ones, rare, still go to the pool
 * so a big payload never holds up the event loop the API and the activities share.
 */
const IN_PLACE_BYTES = 64 * 1024;

/** The path the worker and the workflow bundle load the failure converter from. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

const deflateAsync = promisify(deflateRaw);
const inflateAsync = promisify(inflateRaw);
const deflate = async (bytes: Uint8Array) => (bytes.byteLength <= IN_PLACE_BYTES ? deflateRawSync(bytes) : deflateAsync(bytes));
// Judged by the compressed size, which the payload's text shrinks to about a quarter of.
const inflate = async (bytes: Uint8Array) => (bytes.byteLength <= IN_PLACE_BYTES / 4 ? inflateRawSync(bytes) : inflateAsync(bytes));
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

/** A payload names a key the keyring does not have: the worker cannot read that case until the key is restored. */
export class PayloadKeyMissing extends Error {
  override name = 'PayloadKeyMissing';
  constructor(
    readonly keyId: string,
    known: string[],
  ) {
    super(`payload encrypted with key "${keyId}", which is not among the payload keys (${known.join(', ')}): restore it to PAYLOAD_KEYS or PAYLOAD_KEYS_FILE`);
  }
}

export class PayloadUndecryptable extends Error {
  override name = 'PayloadUndecryptable';
}

export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly keysById: ReadonlyMap<string, Uint8Array>;

  constructor(private readonly keyring: PayloadKeyring) {
    this.keysById = new Map(keyring.keys.map(({ id, key }) => [id, key]));
  }

  /** The key new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.keyring.current;
  }

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.encrypt(payload)));
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.decrypt(payload)));
  }

  private async encrypt(payload: Payload): Promise<Payload> {
    const keyId = this.keyring.current;
    const plain = await deflate(temporal.api.common.v1.Payload.encode(payload).finish());
    // The layout WebCrypto's AES-GCM gives, so payloads sealed before and after read alike: iv, ciphertext, tag.
    const iv = randomFillSync(new Uint8Array(IV_BYTES));
    const cipher = createCipheriv(GCM, this.keysById.get(keyId)!, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData(keyId));
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return {
      metadata: { [METADATA_ENCODING_KEY]: utf8(ENCODING_ENCRYPTED), [METADATA_KEY_ID]: utf8(keyId), [METADATA_CIPHER]: utf8(CIPHER) },
      data,
    };
  }

  private async decrypt(payload: Payload): Promise<Payload> {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCODING_ENCRYPTED) return payload;
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    const cipher = text(payload.metadata?.[METADATA_CIPHER]);
    if (!keyId) throw new PayloadUndecryptable('encrypted payload without an encryption-key-id');
    if (cipher !== CIPHER) throw new PayloadUndecryptable(`encrypted payload with an unknown cipher ${JSON.stringify(cipher)}`);
    const key = this.keysById.get(keyId);
    if (!key) throw new PayloadKeyMissing(keyId, this.keyring.keys.map((k) => k.id));
    const data = payload.data ?? new Uint8Array();
    let plain: Buffer;
    try {
      if (data.byteLength < IV_BYTES + TAG_BYTES) throw new Error('too short');
      const decipher = createDecipheriv(GCM, key, data.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData(keyId));
      decipher.setAuthTag(data.subarray(data.byteLength - TAG_BYTES));
      plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.byteLength - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new PayloadUndecryptable(`payload does not decrypt with key "${keyId}": altered, or another key of the same id`);
    }
    return temporal.api.common.v1.Payload.decode(await inflate(plain));
  }
}

/** Binds the ciphertext to its key id and format, so neither can be swapped in the clear metadata. */
function associatedData(keyId: string): Uint8Array {
  return utf8(`${ENCODING_ENCRYPTED}\n${CIPHER}\n${keyId}`);
}

/**
 * The data converter of every client and worker of the product, and of the
 * replay harness: one codec for payloads, failures encoded so it seals them too.
 */
export function caseDataConverter(keyring: PayloadKeyring): DataConverter {
  return { payloadCodecs: [new PayloadEncryptionCodec(keyring)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** The key a client encrypts with, recorded on each case so a worker can tell at start whether it has every key it needs. */
export function currentPayloadKeyId(dataConverter: { payloadCodecs: PayloadCodec[] }): string | undefined {
  return dataConverter.payloadCodecs.find((c): c is PayloadEncryptionCodec => c instanceof PayloadEncryptionCodec)?.currentKeyId;
}
