/**
 * SM3 (GM/T 0004-2012), for checking a downloaded document against the SM3
 * the archive recorded beside its SHA-256: Web Crypto offers no SM3, and
 * this works over plain HTTP too, where Web Crypto is not offered at all.
 * Checked against the standard's examples and Node's OpenSSL in
 * test/codec/guomi.test.ts.
 */
const IV = [0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e];

const rotl = (x: number, n: number) => ((x << (n & 31)) | (x >>> (32 - (n & 31)))) >>> 0;
const p0 = (x: number) => (x ^ rotl(x, 9) ^ rotl(x, 17)) >>> 0;
const p1 = (x: number) => (x ^ rotl(x, 15) ^ rotl(x, 23)) >>> 0;

function compress(v: number[], block: DataView): void {
  const w = new Array<number>(68);
  for (let j = 0; j < 16; j += 1) w[j] = block.getUint32(j * 4);
  for (let j = 16; j < 68; j += 1) w[j] = (p1(w[j - 16]! ^ w[j - 9]! ^ rotl(w[j - 3]!, 15)) ^ rotl(w[j - 13]!, 7) ^ w[j - 6]!) >>> 0;
  let [a, b, c, d, e, f, g, h] = v as [number, number, number, number, number, number, number, number];
  for (let j = 0; j < 64; j += 1) {
    const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
    const ss1 = rotl((rotl(a, 12) + e + rotl(t, j)) >>> 0, 7);
    const ss2 = (ss1 ^ rotl(a, 12)) >>> 0;
    const ff = j < 16 ? a ^ b ^ c : (a & b) | (a & c) | (b & c);
    const gg = j < 16 ? e ^ f ^ g : (e & f) | (~e & g);
    const tt1 = (ff + d + ss2 + (w[j]! ^ w[j + 4]!)) >>> 0;
    const tt2 = (gg + h + ss1 + w[j]!) >>> 0;
    d = c;
    c = rotl(b, 9);
    b = a;
    a = tt1;
    h = g;
    g = rotl(f, 19);
    f = e;
    e = p0(tt2);
  }
  [a, b, c, d, e, f, g, h].forEach((x, i) => (v[i] = (v[i]! ^ x) >>> 0));
}

/** The SM3 digest of the bytes, in lower-case hex. */
export function sm3(bytes: Uint8Array): string {
  // Padding: a 1 bit, zeros to 448 bits mod 512, then the length in bits as 64-bit big-endian.
  const padded = new Uint8Array(Math.ceil((bytes.length + 9) / 64) * 64);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bytes.length / 0x20000000));
  view.setUint32(padded.length - 4, (bytes.length * 8) >>> 0);
  const v = [...IV];
  for (let offset = 0; offset < padded.length; offset += 64) compress(v, new DataView(padded.buffer, offset, 64));
  return v.map((x) => x.toString(16).padStart(8, '0')).join('');
}
