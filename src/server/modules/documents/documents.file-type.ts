import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import { isDicom } from './documents.dicom';
import type { DocumentKind } from './documents.schema';

interface AllowedType {
  kind: DocumentKind;
  mediaType: string;
  /** File-name extensions that agree with these bytes. */
  extensions: readonly string[];
}

/** The allow-list, keyed by what file-type reads from the bytes (never the name). */
const ALLOWED: Record<string, AllowedType> = {
  pdf: { kind: 'pdf', mediaType: 'application/pdf', extensions: ['pdf'] },
  jpg: { kind: 'image', mediaType: 'image/jpeg', extensions: ['jpg', 'jpeg'] },
  png: { kind: 'image', mediaType: 'image/png', extensions: ['png'] },
  gif: { kind: 'image', mediaType: 'image/gif', extensions: ['gif'] },
  webp: { kind: 'image', mediaType: 'image/webp', extensions: ['webp'] },
  tif: { kind: 'image', mediaType: 'image/tiff', extensions: ['tif', 'tiff'] },
  zip: { kind: 'zip', mediaType: 'application/zip', extensions: ['zip'] },
  dcm: { kind: 'dicom', mediaType: 'application/dicom', extensions: ['dcm', 'dicom'] },
};

export type TypeVerdict =
  | { ok: true; kind: DocumentKind; mediaType: string }
  | { ok: false; code: 'document.type_not_allowed' | 'document.type_mismatch' };

/**
 * What the file is, from its bytes: file-type first (it knows DICOM by "DICM" at offset 128
 * too, but only once the first bytes are no other format's), then "DICM" at 128 for what it
 * does not recognise. A file that starts as a ZIP stays a ZIP whatever sits at offset 128, so
 * its contents are always inspected. Then the allow-list, and the name's extension must agree
 * with the bytes (an HTML page named `.pdf` is a mismatch, an HTML page named `.html` is not
 * allowed).
 */
export async function checkFileType(file: string, fileName: string): Promise<TypeVerdict> {
  const detected =
    (await fileTypeFromFile(file))?.ext ?? ((await startsAsDicom(file)) ? 'dcm' : undefined);
  const allowed = detected === undefined ? undefined : ALLOWED[detected];
  const extension = extensionOf(fileName);
  if (!allowed) {
    const claimsAllowed = Object.values(ALLOWED).some((t) =>
      t.extensions.includes(extension ?? ''),
    );
    return {
      ok: false,
      code: claimsAllowed ? 'document.type_mismatch' : 'document.type_not_allowed',
    };
  }
  if (extension !== null && !allowed.extensions.includes(extension)) {
    return { ok: false, code: 'document.type_mismatch' };
  }
  return { ok: true, kind: allowed.kind, mediaType: allowed.mediaType };
}

/** The name's extension, lower-case, when it looks like one (letters, maybe digits). */
export function extensionOf(fileName: string): string | null {
  const match = /\.([a-z0-9]{1,8})$/i.exec(fileName);
  const extension = match?.[1]?.toLowerCase();
  return extension !== undefined && /[a-z]/.test(extension) ? extension : null;
}

async function startsAsDicom(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(132);
    const { bytesRead } = await handle.read(head, 0, 132, 0);
    return isDicom(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
