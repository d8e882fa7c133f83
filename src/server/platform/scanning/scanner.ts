import type { Readable } from 'node:stream';

export type ScanVerdict = { infected: false } | { infected: true; signature: string };

/** Looks at a file's bytes for malware, streamed: nothing is held in memory. */
export interface Scanner {
  readonly name: string;
  scan(source: Readable): Promise<ScanVerdict>;
}
