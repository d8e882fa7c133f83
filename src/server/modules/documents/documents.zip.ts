import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ZipLimits } from './documents.config';
import type { RejectionCode } from './documents.contracts';
import { DICOM_PREFIX_BYTES, isDicom, StudyCollector } from './documents.dicom';
import type { StudySummary } from './documents.schema';

/**
 * How deep archives may nest: the upload itself is depth 1, so a ZIP inside it is refused.
 * Looking inside a nested archive needs random access to bytes that are only reachable by
 * decompressing the outer entry from its start each time (or by extracting it, which we
 * never do); imaging exports do not nest archives.
 */
export const MAX_ZIP_DEPTH = 1;

/** Below this an entry is too small to be a bomb, whatever its ratio (a page of zeros). */
const RATIO_FLOOR_BYTES = 1024 * 1024;
const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

export type ZipVerdict =
  { ok: true; studySummary: StudySummary | null } | { ok: false; code: RejectionCode };

class Refusal extends Error {
  constructor(readonly code: RejectionCode) {
    super(code);
  }
}

/**
 * Inspects a ZIP from its central directory and entry streams, never extracting anything:
 * entry count, total uncompressed size, compression ratio per entry and overall, paths
 * (absolute, drive letters, backslashes, `..`), symlinks, nesting, and the DICOM headers of
 * the entries that are DICOM files. Every entry is inflated once, with yauzl checking that
 * it inflates to exactly its declared size, so an archive that lies about sizes is refused.
 */
export async function inspectZip(file: string, limits: ZipLimits): Promise<ZipVerdict> {
  let zip: ZipFile;
  try {
    zip = await yauzl.openPromise(file, {
      lazyEntries: true,
      decodeStrings: false,
      validateEntrySizes: true,
      autoClose: true,
    });
  } catch {
    return { ok: false, code: 'document.zip_invalid' };
  }
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    return { ok: false, code: 'document.zip_too_many_entries' };
  }
  const study = new StudyCollector();
  const totals = { entries: 0, uncompressed: 0, compressed: 0 };
  try {
    for (;;) {
      const entry = await nextEntry(zip);
      if (entry === null) break;
      checkEntry(entry, totals, limits);
      if (entryName(entry).endsWith('/')) continue; // a folder: no content
      const prefix = await readEntry(zip, entry);
      if (looksLikeZip(prefix)) throw new Refusal('document.zip_nested_too_deep');
      if (isDicom(prefix)) study.add(prefix);
    }
  } catch (error) {
    zip.close();
    return { ok: false, code: error instanceof Refusal ? error.code : 'document.zip_invalid' };
  }
  if (
    totals.uncompressed > RATIO_FLOOR_BYTES &&
    totals.uncompressed / Math.max(1, totals.compressed) > limits.maxRatio
  ) {
    return { ok: false, code: 'document.zip_ratio_exceeded' };
  }
  return { ok: true, studySummary: study.summary() };
}

function checkEntry(
  entry: Entry,
  totals: { entries: number; uncompressed: number; compressed: number },
  limits: ZipLimits,
): void {
  totals.entries += 1;
  if (totals.entries > limits.maxEntries) throw new Refusal('document.zip_too_many_entries');
  if (!isSafePath(entryName(entry))) throw new Refusal('document.zip_unsafe_path');
  if (((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK) {
    throw new Refusal('document.zip_symlink');
  }
  if (entry.isEncrypted()) throw new Refusal('document.zip_invalid');
  totals.uncompressed += entry.uncompressedSize;
  totals.compressed += entry.compressedSize;
  if (totals.uncompressed > limits.maxUncompressedBytes) {
    throw new Refusal('document.zip_too_large_uncompressed');
  }
  if (
    entry.uncompressedSize > RATIO_FLOOR_BYTES &&
    entry.uncompressedSize / Math.max(1, entry.compressedSize) > limits.maxRatio
  ) {
    throw new Refusal('document.zip_ratio_exceeded');
  }
}

function entryName(entry: Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, raw, entry.extraFields, false);
}

/** A relative path inside the archive: no root, drive, backslash, NUL or `..` segment. */
export function isSafePath(name: string): boolean {
  if (name === '' || name.includes('\0') || name.includes('\\')) return false;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return false;
  return !name.split('/').some((segment) => segment === '..');
}

function looksLikeZip(prefix: Buffer): boolean {
  const magic = prefix.subarray(0, 4).toString('latin1');
  return magic === 'PK\x03\x04' || magic === 'PK\x05\x06' || magic === 'PK\x07\x08';
}

function nextEntry(zip: ZipFile): Promise<Entry | null> {
  return new Promise((resolve, reject) => {
    const cleanup = () => {
      zip.off('entry', onEntry);
      zip.off('end', onEnd);
      zip.off('error', onError);
    };
    const onEntry = (entry: Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}

/** Inflates the whole entry (sizes checked by yauzl) and keeps only its first bytes. */
async function readEntry(zip: ZipFile, entry: Entry): Promise<Buffer> {
  const stream: Readable = await new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable)));
  });
  const kept: Buffer[] = [];
  let keptBytes = 0;
  for await (const chunk of stream) {
    const bytes = chunk as Buffer;
    if (keptBytes < DICOM_PREFIX_BYTES) {
      const part = bytes.subarray(0, DICOM_PREFIX_BYTES - keptBytes);
      kept.push(Buffer.from(part));
      keptBytes += part.length;
    }
  }
  return Buffer.concat(kept);
}
