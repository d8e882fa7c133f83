/** Documents: size limit, upload quota, where the bytes are kept, the scanner and the ZIP limits. */
export interface DocumentsConfig {
  /** The largest file accepted, in bytes (DOCUMENT_MAX_BYTES; 10 GB by default). */
  maxBytes: number;
  quota: UploadQuota;
  /** Where accepted and quarantined bytes are kept. */
  storage:
    | { kind: 'fs' }
    | {
        kind: 's3';
        endpoint: string | null;
        bucket: string;
        region: string;
        /** Null: the SDK's own credential chain (instance role, AWS_* variables). */
        credentials: { accessKeyId: string; secretAccessKey: string } | null;
      };
  /** ClamAV's clamd over TCP; null: the built-in scanner (the EICAR test string only). */
  clamd: { host: string; port: number } | null;
  zip: ZipLimits;
}

/**
 * What one person may have outstanding at once: uploads not finished, and files chosen for a
 * message not sent yet (drafts being checked or ready). Finishing, sending or removing them
 * frees the room; the hourly sweep gives them up after 7 days.
 */
export interface UploadQuota {
  /** How many (DOCUMENT_MAX_OUTSTANDING_UPLOADS; 20 by default). */
  maxUploads: number;
  /** Their declared sizes together (DOCUMENT_MAX_OUTSTANDING_BYTES; 4 × DOCUMENT_MAX_BYTES). */
  maxBytes: number;
}

export interface ZipLimits {
  /** Entries in one archive. */
  maxEntries: number;
  /** Sum of the entries' uncompressed sizes. */
  maxUncompressedBytes: number;
  /** Uncompressed ÷ compressed, per entry (above 1 MB) and for the whole archive. */
  maxRatio: number;
}

type Env = Record<string, string | undefined>;

const GB = 1024 ** 3;
export const DEFAULT_DOCUMENT_MAX_BYTES = 10 * GB;
const DEFAULT_MAX_OUTSTANDING_UPLOADS = 20;
const DEFAULT_OUTSTANDING_FILES = 4;

function blank(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function wholeNumber(
  name: string,
  raw: string | undefined,
  fallback: number,
  problems: string[],
): number {
  const value = blank(raw);
  if (value === null) return fallback;
  if (!/^[1-9][0-9]{0,15}$/.test(value) || !Number.isSafeInteger(Number(value))) {
    problems.push(`${name} must be a whole number greater than 0`);
    return fallback;
  }
  return Number(value);
}

/** Reads the documents settings; every problem goes into `problems`. */
export function readDocumentsConfig(env: Env, problems: string[]): DocumentsConfig {
  const maxBytes = wholeNumber(
    'DOCUMENT_MAX_BYTES',
    env.DOCUMENT_MAX_BYTES,
    DEFAULT_DOCUMENT_MAX_BYTES,
    problems,
  );
  const quota: UploadQuota = {
    maxUploads: wholeNumber(
      'DOCUMENT_MAX_OUTSTANDING_UPLOADS',
      env.DOCUMENT_MAX_OUTSTANDING_UPLOADS,
      DEFAULT_MAX_OUTSTANDING_UPLOADS,
      problems,
    ),
    maxBytes: wholeNumber(
      'DOCUMENT_MAX_OUTSTANDING_BYTES',
      env.DOCUMENT_MAX_OUTSTANDING_BYTES,
      DEFAULT_OUTSTANDING_FILES * maxBytes,
      problems,
    ),
  };
  if (quota.maxBytes < maxBytes) {
    problems.push('DOCUMENT_MAX_OUTSTANDING_BYTES must be at least DOCUMENT_MAX_BYTES');
  }
  const zip: ZipLimits = {
    maxEntries: wholeNumber(
      'DOCUMENT_ZIP_MAX_ENTRIES',
      env.DOCUMENT_ZIP_MAX_ENTRIES,
      10_000,
      problems,
    ),
    maxUncompressedBytes: wholeNumber(
      'DOCUMENT_ZIP_MAX_UNCOMPRESSED_BYTES',
      env.DOCUMENT_ZIP_MAX_UNCOMPRESSED_BYTES,
      2 * DEFAULT_DOCUMENT_MAX_BYTES,
      problems,
    ),
    maxRatio: wholeNumber('DOCUMENT_ZIP_MAX_RATIO', env.DOCUMENT_ZIP_MAX_RATIO, 100, problems),
  };

  const kind = blank(env.DOCUMENT_STORAGE) ?? 'fs';
  let storage: DocumentsConfig['storage'] = { kind: 'fs' };
  if (kind === 's3') {
    const bucket = blank(env.S3_BUCKET);
    const endpoint = blank(env.S3_ENDPOINT);
    const accessKeyId = blank(env.S3_ACCESS_KEY_ID);
    const secretAccessKey = blank(env.S3_SECRET_ACCESS_KEY);
    if (bucket === null) problems.push('S3_BUCKET is required with DOCUMENT_STORAGE=s3');
    if (endpoint !== null && !/^https?:\/\/[^\s/]+/.test(endpoint)) {
      problems.push('S3_ENDPOINT must be an http:// or https:// URL');
    }
    if ((accessKeyId === null) !== (secretAccessKey === null)) {
      problems.push('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together');
    }
    storage = {
      kind: 's3',
      endpoint,
      bucket: bucket ?? '',
      region: blank(env.S3_REGION) ?? 'us-east-1',
      credentials:
        accessKeyId !== null && secretAccessKey !== null ? { accessKeyId, secretAccessKey } : null,
    };
  } else if (kind !== 'fs') {
    problems.push('DOCUMENT_STORAGE must be fs or s3');
  }

  const clamdHost = blank(env.CLAMD_HOST);
  const clamdPortRaw = blank(env.CLAMD_PORT);
  let clamd: DocumentsConfig['clamd'] = null;
  if (clamdHost !== null || clamdPortRaw !== null) {
    const port = Number(clamdPortRaw ?? '3310');
    if (!/^\d{1,5}$/.test(clamdPortRaw ?? '3310') || port < 1 || port > 65535) {
      problems.push('CLAMD_PORT must be a whole number from 1 to 65535');
    }
    if (clamdHost === null) problems.push('CLAMD_HOST is required with CLAMD_PORT');
    clamd = { host: clamdHost ?? '', port };
  }

  return { maxBytes, quota, storage, clamd, zip };
}
