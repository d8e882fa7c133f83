import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { createFilesystemStorage } from './filesystem-storage';
import { StorageKeyMissing } from './storage';

const root = mkdtempSync(path.join(tmpdir(), 'carethread-storage-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const read = async (stream: Readable) => {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
};

describe('filesystem storage', () => {
  const storage = createFilesystemStorage(root);

  it('stores a stream under a key, reads it back, replaces it, removes it', async () => {
    await storage.put(
      'documents/abc-1',
      Readable.from([Buffer.from('hello '), Buffer.from('world')]),
    );
    expect((await read(await storage.open('documents/abc-1'))).toString()).toBe('hello world');
    await storage.put('documents/abc-1', Readable.from([Buffer.from('again')]));
    expect((await read(await storage.open('documents/abc-1'))).toString()).toBe('again');
    await storage.remove('documents/abc-1');
    await expect(storage.open('documents/abc-1')).rejects.toBeInstanceOf(StorageKeyMissing);
    await storage.remove('documents/abc-1'); // removing what is not there is fine
  });

  it('leaves no partial file when the source fails half-way', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.from('part'));
        this.destroy(new Error('connection lost'));
      },
    });
    await expect(storage.put('documents/broken', failing)).rejects.toThrow('connection lost');
    await expect(storage.open('documents/broken')).rejects.toBeInstanceOf(StorageKeyMissing);
    expect(readdirSync(path.join(root, 'documents'))).not.toContainEqual(
      expect.stringContaining('broken'),
    );
  });

  it('refuses keys that could leave its directory', async () => {
    for (const key of ['../x', '/etc/passwd', 'documents/../../x', 'Documents/X', 'a//b', '']) {
      await expect(storage.put(key, Readable.from([Buffer.from('x')])), key).rejects.toThrow(
        'invalid storage key',
      );
    }
  });
});
