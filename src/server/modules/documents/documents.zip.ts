import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { Scanner, ScanVerdict } from '../../platform/scanning/scanner';
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
 * Inspects a ZIP from its central directory and entry streams, never extracting anything.
 * First the central directory alone, so that every limit that sizes decide is applied before
 * a byte is inflated: entry count, total uncompressed size, compression ratio per entry and
 * overall, paths (absolute, drive letters, backslashes, `..`), symlinks. Then each entry once:
 * its local header must name it as the directory does, yauzl checks that it inflates to
 * exactly its declared size (so an archive that lies about sizes is refused), a ZIP inside
 * is too deep, and DICOM entries give their headers to the study's summary.
 */
export async function inspectZip(file: string, limits: ZipLimits): Promise<ZipVerdict> {
  try {
    await withZip(file, async (zip) => {
      if (zip.entryCount > limits.maxEntries) throw new Refusal('document.zip_too_many_entries');
      const totals = { entries: 0, uncompressed: 0, compressed: 0 };
      for (let entry = await nextEntry(zip); entry !== null; entry = await nextEntry(zip)) {
        checkEntry(entry, totals, limits);
      }
      if (
        totals.uncompressed > RATIO_FLOOR_BYTES &&
        totals.uncompressed / Math.max(1, totals.compressed) > limits.maxRatio
      ) {
        throw new Refusal('document.zip_ratio_exceeded');
      }
    });
    const study = new StudyCollector();
    await withZip(file, async (zip) => {
      for (let entry = await nextEntry(zip); entry !== null; entry = await nextEntry(zip)) {
        await checkLocalHeader(zip, entry);
        if (entryName(entry).endsWith('/')) continue; // a folder: no content
        const prefix = await readEntry(zip, entry);
        if (looksLikeZip(prefix)) throw new Refusal('document.zip_nested_too_deep');
        if (isDicom(prefix)) study.add(prefix);
      }
    });
    return { ok: true, studySummary: study.summary() };
  } catch (error) {
    return { ok: false, code: error instanceof Refusal ? error.code : 'document.zip_invalid' };
  }
}

/**
 * Gives each entry's inflated bytes to a scanner that does not unpack archives itself, one
 * entry at a time, streamed; the first flagged entry decides. Only for a ZIP that passed
 * inspectZip, so its sizes are known to be within the limits.
 */
export async function scanZipEntries(file: string, scanner: Scanner): Promise<ScanVerdict> {
  let verdict: ScanVerdict = { infected: false };
  await withZip(file, async (zip) => {
    for (let entry = await nextEntry(zip); entry !== null; entry = await nextEntry(zip)) {
      if (entryName(entry).endsWith('/')) continue;
      verdict = await scanner.scan(await openEntry(zip, entry));
      if (verdict.infected) return;
    }
  });
  return verdict;
}

/** Opens the ZIP for one pass over its entries, and closes it whatever happens. */
async function withZip(file: string, pass: (zip: ZipFile) => Promise<void>): Promise<void> {
  const zip = await yauzl.openPromise(file, {
    lazyEntries: true,
    decodeStrings: false,
    validateEntrySizes: true,
    autoClose: true,
  });
  try {
    await pass(zip);
  } finally {
    zip.close();
  }
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

/**
 * An entry's local header must name it as the central directory does: tools that extract by
 * walking the local headers would otherwise write where the inspected name does not say.
 */
async function checkLocalHeader(zip: ZipFile, entry: Entry): Promise<void> {
  const local = await zip.readLocalFileHeaderPromise(entry);
  if (Buffer.from(local.fileName).equals(entry.fileName as unknown as Buffer)) return;
  const localName = yauzl.getFileNameLowLevel(
    local.generalPurposeBitFlag,
    local.fileName,
    [],
    false,
  );
  throw new Refusal(isSafePath(localName) ? 'document.zip_invalid' : 'document.zip_unsafe_path');
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
  const stream = await openEntry(zip, entry);
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

/** An entry's inflated bytes as a stream (yauzl checks they come to its declared size). */
function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, readable) => (error ? reject(error) : resolve(readable)));
  });
}
