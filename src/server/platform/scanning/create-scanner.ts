import { createClamdScanner } from './clamd-scanner';
import { createEicarScanner } from './eicar-scanner';
import type { Scanner } from './scanner';

/** clamd when CLAMD_HOST is set, otherwise the built-in EICAR scanner. */
export function createScanner(clamd: { host: string; port: number } | null): Scanner {
  return clamd ? createClamdScanner(clamd) : createEicarScanner();
}
