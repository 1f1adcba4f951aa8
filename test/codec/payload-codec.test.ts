/**
 * The payload codec and its keys: what leaves a process for Temporal is
 * compressed and encrypted under the current key, names that key and the
 * workflow it is sealed for, and decrypts with any key of the keyring; what
 * was never encrypted, was tampered with, needs a key no longer held, was
 * sealed for another case or inflates without bound is refused (a refusal in
 * its place when decoding, an error that says why when opened). Failures
 * carry their message encoded, for the codec.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { ApplicationFailure, defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import {
  CIPHER,
  ENCODING_ENCRYPTED,
  MAX_PLAIN_BYTES,
  METADATA_KEY_ID,
  METADATA_WORKFLOW_ID,
  PayloadEncryptionCodec,
  PayloadKeyMissing,
  PayloadNotSealed,
  PayloadTooLarge,
  PayloadUndecryptable,
} from '../../services/codec/codec';
import { refusalOf } from '../../services/codec/refusal';
import { parseConfig } from '../../config/env';
import { failureConverter } from '../../services/codec/failure-converter';
import { formatPayloadKeys, loadOrCreatePayloadKeys, parsePayloadKeys, payloadKeyring, payloadKeysFile } from '../../services/codec/keys';
import { matterIndex } from '../../services/cases/search-terms';
import { testPayloadKeys } from '../support/keys';

const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();
const key = (fill: number) => new Uint8Array(32).fill(fill);
const oldRing = payloadKeyring([{ id: 'k-old', key: key(1) }]);
/** Rotated: the new key first, the old one kept. */
const rotatedRing = payloadKeyring([{ id: 'k-new', key: key(2) }, { id: 'k-old', key: key(1) }]);
const caseInput = { subject: { name: '欧阳明远' }, matter: '加装电梯项目为赶工期先行开工'.repeat(20) };
const plainPayload = (): Payload => defaultPayloadConverter.toPayload(caseInput)!;
/** What decoding handed on, as the workflow sees it: the value, or the reason it was refused. */
const seen = (p: Payload) => refusalOf(defaultPayloadConverter.fromPayload(p)) ?? defaultPayloadConverter.fromPayload(p);
const ofCase = (workflowId: string) => ({ type: 'workflow' as const, namespace: 'default', workflowId });

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

  it('refuses a payload that was never encrypted, sent around the API with no key; only the replay of fixtures from before encryption lets it through', async () => {
    const plain = plainPayload();
    await expect(codec.open(plain)).rejects.toBeInstanceOf(PayloadNotSealed);
    const [refused] = await codec.decode([plain], ofCase('case-binhai-2026-0001'));
    expect(seen(refused!)).toBe('unsealed');
    expect(Buffer.from(refused!.data!).includes(Buffer.from('欧阳明远'))).toBe(false);
    const [same] = await new PayloadEncryptionCodec(testPayloadKeys, { acceptUnsealed: true }).decode([plain]);
    expect(same).toBe(plain);
  });

  it('refuses a payload altered in storage, or moved under another key id', async () => {
    const [sealed] = await codec.encode([plainPayload()]);
    const flipped = new Uint8Array(sealed!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.open({ ...sealed!, data: flipped })).rejects.toBeInstanceOf(PayloadUndecryptable);
    expect(seen((await codec.decode([{ ...sealed!, data: flipped }]))[0]!)).toBe('unauthenticated');
    const twoKeys = new PayloadEncryptionCodec(payloadKeyring([...testPayloadKeys.keys, { id: 'other', key: testPayloadKeys.keys[0]!.key }]));
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [METADATA_KEY_ID]: Buffer.from('other') } };
    await expect(twoKeys.open(relabelled)).rejects.toThrow(/does not decrypt with key "other"/);
  });
});

describe('sealing a payload for its workflow', () => {
  const codec = new PayloadEncryptionCodec(testPayloadKeys);

  it('names the workflow in the metadata and opens for it, but not as another case’s', async () => {
    const [sealed] = await codec.encode([plainPayload()], ofCase('case-binhai-2026-0001'));
    expect(text(sealed!.metadata?.[METADATA_WORKFLOW_ID])).toBe('case-binhai-2026-0001');
    expect((await codec.open(sealed!)).boundTo).toBe('case-binhai-2026-0001');
    expect(seen((await codec.decode([sealed!], ofCase('case-binhai-2026-0001')))[0]!)).toEqual(caseInput);
    // Copied into another case with the CLI, or into a workflow that is not a case.
    expect(seen((await codec.decode([sealed!], ofCase('case-binhai-2026-0002')))[0]!)).toBe('other-case');
    expect(seen((await codec.decode([sealed!], ofCase('calendar-2027')))[0]!)).toBe('other-case');
    // A schedule seals its action for the schedule's id; its runs add a time to it.
    const [scheduled] = await codec.encode([plainPayload()], ofCase('dossier-sweep'));
    expect(seen((await codec.decode([scheduled!], ofCase('dossier-sweep-2026-11-24T08:00:00Z')))[0]!)).toEqual(caseInput);
  });

  it('cannot be unbound or rebound in the clear metadata: the workflow id is in the associated data', async () => {
    const [sealed] = await codec.encode([plainPayload()], ofCase('case-binhai-2026-0001'));
    const { [METADATA_WORKFLOW_ID]: _bound, ...unbound } = sealed!.metadata!;
    await expect(codec.open({ ...sealed!, metadata: unbound })).rejects.toBeInstanceOf(PayloadUndecryptable);
    const rebound = { ...sealed!, metadata: { ...sealed!.metadata, [METADATA_WORKFLOW_ID]: Buffer.from('case-binhai-2026-0002') } };
    await expect(codec.open(rebound)).rejects.toBeInstanceOf(PayloadUndecryptable);
    // Sealed with no workflow named (before payloads were bound): opens anywhere.
    const [free] = await codec.encode([plainPayload()]);
    expect(seen((await codec.decode([free!], ofCase('case-binhai-2026-0002')))[0]!)).toEqual(caseInput);
  });
});

describe('a payload built to inflate without end', () => {
  const codec = new PayloadEncryptionCodec(testPayloadKeys);
  const zeros = (bytes: number): Payload => ({ metadata: { encoding: Buffer.from('binary/plain') }, data: new Uint8Array(bytes) });

  it('inflates only up to the limit it is opened with, then stops', async () => {
    const [bomb] = await codec.encode([zeros(3 * 1024 * 1024)]);
    // 3 MB of zeros seal into a few kilobytes.
    expect(bomb!.data!.length).toBeLessThan(8 * 1024);
    await expect(codec.open(bomb!, 1024 * 1024)).rejects.toBeInstanceOf(PayloadTooLarge);
    expect((await codec.open(bomb!)).payload.data!.length).toBe(3 * 1024 * 1024);
    const [huge] = await codec.encode([zeros(MAX_PLAIN_BYTES + 1024)]);
    expect(seen((await codec.decode([huge!]))[0]!)).toBe('too-large');
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

  it('says in one clear line where the old key was dropped too early, and decoding refuses the payload', async () => {
    const [sealedBefore] = await new PayloadEncryptionCodec(oldRing).encode([plainPayload()]);
    const newOnly = new PayloadEncryptionCodec(payloadKeyring([{ id: 'k-new', key: key(2) }]));
    const error = await newOnly.open(sealedBefore!).catch((e: Error) => e);
    expect(error).toBeInstanceOf(PayloadKeyMissing);
    expect((error as Error).message).toBe('payload encrypted with key "k-old", which is not among the payload keys (k-new): restore it to PAYLOAD_KEYS or PAYLOAD_KEYS_FILE');
    expect(seen((await newOnly.decode([sealedBefore!]))[0]!)).toBe('unknown-key');
  });

  it('fails the decoding of a payload whose key open cases were sealed with (awaited), so its task waits for the key; a key nobody recorded is still refused', async () => {
    const [sealedBefore] = await new PayloadEncryptionCodec(oldRing).encode([plainPayload()], { type: 'workflow', namespace: 'default', workflowId: 'case-binhai-2026-0001' });
    const newOnly = new PayloadEncryptionCodec(payloadKeyring([{ id: 'k-new', key: key(2) }]));
    newOnly.awaitKeys(['k-old']);
    await expect(newOnly.decode([sealedBefore!], { type: 'workflow', namespace: 'default', workflowId: 'case-binhai-2026-0001' })).rejects.toBeInstanceOf(PayloadKeyMissing);
    newOnly.awaitKeys(['k-other']);
    expect(seen((await newOnly.decode([sealedBefore!]))[0]!)).toBe('unknown-key');
  });

  it('tells who keeps the key table of each case and key it seals with', async () => {
    const sealed: string[] = [];
    const codec = new PayloadEncryptionCodec(rotatedRing, { onSeal: (workflowId, keyId) => sealed.push(`${workflowId} ${keyId}`) });
    await codec.encode([plainPayload()], { type: 'workflow', namespace: 'default', workflowId: 'case-binhai-2026-0007' });
    await codec.encode([plainPayload()]);
    expect(sealed).toEqual(['case-binhai-2026-0007 k-new']);
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
    [`k1:sm4:${Buffer.alloc(16).toString('base64')}`, /key "k1": must be 32 bytes \(the HMAC-SM3 and SM4 keys\), got 16/],
    [`k1:des:${Buffer.alloc(32).toString('base64')}`, /key "k1": cipher must be aes-256-gcm or sm4, got "des"/],
    [`k1:sm4:x:${Buffer.alloc(32).toString('base64')}`, /entry 1: must be id:base64key or id:sm4:base64key/],
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

  it('names each key’s cipher, AES-256-GCM unless the entry says sm4, and writes them back the same', () => {
    const k = Buffer.alloc(32, 0x5a).toString('base64');
    const keys = parsePayloadKeys(`gm2027:sm4:${k},k2026:aes-256-gcm:${k},k2025:${k}`);
    expect(keys.map((entry) => [entry.id, entry.cipher ?? 'aes-256-gcm'])).toEqual([
      ['gm2027', 'sm4'],
      ['k2026', 'aes-256-gcm'],
      ['k2025', 'aes-256-gcm'],
    ]);
    expect(parsePayloadKeys(formatPayloadKeys(payloadKeyring(keys)))).toEqual(keys);
  });

  it('takes an sm4 key from PAYLOAD_KEYS at start-up, and stops with one line naming the variable, never the key, for a cipher it does not know', () => {
    const k = Buffer.alloc(32, 0x5a).toString('base64');
    expect(parseConfig({ PAYLOAD_KEYS: `gm2027:sm4:${k}` }).payloadKeys?.keys.map((entry) => entry.cipher)).toEqual(['sm4']);
    const error = (() => {
      try {
        parseConfig({ PAYLOAD_KEYS: `gm2027:sm9:${k}` });
      } catch (err) {
        return err as Error;
      }
    })();
    expect(error?.message).toBe('configuration error: PAYLOAD_KEYS: key "gm2027": cipher must be aes-256-gcm or sm4, got "sm9"');
    expect(error?.message).not.toContain(k);
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
