import type { Readable } from 'node:stream';

/**
 * Where documents' bytes are kept once checked: a key → bytes store that streams both ways,
 * so no file is ever held in memory. Keys are made by the caller from ids (never from file
 * names): lower-case letters, digits, `-` and `/`.
 */
export interface DocumentStorage {
  /** Stores the stream's bytes under `key`, replacing what was there; resolves once durable. */
  put(key: string, source: Readable): Promise<void>;
  /** The bytes under `key`; rejects with StorageKeyMissing when there are none. */
  open(key: string): Promise<Readable>;
  /** Removes `key`; nothing happens when it is not there. */
  remove(key: string): Promise<void>;
}

export class StorageKeyMissing extends Error {
  constructor(key: string) {
    super(`nothing stored under ${key}`);
    this.name = 'StorageKeyMissing';
  }
}

const KEY = /^[a-z0-9-]+(\/[a-z0-9-]+)*$/;

/** Refuses any key that is not made of safe segments (no `..`, no absolute paths). */
export function assertStorageKey(key: string): void {
  if (!KEY.test(key)) throw new Error('invalid storage key');
}
