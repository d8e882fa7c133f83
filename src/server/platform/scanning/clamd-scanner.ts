import { connect, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import type { Scanner, ScanVerdict } from './scanner';

export interface ClamdOptions {
  host: string;
  port: number;
  /** Gives up when clamd says nothing for this long. */
  idleTimeoutMs?: number;
}

/** clamd's INSTREAM refuses chunks above its StreamMaxLength; small chunks keep memory flat. */
const MAX_CHUNK = 64 * 1024;

/**
 * ClamAV's clamd over TCP with the INSTREAM command: `zINSTREAM\0`, then each chunk as a
 * 4-byte big-endian length and its bytes, then a zero length; clamd answers
 * `stream: OK`, `stream: <signature> FOUND` or `... ERROR`. Writes wait for the socket to
 * drain, so a slow clamd slows the read instead of filling memory.
 */
export function createClamdScanner(options: ClamdOptions): Scanner {
  return {
    name: `clamd at ${options.host}:${options.port}`,
    readsArchives: true,
    async scan(source: Readable): Promise<ScanVerdict> {
      const socket = connect({ host: options.host, port: options.port });
      socket.setTimeout(options.idleTimeoutMs ?? 60_000);
      const reply = collectReply(socket);
      // A connection that fails is reported by the steps below; the reply is then never read.
      reply.catch(() => undefined);
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', reject);
        });
        await write(socket, Buffer.from('zINSTREAM\0', 'latin1'));
        for await (const chunk of source) {
          const bytes = chunk as Buffer;
          for (let offset = 0; offset < bytes.length; offset += MAX_CHUNK) {
            const part = bytes.subarray(offset, offset + MAX_CHUNK);
            const length = Buffer.alloc(4);
            length.writeUInt32BE(part.length);
            await write(socket, length);
            await write(socket, part);
          }
        }
        await write(socket, Buffer.alloc(4));
        return parseReply(await reply);
      } finally {
        source.destroy();
        socket.destroy();
      }
    },
  };
}

function write(socket: Socket, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.destroyed) return reject(new Error('clamd closed the connection'));
    if (socket.write(bytes)) return resolve();
    const onDrain = () => {
      socket.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      socket.off('drain', onDrain);
      reject(error);
    };
    socket.once('drain', onDrain);
    socket.once('error', onError);
  });
}

function collectReply(socket: Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    socket.on('data', (data: Buffer) => {
      size += data.length;
      if (size > 4096) return reject(new Error('clamd reply too long'));
      parts.push(data);
      if (data.includes(0)) resolve(Buffer.concat(parts).toString('latin1'));
    });
    socket.on('end', () => resolve(Buffer.concat(parts).toString('latin1')));
    socket.on('timeout', () => reject(new Error('clamd timed out')));
    socket.on('error', reject);
  });
}

/** `stream: OK`, `stream: Eicar-Signature FOUND`; anything else is a failure to retry. */
export function parseReply(raw: string): ScanVerdict {
  const reply = raw.replace(/\0.*$/s, '').trim();
  if (/^stream: OK$/.test(reply)) return { infected: false };
  const found = /^stream: (.+) FOUND$/.exec(reply);
  if (found?.[1]) return { infected: true, signature: found[1] };
  throw new Error(`clamd could not scan the file (${reply.slice(0, 100)})`);
}
