/**
 * The payload codec and its keys: what leaves a process for Temporal is
 * compressed and encrypted under the current key, names that key, and
 * decrypts with any key of the keyring; what was never encrypted passes
 * through; what was tampered with or needs a key no longer held fails with
 * a line that says so. Failures carry their message encoded, for the codec.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CIPHER, ENCODING_ENCRYPTED, METADATA_KEY_ID, PayloadEncryptionCodec, PayloadKeyMissing, PayloadUndecryptable } from '../../services/codec/codec';
import { failureConverter } from '../../services/codec/failure-converter';
import { loadOrCreatePayloadKeys, parsePayloadKeys, payloadKeyring, payloadKeysFile } from '../../services/codec/keys';
import { matterIndex } from '../../services/cases/search-terms';
import { testPayloadKeys } from '../support/keys';

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
const key = (fill: number) => new Uint8Array(32).fill(fill);
const oldRing = payloadKeyring([{ id: 'k-old', key: key(1) }]);
/** Rotated: the new key first, the old one kept. */
const rotatedRing = payloadKeyring([{ id: 'k-new', key: key(2) }, { id: 'k-old', key: key(1) }]);
const caseInput = { subject: { name: '欧阳明远' }, matter: '加装电梯项目为赶工期先行开工'.repeat(20) };
const plainPayload = (): Payload => defaultPayloadConverter.toPayload(caseInput)!;

describe('encrypting a payload', () => {
  const codec = new PayloadEncryptionCodec(testPayloadKeys);

  it('seals it under the current key, named in the metadata, compressed first', async () => {
    const plain = plainPayload();
    const [sealed] = await codec.encode([plain]);
    expect(text(sealed!.metadata?.encoding)).toBe(ENCODING_ENCRYPTED);
    expect(text(sealed!.metadata?.[METADATA_KEY_ID])).toBe('test-2026a');
    expect(text(sealed!.metadata?.['encryption-cipher'])).toBe(CIPHER);
    expect(Buffer.from(sealed!.data!).includes(Buffer.from('欧阳明远'))).toBe(false);
    // The matter repeats, so compression shows: the sealed payload is far smaller than the plain one.
    expect(sealed!.data!.length).toBeLessThan(plain.data!.length / 4);
    const [back] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(back!)).toEqual(caseInput);
  });

  it('never gives the same ciphertext twice for the same value', async () => {
    const [a, b] = await codec.encode([plainPayload(), plainPayload()]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('opens a payload sealed through WebCrypto, as cases opened before the codec worked in place were sealed', async () => {
    const keyId = testPayloadKeys.current;
    const raw = testPayloadKeys.keys.find((k) => k.id === keyId)!.key;
    const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
    const sealed = await globalThis.crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: Buffer.from(`${ENCODING_ENCRYPTED}\n${CIPHER}\n${keyId}`) },
      await globalThis.crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']),
      deflateRawSync(temporal.api.common.v1.Payload.encode(plainPayload()).finish()),
    );
    const data = Buffer.concat([iv, new Uint8Array(sealed)]);
    const metadata = { encoding: Buffer.from(ENCODING_ENCRYPTED), [METADATA_KEY_ID]: Buffer.from(keyId), 'encryption-cipher': Buffer.from(CIPHER) };
    const [back] = await codec.decode([{ metadata, data }]);
    expect(defaultPayloadConverter.fromPayload(back!)).toEqual(caseInput);
  });

  it('seals and opens a payload too large to compress in place (a long dossier of free text)', async () => {
    const long = { matter: Array.from({ length: 20_000 }, (_, i) => `第${i}项：${(i * 7919) % 104729}`).join('；') };
    const plain = defaultPayloadConverter.toPayload(long)!;
    expect(plain.data!.length).toBeGreaterThan(256 * 1024);
    const [sealed] = await codec.encode([plain]);
    const [back] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(back!)).toEqual(long);
  });

  it('lets a payload that was never encrypted through unchanged, as cases and fixtures from before have them', async () => {
    const plain = plainPayload();
    const [same] = await codec.decode([plain]);
    expect(same).toBe(plain);
  });

  it('refuses a payload altered in storage, or moved under another key id', async () => {
    const [sealed] = await codec.encode([plainPayload()]);
    const flipped = new Uint8Array(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...sealed!, data: flipped }])).rejects.toBeInstanceOf(PayloadUndecryptable);
    const twoKeys = new PayloadEncryptionCodec(payloadKeyring([...testPayloadKeys.keys, { id: 'other', key: testPayloadKeys.keys[0]!.key }]));
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [METADATA_KEY_ID]: Buffer.from('other') } };
    await expect(twoKeys.decode([relabelled])).rejects.toThrow(/does not decrypt with key "other"/);
  });
});

describe('rotating keys', () => {
  it('encrypts with the new key while what the old key sealed still decrypts', async () => {
    const [sealedBefore] = await new PayloadEncryptionCodec(oldRing).encode([plainPayload()]);
    const rotated = new PayloadEncryptionCodec(rotatedRing);
    const [sealedAfter] = await rotated.encode([plainPayload()]);
    expect(text(sealedAfter!.metadata?.[METADATA_KEY_ID])).toBe('k-new');
    const decoded = await rotated.decode([sealedBefore!, sealedAfter!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([caseInput, caseInput]);
  });

  it('encrypts with PAYLOAD_KEY_CURRENT where it names another than the first', async () => {
    const [sealed] = await new PayloadEncryptionCodec(payloadKeyring(rotatedRing.keys, 'k-old')).encode([plainPayload()]);
    expect(text(sealed!.metadata?.[METADATA_KEY_ID])).toBe('k-old');
  });

  it('fails with one clear line where the old key was dropped too early', async () => {
    const [sealedBefore] = await new PayloadEncryptionCodec(oldRing).encode([plainPayload()]);
    const newOnly = new PayloadEncryptionCodec(payloadKeyring([{ id: 'k-new', key: key(2) }]));
    const error = await newOnly.decode([sealedBefore!]).catch((e: Error) => e);
    expect(error).toBeInstanceOf(PayloadKeyMissing);
    expect((error as Error).message).toBe('payload encrypted with key "k-old", which is not among the payload keys (k-new): restore it to PAYLOAD_KEYS or PAYLOAD_KEYS_FILE');
  });
});

describe('failures', () => {
  it('carry their message and stack in an encoded payload, which the codec then encrypts', async () => {
    const failure = failureConverter.errorToFailure(ApplicationFailure.create({ type: 'WrongStage', message: '欧阳明远的案件已终结' }), defaultPayloadConverter);
    expect(failure.message).toBe('Encoded failure');
    expect(JSON.stringify(failure)).not.toContain('欧阳明远');
    const [sealed] = await new PayloadEncryptionCodec(testPayloadKeys).encode([failure.encodedAttributes!]);
    const [opened] = await new PayloadEncryptionCodec(testPayloadKeys).decode([sealed!]);
    const error = failureConverter.failureToError({ ...failure, encodedAttributes: opened }, defaultPayloadConverter) as ApplicationFailure;
    expect([error.type, error.message]).toEqual(['WrongStage', '欧阳明远的案件已终结']);
  });
});

describe('payload keys', () => {
  it.each([
    ['', /no key/],
    ['k1', /entry 1: must be id:base64key/],
    ['bad id!:AAAA', /entry 1: must be id:base64key/],
    ['k1:***', /key "k1": not base64/],
    [`k1:${Buffer.alloc(16).toString('base64')}`, /key "k1": must be 32 bytes \(AES-256\), got 16/],
    [`k1:${Buffer.alloc(32).toString('base64')},k1:${Buffer.alloc(32).toString('base64')}`, /key "k1": listed twice/],
  ])('refuses %j, saying why', (input, message) => {
    expect(() => parsePayloadKeys(input)).toThrow(message);
  });

  it('reads entries by commas or lines, with comments, url-safe base64 too', () => {
    const k = Buffer.alloc(32, 0xfb);
    const keys = parsePayloadKeys(`# newest first\nk2:${k.toString('base64url')}\n\nk1:${k.toString('base64')} # the first key\n`);
    expect(keys.map((entry) => [entry.id, Buffer.from(entry.key).equals(k)])).toEqual([
      ['k2', true],
      ['k1', true],
    ]);
    expect(payloadKeyring(keys).current).toBe('k2');
    expect(() => payloadKeyring(keys, 'k3')).toThrow('"k3" is not among the keys (k2, k1)');
  });

  it('generates the embedded default once into the data folder, readable by its owner only', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rongcuo-keys-'));
    const first = loadOrCreatePayloadKeys(dataDir, new Date('2026-11-24T08:00:00Z'));
    const second = loadOrCreatePayloadKeys(dataDir);
    expect(first.current).toMatch(/^k20261124-[0-9a-f]{4}$/);
    expect(second).toEqual(first);
    expect(fs.statSync(payloadKeysFile(dataDir)).mode & 0o777).toBe(0o600);
  });
});

describe('search terms', () => {
  it('hash the same for the case and for the query, differently under another key or authority', () => {
    const index = matterIndex(new TextEncoder().encode('a'.repeat(32)));
    const terms = index.terms('binhai-jw', '加装电梯项目为赶工期先行开工');
    expect(terms.every((t) => /^[0-9a-f]{16}$/.test(t))).toBe(true);
    expect(index.query('binhai-jw', '电梯项目').every((t) => terms.includes(t))).toBe(true);
    expect(index.query('binhai-jw', '城市更新').some((t) => terms.includes(t))).toBe(false);
    expect(index.query('hz-jyj', '电梯项目').some((t) => terms.includes(t))).toBe(false);
    expect(matterIndex(new TextEncoder().encode('b'.repeat(32))).query('binhai-jw', '电梯项目').some((t) => terms.includes(t))).toBe(false);
  });
});
