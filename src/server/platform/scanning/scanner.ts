import type { Readable } from 'node:stream';

export type ScanVerdict = { infected: false } | { infected: true; signature: string };

/** Looks at a file's bytes for malware, streamed: nothing is held in memory. */
export interface Scanner {
  readonly name: string;
  /**
   * Whether it looks inside archives itself (clamd unpacks ZIPs); when not, the caller gives
   * it each archive entry's inflated bytes too.
   */
  readonly readsArchives: boolean;
  scan(source: Readable): Promise<ScanVerdict>;
}
