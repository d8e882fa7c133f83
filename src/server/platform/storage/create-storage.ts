import path from 'node:path';
import type { DocumentsConfig } from '../../modules/documents/documents.config';
import { createFilesystemStorage } from './filesystem-storage';
import { createS3Storage } from './s3-storage';
import type { DocumentStorage } from './storage';

/** The configured storage: S3-compatible with DOCUMENT_STORAGE=s3, else `<DATA_DIR>/documents`. */
export function createStorage(
  settings: DocumentsConfig['storage'],
  dataDir: string,
): DocumentStorage {
  return settings.kind === 's3'
    ? createS3Storage(settings)
    : createFilesystemStorage(path.join(dataDir, 'documents'));
}
