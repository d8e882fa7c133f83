import type { UrlStorage } from 'tus-js-client';

// Where an unfinished upload can be resumed from, kept in this browser's localStorage so a
// reload or a dropped connection does not start a large file again. The default storage of
// tus-js-client keeps the upload's metadata (file name, title) and a readable fingerprint:
// on a shared computer that would leave the name of someone's medical document behind.
// This one keeps a hash of the fingerprint and the upload's address only.

const PREFIX = 'carethread-upload::';

type PreviousUpload = Awaited<ReturnType<UrlStorage['findAllUploads']>>[number];

interface Stored {
  size: number | null;
  creationTime: string;
  uploadUrl: string | null;
}

function entries(prefix: string): PreviousUpload[] {
  const found: PreviousUpload[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(prefix)) continue;
      const stored = JSON.parse(localStorage.getItem(key) ?? 'null') as Stored | null;
      if (!stored?.uploadUrl) continue;
      found.push({ ...stored, metadata: {}, urlStorageKey: key, parallelUploadUrls: null });
    }
  } catch {
    // Storage may be unavailable (private browsing): uploads still work, without resuming.
  }
  return found;
}

export const resumableUploadStorage: UrlStorage = {
  findAllUploads: () => Promise.resolve(entries(PREFIX)),
  findUploadsByFingerprint: (fingerprint) => Promise.resolve(entries(`${PREFIX}${fingerprint}::`)),
  removeUpload: (key) => {
    try {
      localStorage.removeItem(key);
    } catch {
      // Nothing to remove when storage is unavailable.
    }
    return Promise.resolve();
  },
  addUpload: (fingerprint, upload) => {
    const key = `${PREFIX}${fingerprint}::${crypto.randomUUID()}`;
    const stored: Stored = {
      size: upload.size,
      creationTime: upload.creationTime,
      uploadUrl: upload.uploadUrl,
    };
    try {
      localStorage.setItem(key, JSON.stringify(stored));
    } catch {
      // Without storage the upload simply cannot be resumed after a reload.
    }
    return Promise.resolve(key);
  },
};

/**
 * The same file, for the same person, record and conversation, resumes its earlier upload.
 * Hashed, so no file name is left in the browser's storage.
 */
export async function uploadFingerprint(file: File, scope: string[]): Promise<string> {
  const text = [...scope, file.name, file.type, file.size, file.lastModified].join('\n');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
