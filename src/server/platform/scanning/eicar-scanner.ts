import type { Readable } from 'node:stream';
import type { Scanner, ScanVerdict } from './scanner';

/**
 * The EICAR anti-virus test file's string (https://www.eicar.org): harmless, and flagged by
 * every scanner so that the path a flagged file takes can be tested end to end.
 */
export const EICAR = Buffer.from(
  'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*',
  'latin1',
);

/**
 * The built-in scanner: flags the EICAR test string wherever it appears in the stream. It
 * keeps the last EICAR.length − 1 bytes of each chunk in front of the next, so a string
 * split across chunks is still found. Real malware needs clamd (CLAMD_HOST).
 */
export function createEicarScanner(): Scanner {
  return {
    name: 'built-in (EICAR test string)',
    readsArchives: false,
    async scan(source: Readable): Promise<ScanVerdict> {
      let tail = Buffer.alloc(0);
      for await (const chunk of source) {
        const window = Buffer.concat([tail, chunk as Buffer]);
        if (window.includes(EICAR)) {
          source.destroy();
          return { infected: true, signature: 'EICAR-Test-File' };
        }
        tail = window.subarray(Math.max(0, window.length - (EICAR.length - 1)));
      }
      return { infected: false };
    },
  };
}
