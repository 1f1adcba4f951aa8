/**
 * 国密 as a deployment option (GB/T 39786): the SM4 and SM3 that Node's
 * OpenSSL provides meet the standards' own test vectors (GM/T 0002-2012
 * 附录A, GM/T 0004-2012 附录A); the codec's SM4 payloads are SM4-CTR with
 * HMAC-SM3, encrypt-then-MAC over the same associated data as AES-GCM's; a
 * key names its cipher, so a payload sealed under one cipher still opens
 * after a rotation to the other, both ways.
 */
import { createCipheriv, createDecipheriv, createHmac, getCiphers } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CIPHER_LABELS } from '../../services/codec/ciphers';
import { sm3Hex } from '../../store/documents';
import { sm3 as consoleSm3 } from '../../console/src/sm3';
import { METADATA_CIPHER, METADATA_KEY_ID, PayloadEncryptionCodec, PayloadUndecryptable } from '../../services/codec/codec';
import { parsePayloadKeys, payloadKeyring } from '../../services/codec/keys';

const hex = (h: string) => Buffer.from(h.replace(/\s/g, ''), 'hex');
const text = (bytes: Uint8Array | null | undefined) => Buffer.from(bytes ?? []).toString();

describe('SM4 (GM/T 0002-2012 附录A)', () => {
  const key = hex('01234567 89abcdef fedcba98 76543210');
  const plain = hex('01234567 89abcdef fedcba98 76543210');

  it('is offered by Node’s OpenSSL in CTR mode, but not in an authenticated one (hence HMAC-SM3)', () => {
    expect(getCiphers()).toContain('sm4-ctr');
    expect(getCiphers()).not.toContain('sm4-gcm');
  });

  it('example 1: one block', () => {
    const ecb = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    expect(Buffer.concat([ecb.update(plain), ecb.final()]).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
    // The codec's mode: CTR's first keystream block is SM4 of the counter block, here the example's plaintext.
    const ctr = createCipheriv('sm4-ctr', key, plain);
    expect(ctr.update(Buffer.alloc(16)).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246');
  });

  it('example 2: the same key encrypting its own output 1,000,000 times', () => {
    const ecb = createCipheriv('sm4-ecb', key, null).setAutoPadding(false);
    let block: Buffer = plain;
    for (let i = 0; i < 1_000_000; i += 1) block = ecb.update(block);
    expect(block.toString('hex')).toBe('595298c7c6fd271f0402f804c33d3f66');
  });
});

describe('SM3 (GM/T 0004-2012 附录A)', () => {
  it('example 1: "abc"', () => {
    expect(sm3Hex(Buffer.from('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
  });

  it('example 2: "abcd" sixteen times', () => {
    expect(sm3Hex(Buffer.from('abcd'.repeat(16)))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
  });

  it('in the console too, which checks a downloaded document’s SM3 in the browser: the examples, and what OpenSSL says at every padding length', () => {
    expect(consoleSm3(Buffer.from('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0');
    expect(consoleSm3(Buffer.from('abcd'.repeat(16)))).toBe('debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732');
    for (let length = 0; length <= 130; length += 1) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 31 + length) & 0xff));
      expect(consoleSm3(bytes)).toBe(sm3Hex(bytes));
    }
    const large = Buffer.alloc(300_000, 0x5c);
    expect(consoleSm3(large)).toBe(sm3Hex(large));
  });
});

describe('SM4 payloads', () => {
  const raw = Buffer.alloc(32);
  for (let i = 0; i < 32; i += 1) raw[i] = i * 7 + 1;
  const sm4Ring = payloadKeyring(parsePayloadKeys(`gm2027:sm4:${raw.toString('base64')}`));
  const aesRing = payloadKeyring(parsePayloadKeys(`k2026:${Buffer.alloc(32, 3).toString('base64')}`));
  const value = { subject: { name: '欧阳明远' }, matter: '加装电梯项目为赶工期先行开工' };
  const payload = (): Payload => defaultPayloadConverter.toPayload(value)!;
  const context = { type: 'workflow' as const, namespace: 'default', workflowId: 'case-binhai-2026-0001' };

  it('are SM4-CTR under the key’s last 16 bytes, then HMAC-SM3 under its first 16 over the associated data, counter and ciphertext', async () => {
    const [sealed] = await new PayloadEncryptionCodec(sm4Ring).encode([payload()], context);
    expect(text(sealed!.metadata?.[METADATA_CIPHER])).toBe(CIPHER_LABELS.sm4);
    const data = Buffer.from(sealed!.data!);
    expect(data.includes(Buffer.from('欧阳明远'))).toBe(false);
    const counter = data.subarray(0, 16);
    const ciphertext = data.subarray(16, data.length - 32);
    const tag = data.subarray(data.length - 32);
    const associated = Buffer.from(`binary/encrypted\n${CIPHER_LABELS.sm4}\ngm2027\ncase-binhai-2026-0001`);
    const bits = Buffer.alloc(8);
    bits.writeBigUInt64BE(BigInt(associated.length * 8));
    expect(createHmac('sm3', raw.subarray(0, 16)).update(Buffer.concat([associated, counter, ciphertext, bits])).digest().equals(tag)).toBe(true);
    const deflated = createDecipheriv('sm4-ctr', raw.subarray(16), counter).update(ciphertext);
    expect(defaultPayloadConverter.fromPayload(temporal.api.common.v1.Payload.decode(inflateRawSync(deflated)))).toEqual(value);
  });

  it('refuse a flipped bit before decrypting anything', async () => {
    const codec = new PayloadEncryptionCodec(sm4Ring);
    const [sealed] = await codec.encode([payload()], context);
    for (const at of [3, 20, sealed!.data!.length - 1]) {
      const flipped = new Uint8Array(sealed!.data!);
      flipped[at] = flipped[at]! ^ 0x80;
      await expect(codec.open({ ...sealed!, data: flipped })).rejects.toBeInstanceOf(PayloadUndecryptable);
    }
    // An SM4 key's payload relabelled as AES-GCM is refused, not tried with the other cipher.
    const relabelled = { ...sealed!, metadata: { ...sealed!.metadata, [METADATA_CIPHER]: Buffer.from(CIPHER_LABELS['aes-256-gcm']) } };
    await expect(codec.open(relabelled)).rejects.toThrow(/its cipher is not the key's/);
  });

  it.each([
    ['AES-256-GCM to SM4', aesRing, sm4Ring],
    ['SM4 to AES-256-GCM', sm4Ring, aesRing],
  ])('still open after a rotation from %s, while new payloads take the new key’s cipher', async (_name, before, after) => {
    const [old] = await new PayloadEncryptionCodec(before).encode([payload()], context);
    const rotated = new PayloadEncryptionCodec(payloadKeyring([...after.keys, ...before.keys]));
    const [fresh] = await rotated.encode([payload()], context);
    expect(text(fresh!.metadata?.[METADATA_KEY_ID])).toBe(after.current);
    expect(text(fresh!.metadata?.[METADATA_CIPHER])).toBe(CIPHER_LABELS[after.keys[0]!.cipher ?? 'aes-256-gcm']);
    const opened = await rotated.decode([old!, fresh!], context);
    expect(opened.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([value, value]);
  });
});
