import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { assertStorageKey, type DocumentStorage, StorageKeyMissing } from './storage';

export interface S3StorageOptions {
  /** An S3-compatible endpoint (MinIO, Ceph…); null for AWS itself. */
  endpoint: string | null;
  bucket: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string } | null;
}

/** Parts of a multipart upload; at most QUEUE_SIZE of them are in memory at once. */
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;

/**
 * S3-compatible storage. Uploads stream through lib-storage's multipart upload, so memory
 * stays at about PART_SIZE × QUEUE_SIZE whatever the file's size; reads stream the object.
 */
export function createS3Storage(options: S3StorageOptions): DocumentStorage {
  const config: S3ClientConfig = {
    region: options.region,
    // Checksums only where S3 requires them: S3-compatible servers differ in what they accept.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (options.endpoint !== null) {
    config.endpoint = options.endpoint;
    config.forcePathStyle = true;
  }
  if (options.credentials !== null) config.credentials = options.credentials;
  const client = new S3Client(config);
  const Bucket = options.bucket;
  return {
    async put(key, source) {
      assertStorageKey(key);
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: source },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
      });
      await upload.done();
    },
    async open(key) {
      assertStorageKey(key);
      try {
        const object = await client.send(new GetObjectCommand({ Bucket, Key: key }));
        if (!object.Body) throw new StorageKeyMissing(key);
        return object.Body as Readable;
      } catch (error) {
        if (error instanceof NoSuchKey) throw new StorageKeyMissing(key);
        throw error;
      }
    },
    async remove(key) {
      assertStorageKey(key);
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },
  };
}
