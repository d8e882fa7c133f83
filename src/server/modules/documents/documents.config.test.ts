import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../platform/config/config';
import { loadConfig } from '../../platform/config/config';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
};

describe('documents configuration', () => {
  it('defaults: 10 GB, files under the data directory, the built-in scanner', () => {
    const { documents } = loadConfig({});
    expect(documents.maxBytes).toBe(10 * 1024 ** 3);
    expect(documents.storage).toEqual({ kind: 'fs' });
    expect(documents.clamd).toBeNull();
  });

  it('reads S3-compatible storage and clamd', () => {
    const { documents } = loadConfig({
      DOCUMENT_MAX_BYTES: '1048576',
      DOCUMENT_STORAGE: 's3',
      S3_BUCKET: 'records',
      S3_REGION: 'eu-west-2',
      S3_ENDPOINT: 'https://minio.example.nhs.uk',
      S3_ACCESS_KEY_ID: 'key',
      S3_SECRET_ACCESS_KEY: 'secret',
      CLAMD_HOST: 'clamd.internal',
      CLAMD_PORT: '3310',
      DOCUMENT_ZIP_MAX_RATIO: '50',
    });
    expect(documents).toMatchObject({
      maxBytes: 1048576,
      storage: {
        kind: 's3',
        bucket: 'records',
        region: 'eu-west-2',
        endpoint: 'https://minio.example.nhs.uk',
        credentials: { accessKeyId: 'key', secretAccessKey: 'secret' },
      },
      clamd: { host: 'clamd.internal', port: 3310 },
      zip: { maxRatio: 50 },
    });
  });

  it('names every problem at once, never quoting a secret', () => {
    const problems = problemsOf({
      DOCUMENT_MAX_BYTES: '10GB',
      DOCUMENT_STORAGE: 's3',
      S3_ENDPOINT: 'minio:9000',
      S3_SECRET_ACCESS_KEY: 'do-not-print-me',
      CLAMD_PORT: '99999',
      DOCUMENT_ZIP_MAX_ENTRIES: '0',
    });
    expect(problems).toEqual([
      'DOCUMENT_MAX_BYTES must be a whole number greater than 0',
      'DOCUMENT_ZIP_MAX_ENTRIES must be a whole number greater than 0',
      'S3_BUCKET is required with DOCUMENT_STORAGE=s3',
      'S3_ENDPOINT must be an http:// or https:// URL',
      'S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together',
      'CLAMD_PORT must be a whole number from 1 to 65535',
      'CLAMD_HOST is required with CLAMD_PORT',
    ]);
    expect(problems.join(' ')).not.toContain('do-not-print-me');
    expect(problemsOf({ DOCUMENT_STORAGE: 'nfs' })).toEqual(['DOCUMENT_STORAGE must be fs or s3']);
  });

  it('reads the upload quota: by default 20 uploads and 4 × the largest file outstanding', () => {
    expect(loadConfig({ DOCUMENT_MAX_BYTES: '1000' }).documents.quota).toEqual({
      maxUploads: 20,
      maxBytes: 4000,
    });
    expect(
      loadConfig({
        DOCUMENT_MAX_BYTES: '5',
        DOCUMENT_MAX_OUTSTANDING_UPLOADS: '5',
        DOCUMENT_MAX_OUTSTANDING_BYTES: '9',
      }).documents.quota,
    ).toEqual({ maxUploads: 5, maxBytes: 9 });
    expect(
      problemsOf({
        DOCUMENT_MAX_BYTES: '1000',
        DOCUMENT_MAX_OUTSTANDING_UPLOADS: 'none',
        DOCUMENT_MAX_OUTSTANDING_BYTES: '999',
      }),
    ).toEqual([
      'DOCUMENT_MAX_OUTSTANDING_UPLOADS must be a whole number greater than 0',
      'DOCUMENT_MAX_OUTSTANDING_BYTES must be at least DOCUMENT_MAX_BYTES',
    ]);
  });
});
