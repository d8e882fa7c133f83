import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createS3Storage } from './s3-storage';
import { StorageKeyMissing } from './storage';

/** s3rver: an S3-compatible server in this process, over real HTTP. */
const directory = mkdtempSync(path.join(tmpdir(), 'carethread-s3-'));
let server: S3rver;
let endpoint = '';
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
  const { port } = (await server.run()) as { port: number };
  endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ endpoint, region: 'eu-west-2', forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: 'documents' }));
  client.destroy();
});
afterAll(async () => {
  await server?.close();
  rmSync(directory, { recursive: true, force: true });
});

const read = async (stream: Readable) => {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
};

describe('S3-compatible storage', () => {
  it('streams a multipart upload in, reads it back, removes it', async () => {
    const storage = createS3Storage({
      endpoint,
      bucket: 'documents',
      region: 'eu-west-2',
      credentials,
    });
    // More than one 8 MB part, generated as it is read.
    const size = 9 * 1024 * 1024 + 123;
    let sent = 0;
    const source = new Readable({
      read() {
        if (sent >= size) return void this.push(null);
        const chunk = Buffer.alloc(Math.min(64 * 1024, size - sent), sent % 251);
        sent += chunk.length;
        this.push(chunk);
      },
    });
    await storage.put('documents/study-1', source);
    const back = await read(await storage.open('documents/study-1'));
    expect(back.length).toBe(size);
    expect(back[0]).toBe(0);
    await storage.remove('documents/study-1');
    await expect(storage.open('documents/study-1')).rejects.toBeInstanceOf(StorageKeyMissing);
  });
});
