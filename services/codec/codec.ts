/**
 * Personal data never reaches Temporal in clear: every payload (workflow
 * input, update arguments and results, activity inputs and results, queries,
 * memo, failure messages) is compressed, then encrypted with the cipher of
 * the current key (AES-256-GCM, or SM4 with HMAC-SM3: ciphers.ts), the way
 * Temporal's encryption sample does it. The key id travels in the payload's
 * metadata, so keys can rotate: the current key encrypts, any key of the
 * keyring decrypts. A payload is sealed for the workflow it belongs to (the
 * SDK's serialization context names it): its id is in the metadata and in
 * the associated data, so a payload of one case never opens as another's,
 * and the codec endpoint knows whose case a payload is before it opens it.
 *
 * Decoding refuses what a key holder did not seal: a payload that is not
 * encrypted (sent with the Temporal CLI or the frontend's HTTP API, with no
 * key), one whose key this process lacks, one altered, one sealed for
 * another case, or one that inflates beyond MAX_PLAIN_BYTES. It hands on a
 * refusal in its place (refusal.ts) rather than throwing, so the worker's
 * workflow interceptor can refuse an update and drop a signal without
 * failing the case's workflow task. Only the replay harness reads payloads
 * that were never encrypted (fixtures recorded before encryption), with
 * `acceptUnsealed: true`.
 *
 * Codecs run outside the workflow sandbox (in clients and in the worker
 * around it), so Node's zlib is allowed here; workflow code never imports
 * this module.
 */
import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync, inflateRaw, inflateRawSync, type ZlibOptions } from 'node:zlib';
import { METADATA_ENCODING_KEY, type DataConverter, type Payload, type PayloadCodec, type SerializationContext } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CASE_ID_PATTERN } from '../../domain/case/contract';
import { CIPHER_LABELS, CipherAuthenticationFailed, cipherOfLabel, open, seal } from './ciphers';
// Imported only so the build compiles it: the worker and the workflow bundle load it by path.
import './failure-converter';
import type { PayloadKey, PayloadKeyring } from './keys';
import { REFUSED_FIELD, type RefusalReason } from './refusal';

export const ENCODING_ENCRYPTED = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_CIPHER = 'encryption-cipher';
/** The workflow (for a case: the case id) a payload was sealed for; absent on payloads sealed before, and where the SDK names none. */
export const METADATA_WORKFLOW_ID = 'encryption-workflow-id';
/** The label of AES-256-GCM payloads, the cipher every payload had before SM4. */
export const CIPHER = CIPHER_LABELS['aes-256-gcm'];
/**
 * The most a payload may inflate to. Temporal refuses a payload over 2 MB as stored (deflated), and
 * a case's largest payload, its state, is some tens of kilobytes; this only stops a payload built to
 * inflate without end (3 KB of ciphertext can hold 3 MB of zeros) from taking the process's memory.
 */
export const MAX_PLAIN_BYTES = 32 * 1024 * 1024;
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
const inflateAsync = promisify<Uint8Array, ZlibOptions, Buffer>(inflateRaw);
const deflate = async (bytes: Uint8Array) => (bytes.byteLength <= IN_PLACE_BYTES ? deflateRawSync(bytes) : deflateAsync(bytes));
/** Stops at maxOutputLength, so a bomb never inflates past it. Judged by the compressed size, which the payload's text shrinks to about a quarter of. */
async function inflate(bytes: Uint8Array, maxOutputLength: number): Promise<Buffer> {
  try {
    return bytes.byteLength <= IN_PLACE_BYTES / 4 ? inflateRawSync(bytes, { maxOutputLength }) : await inflateAsync(bytes, { maxOutputLength });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLarge(maxOutputLength);
    throw new PayloadUndecryptable('payload does not inflate');
  }
}
const utf8 = (text: string) => new TextEncoder().encode(text);
const text = (bytes: Uint8Array | null | undefined) => (bytes ? new TextDecoder().decode(bytes) : undefined);

/** A payload that was never encrypted: nobody holding a payload key sent it. */
export class PayloadNotSealed extends Error {
  override name = 'PayloadNotSealed';
  constructor() {
    super('payload is not encrypted');
  }
}

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

/** A payload inflates beyond the limit it was opened with. */
export class PayloadTooLarge extends Error {
  override name = 'PayloadTooLarge';
  constructor(readonly limit: number) {
    super(`payload inflates beyond ${limit} bytes`);
  }
}

/** A payload opened, with the key that sealed it and the workflow it was sealed for. */
export interface OpenedPayload {
  payload: Payload;
  keyId: string;
  /** The workflow id it was sealed for; undefined for payloads sealed before payloads were bound, or without a context. */
  boundTo: string | undefined;
}

export interface CodecOptions {
  /** The replay harness only, for fixtures recorded before encryption: payloads never encrypted pass through. */
  acceptUnsealed?: boolean;
  /** Told of every payload sealed for a workflow, with the key: the table of keys each case needs (store/case-payload-keys.ts). */
  onSeal?: (workflowId: string, keyId: string) => void;
}

export class PayloadEncryptionCodec implements PayloadCodec {
  private readonly keysById: ReadonlyMap<string, PayloadKey>;
  /** Keys this deployment sealed open cases with that this process lacks (services/codec/key-check.ts). */
  private awaited: ReadonlySet<string> = new Set();

  constructor(
    private readonly keyring: PayloadKeyring,
    private readonly options: CodecOptions = {},
  ) {
    this.keysById = new Map(keyring.keys.map((k) => [k.id, k]));
  }

  /** The key new payloads are encrypted with. */
  get currentKeyId(): string {
    return this.keyring.current;
  }

  /**
   * Keys known to have sealed open cases that this process lacks. A payload sealed with one is not
   * refused but fails its decoding: the workflow task (or activity) of that case fails and is retried
   * by the server until the key is back, while every other case runs. A key id nobody recorded is still
   * a refusal, so a forged payload naming an unknown key cannot hold a case.
   */
  awaitKeys(keyIds: Iterable<string>): void {
    this.awaited = new Set(keyIds);
  }

  encode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.encrypt(payload, context?.workflowId)));
  }

  /** Never throws for what a payload holds: a payload it may not hand on becomes a refusal (refusal.ts). */
  decode(payloads: Payload[], context?: SerializationContext): Promise<Payload[]> {
    return Promise.all(payloads.map((payload) => this.decodeOne(payload, context?.workflowId)));
  }

  /**
   * Decrypts one payload, or throws why not: PayloadNotSealed, PayloadKeyMissing, PayloadUndecryptable,
   * PayloadTooLarge. For the codec endpoint, which answers each of them, and for decode.
   */
  async open(payload: Payload, maxPlainBytes = MAX_PLAIN_BYTES): Promise<OpenedPayload> {
    if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCODING_ENCRYPTED) throw new PayloadNotSealed();
    const keyId = text(payload.metadata?.[METADATA_KEY_ID]);
    const label = text(payload.metadata?.[METADATA_CIPHER]);
    const boundTo = boundWorkflowOf(payload);
    if (!keyId) throw new PayloadUndecryptable('encrypted payload without an encryption-key-id');
    const cipher = cipherOfLabel(label);
    if (!cipher) throw new PayloadUndecryptable(`encrypted payload with an unknown cipher ${JSON.stringify(label?.slice(0, 40))}`);
    const key = this.keysById.get(keyId);
    if (!key) throw new PayloadKeyMissing(keyId, this.keyring.keys.map((k) => k.id));
    // A key seals with one cipher only: a payload claiming another under its id is refused, not tried.
    if ((key.cipher ?? 'aes-256-gcm') !== cipher) throw new PayloadUndecryptable(`payload does not decrypt with key "${keyId}": its cipher is not the key's`);
    let plain: Buffer;
    try {
      plain = open(cipher, key.key, payload.data ?? new Uint8Array(), associatedData(label!, keyId, boundTo));
    } catch (err) {
      if (!(err instanceof CipherAuthenticationFailed)) throw err;
      throw new PayloadUndecryptable(`payload does not decrypt with key "${keyId}": altered, or another key of the same id`);
    }
    const inflated = await inflate(plain, maxPlainBytes);
    try {
      return { payload: temporal.api.common.v1.Payload.decode(inflated), keyId, boundTo };
    } catch {
      throw new PayloadUndecryptable('payload is not a Temporal payload once opened');
    }
  }

  private async encrypt(payload: Payload, workflowId: string | undefined): Promise<Payload> {
    const key = this.keysById.get(this.keyring.current)!;
    const label = CIPHER_LABELS[key.cipher ?? 'aes-256-gcm'];
    const plain = await deflate(temporal.api.common.v1.Payload.encode(payload).finish());
    if (workflowId !== undefined) this.options.onSeal?.(workflowId, key.id);
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: utf8(ENCODING_ENCRYPTED),
        [METADATA_KEY_ID]: utf8(key.id),
        [METADATA_CIPHER]: utf8(label),
        ...(workflowId !== undefined ? { [METADATA_WORKFLOW_ID]: utf8(workflowId) } : {}),
      },
      data: seal(key.cipher ?? 'aes-256-gcm', key.key, plain, associatedData(label, key.id, workflowId)),
    };
  }

  private async decodeOne(payload: Payload, owner: string | undefined): Promise<Payload> {
    let opened: OpenedPayload;
    try {
      opened = await this.open(payload);
    } catch (err) {
      if (err instanceof PayloadNotSealed && this.options.acceptUnsealed) return payload;
      if (err instanceof PayloadKeyMissing && this.awaited.has(err.keyId)) throw err;
      return refusal(reasonOf(err));
    }
    // A case's payload sent to another workflow, or another's sent to a case (copied with the CLI), is refused. Other
    // workflows are not held to it: a schedule seals its action for the schedule's workflow id, and its runs add a time.
    const differs = opened.boundTo !== undefined && owner !== undefined && opened.boundTo !== owner;
    if (differs && (CASE_ID_PATTERN.test(owner) || CASE_ID_PATTERN.test(opened.boundTo!))) return refusal('other-case');
    return opened.payload;
  }
}

/** The workflow a sealed payload names in its metadata as the one it was sealed for. */
export function boundWorkflowOf(payload: Payload): string | undefined {
  return text(payload.metadata?.[METADATA_WORKFLOW_ID]);
}

function reasonOf(err: unknown): RefusalReason {
  if (err instanceof PayloadNotSealed) return 'unsealed';
  if (err instanceof PayloadKeyMissing) return 'unknown-key';
  if (err instanceof PayloadTooLarge) return 'too-large';
  if (err instanceof PayloadUndecryptable) return 'unauthenticated';
  throw err;
}

function refusal(reason: RefusalReason): Payload {
  return { metadata: { [METADATA_ENCODING_KEY]: utf8('json/plain') }, data: utf8(JSON.stringify({ [REFUSED_FIELD]: reason })) };
}

/**
 * Binds the ciphertext to its format, key id and workflow, so none of them can be swapped in the clear metadata. Payloads
 * sealed before the binding have three lines, so they still open; no field before the last holds a line break.
 */
function associatedData(label: string, keyId: string, workflowId: string | undefined): Uint8Array {
  return utf8([ENCODING_ENCRYPTED, label, keyId, ...(workflowId !== undefined ? [workflowId] : [])].join('\n'));
}

/**
 * The data converter of every client and worker of the product, and (with `acceptUnsealed`) of the
 * replay harness for fixtures recorded before encryption: one codec for payloads, failures encoded so it seals them too.
 */
export function caseDataConverter(keyring: PayloadKeyring, options: CodecOptions = {}): DataConverter {
  return { payloadCodecs: [new PayloadEncryptionCodec(keyring, options)], failureConverterPath: FAILURE_CONVERTER_PATH };
}

/** The product's encryption codec among a data converter's codecs. */
export function encryptionCodecOf(dataConverter: { payloadCodecs?: PayloadCodec[] | undefined }): PayloadEncryptionCodec | undefined {
  return (dataConverter.payloadCodecs ?? []).find((c): c is PayloadEncryptionCodec => c instanceof PayloadEncryptionCodec);
}

/** The key a client encrypts with, recorded on each case so a worker can tell at start whether it has every key it needs. */
export function currentPayloadKeyId(dataConverter: { payloadCodecs: PayloadCodec[] }): string | undefined {
  return encryptionCodecOf(dataConverter)?.currentKeyId;
}
