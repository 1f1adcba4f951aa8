/**
 * The payload ciphers, each an authenticated encryption with associated data
 * over a 32-byte key, chosen per key (services/codec/keys.ts):
 *
 * - `aes-256-gcm`: AES-256-GCM, 12-byte nonce, 16-byte tag; iv, ciphertext,
 *   tag, the layout WebCrypto's AES-GCM gives, so payloads sealed before and
 *   after the codec worked in place read alike.
 * - `sm4` (国密, for deployments assessed under GB/T 39786): SM4 in CTR mode
 *   with HMAC-SM3, encrypt-then-MAC over the same associated data, because
 *   Node 20's OpenSSL offers SM4 in CTR but not in GCM (`crypto.getCiphers()`
 *   lists sm4, -cbc, -cfb, -ctr, -ecb, -ofb). The key is split as JWE splits
 *   the key of AES_CBC_HMAC_SHA2 (RFC 7518 §5.2.2.1): its first 16 bytes are
 *   the MAC key, its last 16 the SM4 key. Layout: 16-byte counter block,
 *   ciphertext, the 32-byte HMAC-SM3 of (associated data, counter block,
 *   ciphertext, the associated data's length in bits as 64-bit big-endian),
 *   which is checked before anything is decrypted.
 */
import { createCipheriv, createDecipheriv, createHmac, randomFillSync, timingSafeEqual } from 'node:crypto';

export const CIPHERS = ['aes-256-gcm', 'sm4'] as const;
export type CipherName = (typeof CIPHERS)[number];

/** What the payload's metadata says it was sealed with (`encryption-cipher`); the first is the name payloads have carried since encryption began. */
export const CIPHER_LABELS: Record<CipherName, string> = {
  'aes-256-gcm': 'AES-256-GCM/deflate',
  sm4: 'SM4-CTR-HMAC-SM3/deflate',
};

export const CIPHER_KEY_BYTES = 32;

/** The bytes do not open with this key: altered, sealed with another key of the same id, or not sealed at all. */
export class CipherAuthenticationFailed extends Error {
  override name = 'CipherAuthenticationFailed';
}

interface Cipher {
  seal(key: Uint8Array, plain: Uint8Array, associated: Uint8Array): Buffer;
  open(key: Uint8Array, sealed: Uint8Array, associated: Uint8Array): Buffer;
}

const GCM_IV = 12;
const GCM_TAG = 16;

const aesGcm: Cipher = {
  seal(key, plain, associated) {
    const iv = randomFillSync(new Uint8Array(GCM_IV));
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG });
    cipher.setAAD(associated);
    return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  },
  open(key, sealed, associated) {
    if (sealed.byteLength < GCM_IV + GCM_TAG) throw new CipherAuthenticationFailed('too short');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, GCM_IV), { authTagLength: GCM_TAG });
      decipher.setAAD(associated);
      decipher.setAuthTag(sealed.subarray(sealed.byteLength - GCM_TAG));
      return Buffer.concat([decipher.update(sealed.subarray(GCM_IV, sealed.byteLength - GCM_TAG)), decipher.final()]);
    } catch {
      throw new CipherAuthenticationFailed('tag mismatch');
    }
  },
};

const SM4_BLOCK = 16;
const SM3_BYTES = 32;

/** HMAC-SM3 over the associated data, counter block and ciphertext, then the associated data's length in bits (JWE's AL), so no boundary can shift. */
function sm4Tag(macKey: Uint8Array, associated: Uint8Array, counter: Uint8Array, ciphertext: Uint8Array): Buffer {
  const bits = Buffer.alloc(8);
  bits.writeBigUInt64BE(BigInt(associated.byteLength) * 8n);
  return createHmac('sm3', macKey).update(associated).update(counter).update(ciphertext).update(bits).digest();
}

const sm4CtrHmacSm3: Cipher = {
  seal(key, plain, associated) {
    const macKey = key.subarray(0, 16);
    const encKey = key.subarray(16, 32);
    const counter = randomFillSync(new Uint8Array(SM4_BLOCK));
    const cipher = createCipheriv('sm4-ctr', encKey, counter);
    const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([counter, ciphertext, sm4Tag(macKey, associated, counter, ciphertext)]);
  },
  open(key, sealed, associated) {
    if (sealed.byteLength < SM4_BLOCK + SM3_BYTES) throw new CipherAuthenticationFailed('too short');
    const macKey = key.subarray(0, 16);
    const encKey = key.subarray(16, 32);
    const counter = sealed.subarray(0, SM4_BLOCK);
    const ciphertext = sealed.subarray(SM4_BLOCK, sealed.byteLength - SM3_BYTES);
    const tag = sealed.subarray(sealed.byteLength - SM3_BYTES);
    if (!timingSafeEqual(tag, sm4Tag(macKey, associated, counter, ciphertext))) throw new CipherAuthenticationFailed('tag mismatch');
    const decipher = createDecipheriv('sm4-ctr', encKey, counter);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  },
};

const IMPLEMENTATIONS: Record<CipherName, Cipher> = { 'aes-256-gcm': aesGcm, sm4: sm4CtrHmacSm3 };

export function seal(cipher: CipherName, key: Uint8Array, plain: Uint8Array, associated: Uint8Array): Buffer {
  return IMPLEMENTATIONS[cipher].seal(key, plain, associated);
}

/** Throws CipherAuthenticationFailed unless the bytes were sealed with this cipher, key and associated data. */
export function open(cipher: CipherName, key: Uint8Array, sealed: Uint8Array, associated: Uint8Array): Buffer {
  return IMPLEMENTATIONS[cipher].open(key, sealed, associated);
}

/** The cipher a payload's `encryption-cipher` names, if it is one of ours. */
export function cipherOfLabel(label: string | undefined): CipherName | undefined {
  return CIPHERS.find((c) => CIPHER_LABELS[c] === label);
}
