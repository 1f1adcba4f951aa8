/**
 * Files of the case file (materials, the bound file) are kept encrypted in
 * the archive database with the payload keys (services/codec/keys.ts): the
 * current key seals, every key of the keyring opens, so they rotate together
 * with the payloads, and SM4 or AES-256-GCM follows the key. The associated
 * data names what the file is and whose, so a sealed file copied into another
 * row or case does not open there.
 *
 * No compression: scans and .docx are compressed already, and deflating
 * 20 MB of JPEG costs time for nothing.
 */
import { open, seal } from '../codec/ciphers';
import type { PayloadKeyring } from '../codec/keys';

export interface SealedFile {
  keyId: string;
  cipher: string;
  sealed: Buffer;
}

/** A key of the keyring is missing, or the bytes were altered: the file cannot be opened. */
export class SealedFileUnreadable extends Error {
  override name = 'SealedFileUnreadable';
}

const associated = (context: string) => new TextEncoder().encode(`rongcuo-file:${context}`);

export function sealFile(keyring: PayloadKeyring, plain: Uint8Array, context: string): SealedFile {
  const key = keyring.keys.find((k) => k.id === keyring.current)!;
  const cipher = key.cipher ?? 'aes-256-gcm';
  return { keyId: key.id, cipher, sealed: seal(cipher, key.key, plain, associated(context)) };
}

export function openFile(keyring: PayloadKeyring, file: SealedFile, context: string): Buffer {
  const key = keyring.keys.find((k) => k.id === file.keyId);
  if (!key) throw new SealedFileUnreadable(`the key "${file.keyId}" this file was sealed with is not among the payload keys`);
  if ((key.cipher ?? 'aes-256-gcm') !== file.cipher) throw new SealedFileUnreadable(`the key "${file.keyId}" is not a ${file.cipher} key`);
  try {
    return open(key.cipher ?? 'aes-256-gcm', key.key, file.sealed, associated(context));
  } catch (err) {
    throw new SealedFileUnreadable(`the file does not open with its key: ${(err as Error).message}`);
  }
}
