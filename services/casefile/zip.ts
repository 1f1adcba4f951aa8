/**
 * Reading a ZIP container (.docx, .ofd) without trusting it: the central
 * directory is read, every entry is inflated with a hard bound on what it
 * may grow to, and entries that overlap, are encrypted, or grow beyond what
 * they declare are refused. A zip bomb (a small file that inflates to
 * gigabytes, or entries that share their compressed bytes) stops at the
 * bound instead of taking the process's memory.
 */
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  bytes: Buffer;
}

/** Why a ZIP container was refused: `bomb` for one that inflates (or claims to) beyond the bounds. */
export class ZipRefused extends Error {
  override name = 'ZipRefused';
  constructor(
    readonly reason: 'bomb' | 'malformed' | 'encrypted',
    message: string,
  ) {
    super(message);
  }
}

export interface ZipBounds {
  /** What all entries together may inflate to. */
  maxExpandedBytes: number;
  /** How many times its compressed size one entry may inflate to (a text file compresses about 10×; a bomb 1000×). */
  maxRatio: number;
  maxEntries: number;
}

/** A 20 MB .docx of text and pictures inflates to well under 200 MB; a bomb far beyond it. */
export const DEFAULT_ZIP_BOUNDS: ZipBounds = { maxExpandedBytes: 200 * 1024 * 1024, maxRatio: 200, maxEntries: 10_000 };

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function findEndOfCentralDirectory(zip: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535.
  const start = Math.max(0, zip.length - 22 - 0xffff);
  for (let i = zip.length - 22; i >= start; i -= 1) if (zip.readUInt32LE(i) === EOCD) return i;
  throw new ZipRefused('malformed', 'no end of central directory');
}

/** The names in the central directory, without inflating anything (to tell a .docx from an .ofd). */
export function zipNames(zip: Buffer): string[] {
  return centralDirectory(zip, DEFAULT_ZIP_BOUNDS).map((e) => e.name);
}

interface CentralEntry {
  name: string;
  method: number;
  flags: number;
  compressed: number;
  declared: number;
  localOffset: number;
}

function centralDirectory(zip: Buffer, bounds: ZipBounds): CentralEntry[] {
  const eocd = findEndOfCentralDirectory(zip);
  const count = zip.readUInt16LE(eocd + 10);
  const offset = zip.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ZipRefused('malformed', 'ZIP64 containers are not accepted');
  if (count > bounds.maxEntries) throw new ZipRefused('bomb', `${count} entries (at most ${bounds.maxEntries})`);
  const entries: CentralEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i += 1) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ZipRefused('malformed', 'broken central directory');
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      flags: zip.readUInt16LE(at + 8),
      method: zip.readUInt16LE(at + 10),
      compressed: zip.readUInt32LE(at + 20),
      declared: zip.readUInt32LE(at + 24),
      localOffset: zip.readUInt32LE(at + 42),
      name: zip.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** Every entry inflated, within the bounds; throws ZipRefused otherwise. */
export function readZip(zip: Buffer, bounds: ZipBounds = DEFAULT_ZIP_BOUNDS): ZipEntry[] {
  const entries = centralDirectory(zip, bounds);
  const declaredTotal = entries.reduce((sum, e) => sum + e.declared, 0);
  if (declaredTotal > bounds.maxExpandedBytes) throw new ZipRefused('bomb', `declares ${declaredTotal} bytes inflated (at most ${bounds.maxExpandedBytes})`);
  // Entries that share compressed bytes (a non-recursive bomb) overlap: each must lie before the next.
  const byOffset = [...entries].sort((a, b) => a.localOffset - b.localOffset);
  let budget = bounds.maxExpandedBytes;
  const out: ZipEntry[] = [];
  let end = 0;
  for (const entry of byOffset) {
    if (entry.flags & 0x1) throw new ZipRefused('encrypted', `${entry.name} is encrypted`);
    const at = entry.localOffset;
    if (at < end || at + 30 > zip.length || zip.readUInt32LE(at) !== LOCAL) throw new ZipRefused('bomb', `${entry.name} overlaps another entry or is not where the directory says`);
    const dataStart = at + 30 + zip.readUInt16LE(at + 26) + zip.readUInt16LE(at + 28);
    const data = zip.subarray(dataStart, dataStart + entry.compressed);
    if (data.length !== entry.compressed) throw new ZipRefused('malformed', `${entry.name} is cut short`);
    end = dataStart + entry.compressed;
    if (entry.name.endsWith('/')) continue;
    const limit = Math.min(budget, Math.max(entry.declared, 0));
    let bytes: Buffer;
    if (entry.method === 0) bytes = Buffer.from(data);
    else if (entry.method === 8) {
      if (entry.declared > Math.max(1024 * 1024, entry.compressed * bounds.maxRatio)) {
        throw new ZipRefused('bomb', `${entry.name} declares ${entry.declared} bytes from ${entry.compressed} (more than ${bounds.maxRatio}× its size)`);
      }
      try {
        // One byte more than declared: an entry that grows past its declared size is caught, not cut.
        bytes = inflateRawSync(data, { maxOutputLength: limit + 1 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new ZipRefused('bomb', `${entry.name} inflates beyond ${limit} bytes`);
        throw new ZipRefused('malformed', `${entry.name} does not inflate`);
      }
    } else throw new ZipRefused('malformed', `${entry.name}: compression method ${entry.method} is not accepted`);
    if (bytes.length !== entry.declared) throw new ZipRefused('bomb', `${entry.name} inflates to ${bytes.length} bytes, not the ${entry.declared} it declares`);
    budget -= bytes.length;
    out.push({ name: entry.name, bytes });
  }
  return out;
}

/** A ZIP of these entries, stored or deflated (the export of a case file; no ZIP64, so under 4 GiB). */
export function writeZip(entries: { name: string; bytes: Buffer; modified?: Date }[], deflate: (b: Buffer) => Buffer): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const packed = deflate(entry.bytes);
    const stored = packed.length >= entry.bytes.length;
    const data = stored ? entry.bytes : packed;
    const crc = crc32(entry.bytes) >>> 0;
    const when = entry.modified ?? new Date();
    const dosTime = (when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2);
    const dosDate = ((when.getFullYear() - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate();
    const local = Buffer.alloc(30);
    local.writeUInt32LE(LOCAL, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names in UTF-8
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(dosTime, 10);
    local.writeUInt16LE(dosDate, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(entry.bytes.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(CENTRAL, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(stored ? 0 : 8, 10);
    central.writeUInt16LE(dosTime, 12);
    central.writeUInt16LE(dosDate, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(entry.bytes.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += 30 + name.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(EOCD, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
