import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeClamd } from '../../../../test/fake-clamd';
import { createClamdScanner, parseReply } from './clamd-scanner';
import { createEicarScanner, EICAR } from './eicar-scanner';

/** A stream of the given chunks, as a file read in pieces would arrive. */
const chunks = (...parts: Buffer[]) => Readable.from(parts);

describe('the built-in scanner', () => {
  const scanner = createEicarScanner();

  it('flags the EICAR test string anywhere in the file', async () => {
    const verdict = await scanner.scan(
      chunks(Buffer.from('%PDF-1.7 '), EICAR, Buffer.from(' end')),
    );
    expect(verdict).toEqual({ infected: true, signature: 'EICAR-Test-File' });
  });

  it('flags it when it is split across chunks, at every split point', async () => {
    for (let split = 1; split < EICAR.length; split += 1) {
      const verdict = await scanner.scan(
        chunks(
          Buffer.concat([Buffer.alloc(1000, 0x41), EICAR.subarray(0, split)]),
          EICAR.subarray(split),
        ),
      );
      expect(verdict.infected, `split at ${split}`).toBe(true);
    }
    const threeWays = await scanner.scan(
      chunks(EICAR.subarray(0, 10), EICAR.subarray(10, 20), EICAR.subarray(20)),
    );
    expect(threeWays.infected).toBe(true);
  });

  it('passes a clean file, even one that holds most of the string', async () => {
    const almost = EICAR.subarray(0, EICAR.length - 1);
    expect(await scanner.scan(chunks(almost, Buffer.from('.'), almost))).toEqual({
      infected: false,
    });
  });
});

/** clamd's stand-in on loopback: a real socket, so the client's framing is what is tested. */
let clamd: Awaited<ReturnType<typeof startFakeClamd>>;
beforeAll(async () => {
  clamd = await startFakeClamd();
});
afterAll(async () => clamd?.close());

describe('the clamd client (INSTREAM)', () => {
  it('streams the file in length-prefixed chunks and reads the verdict', async () => {
    const scanner = createClamdScanner({ host: '127.0.0.1', port: clamd.port });
    const big = Buffer.alloc(200 * 1024, 0x61); // more than one 64 KB chunk
    expect(await scanner.scan(chunks(big, Buffer.from('tail')))).toEqual({ infected: false });
    expect(clamd.received.at(-1)?.equals(Buffer.concat([big, Buffer.from('tail')]))).toBe(true);
    expect(await scanner.scan(chunks(Buffer.from('x'), EICAR))).toEqual({
      infected: true,
      signature: 'Eicar-Signature',
    });
  });

  it('fails (to be retried) when clamd cannot be reached or answers an error', async () => {
    const nowhere = createClamdScanner({ host: '127.0.0.1', port: 9 });
    await expect(nowhere.scan(chunks(Buffer.from('x')))).rejects.toThrow();
    expect(() => parseReply('INSTREAM size limit exceeded. ERROR\0')).toThrow(/could not scan/);
  });
});
