import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Scanner } from '../../platform/scanning/scanner';
import type { DocumentsConfig } from './documents.config';
import type { RejectionCode } from './documents.contracts';
import { DICOM_PREFIX_BYTES, StudyCollector } from './documents.dicom';
import { checkFileType } from './documents.file-type';
import type { DocumentKind, StudySummary } from './documents.schema';
import { inspectZip, scanZipEntries } from './documents.zip';

export interface Measured {
  sizeBytes: number;
  sha256: string;
}

/** What the checks found; every path reads the file as a stream and holds none of it. */
export type InspectionOutcome =
  | (Measured & {
      status: 'available';
      kind: DocumentKind;
      mediaType: string;
      studySummary: StudySummary | null;
    })
  | (Measured & { status: 'rejected'; code: RejectionCode })
  | (Measured & { status: 'quarantined'; code: 'document.infected'; signature: string });

/**
 * The checks, in order: size and SHA-256 (one streamed pass), type from the bytes against
 * the allow-list and the name, the ZIP's contents or the DICOM file's headers, then the
 * scanner. The first failure decides.
 */
export async function inspectFile(
  file: string,
  fileName: string,
  settings: Pick<DocumentsConfig, 'maxBytes' | 'zip'>,
  scanner: Scanner,
): Promise<InspectionOutcome> {
  const measured = await measure(file);
  if (measured.sizeBytes > settings.maxBytes) {
    return { ...measured, status: 'rejected', code: 'document.too_large' };
  }
  const type = await checkFileType(file, fileName);
  if (!type.ok) return { ...measured, status: 'rejected', code: type.code };
  let studySummary: StudySummary | null = null;
  if (type.kind === 'zip') {
    const zip = await inspectZip(file, settings.zip);
    if (!zip.ok) return { ...measured, status: 'rejected', code: zip.code };
    studySummary = zip.studySummary;
  } else if (type.kind === 'dicom') {
    // "DICM" at offset 128 is only a claim: without readable DICOM headers it is something else.
    const study = new StudyCollector();
    if (!study.add(await readPrefix(file, DICOM_PREFIX_BYTES))) {
      return { ...measured, status: 'rejected', code: 'document.type_mismatch' };
    }
    studySummary = study.summary();
  }
  let verdict = await scanner.scan(createReadStream(file));
  if (!verdict.infected && type.kind === 'zip' && !scanner.readsArchives) {
    verdict = await scanZipEntries(file, scanner);
  }
  if (verdict.infected) {
    return {
      ...measured,
      status: 'quarantined',
      code: 'document.infected',
      signature: verdict.signature,
    };
  }
  return {
    ...measured,
    status: 'available',
    kind: type.kind,
    mediaType: type.mediaType,
    studySummary,
  };
}

async function measure(file: string): Promise<Measured> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of createReadStream(file)) {
    const bytes = chunk as Buffer;
    hash.update(bytes);
    sizeBytes += bytes.length;
  }
  return { sizeBytes, sha256: hash.digest('hex') };
}

async function readPrefix(file: string, limit: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of createReadStream(file, { start: 0, end: limit - 1 })) {
    parts.push(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return Buffer.concat(parts, size);
}
