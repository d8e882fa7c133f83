import { createReadStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import type { AppDeps } from '../../platform/deps';
import type { Scanner } from '../../platform/scanning/scanner';
import type { DocumentStorage } from '../../platform/storage/storage';
import { settleDocument } from './documents.commands';
import { findDocument } from './documents.facts';
import { inspectFile } from './documents.inspection';
import { documents } from './documents.schema';

export interface DocumentServices {
  storage: DocumentStorage;
  scanner: Scanner;
  /** Where tus keeps uploads while their bytes arrive and until they are checked. */
  stagingDir: string;
}

/** Where a document's bytes are kept: accepted ones and quarantined ones apart. */
export const storageKeyOf = (documentId: string, quarantined: boolean) =>
  `${quarantined ? 'quarantine' : 'documents'}/${documentId}`;

const RETRY_AFTER_MS = 60_000;

/**
 * Checks uploaded documents one at a time, in this process: inspect the staged file, store
 * it (or quarantine it), record the outcome, then remove the staged copy — in that order,
 * so a crash at any point leaves the document `checking` with its staged bytes, and
 * `resume()` at the next start checks it again. Nothing acknowledged is lost.
 */
export class DocumentChecker {
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  private running: Promise<void> | null = null;
  private readonly retries = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly deps: AppDeps,
    private readonly services: DocumentServices,
    private readonly onError: (documentId: string, error: unknown) => void,
  ) {}

  enqueue(documentId: string): void {
    if (this.closed || this.queued.has(documentId)) return;
    this.queued.add(documentId);
    this.queue.push(documentId);
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
  }

  /** Every document left `checking` (by a crash or a stop) goes back in the queue. */
  async resume(): Promise<number> {
    const rows = await this.deps.db
      .select({ id: documents.id })
      .from(documents)
      .where(eq(documents.status, 'checking'))
      .orderBy(documents.createdAt);
    for (const row of rows) this.enqueue(row.id);
    return rows.length;
  }

  /** Resolves when the queue is empty. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    for (const timer of this.retries) clearTimeout(timer);
    await this.idle();
  }

  private async drain(): Promise<void> {
    for (let id = this.queue.shift(); id !== undefined; id = this.queue.shift()) {
      this.queued.delete(id);
      try {
        await this.check(id);
      } catch (error) {
        this.onError(id, error);
        if (!this.closed) {
          const timer = setTimeout(() => {
            this.retries.delete(timer);
            this.enqueue(id);
          }, RETRY_AFTER_MS);
          timer.unref();
          this.retries.add(timer);
        }
      }
    }
  }

  private async check(documentId: string): Promise<void> {
    const row = await findDocument(this.deps.db, documentId);
    if (!row || row.status !== 'checking') return;
    const staged = path.join(this.services.stagingDir, row.uploadId);
    await stat(staged); // missing staged bytes: an error to retry and report, never a guess
    const outcome = await inspectFile(
      staged,
      row.fileName,
      this.deps.config.documents,
      this.services.scanner,
    );
    // Stopping: leave it `checking` with its staged bytes; the next start checks it again.
    if (this.closed) return;
    let key: string | null = null;
    if (outcome.status !== 'rejected') {
      key = storageKeyOf(documentId, outcome.status === 'quarantined');
      await this.services.storage.put(key, createReadStream(staged));
    }
    // Keys are the document's own: a second check of the same document stores the same bytes
    // under the same key, so whichever settles first wins and nothing is orphaned.
    const settled = await settleDocument(this.deps, documentId, outcome, key);
    if (!settled && key !== null) {
      // Its uploader withdrew the draft while it was checked: no bytes of it may stay (a
      // quarantined outcome was settled all the same, and is kept).
      const now = await findDocument(this.deps.db, documentId);
      if (now?.status === 'withdrawn') await this.services.storage.remove(key);
    }
    await removeStaged(staged);
  }
}

/** The staged bytes and tus's note of the upload beside them. */
export async function removeStaged(staged: string): Promise<void> {
  await rm(staged, { force: true });
  await rm(`${staged}.json`, { force: true });
}
