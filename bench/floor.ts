import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { recreateDatabase } from './seed';

const run = promisify(execFile);
const FLOOR_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'floor');

export interface FloorResult {
  tps: number;
  clients: number;
  seconds: number;
  transactions: number;
  failed: number;
  latencyAverageMs: number;
  /** CPU of the local PostgreSQL processes per transaction, in ms (null: not measurable). */
  postgresCpuMsPerTransaction: number | null;
}

/**
 * The send-a-message floor (bench/floor/README.md): the least work PostgreSQL can do to
 * accept one message, measured with pgbench in its own scratch database.
 */
export async function measureFloor(
  url: string,
  options: { clients: number; threads: number; seconds: number },
  postgresCpuMs: () => number | null,
): Promise<FloorResult> {
  await recreateDatabase(url);
  const psql = process.env.PSQL ?? 'psql';
  const pgbench = process.env.PGBENCH ?? 'pgbench';
  await run(psql, [url, '-q', '-v', 'ON_ERROR_STOP=1', '-f', path.join(FLOOR_DIR, 'schema.sql')]);
  const cpuBefore = postgresCpuMs();
  const { stdout } = await run(
    pgbench,
    [
      url,
      '-n',
      '-M',
      'prepared',
      '-f',
      path.join(FLOOR_DIR, 'send_message.sql'),
      '-c',
      String(options.clients),
      '-j',
      String(options.threads),
      '-T',
      String(options.seconds),
    ],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const cpuAfter = postgresCpuMs();
  const number = (pattern: RegExp) => {
    const match = pattern.exec(stdout);
    return match ? Number(match[1]) : NaN;
  };
  const tps = number(/^tps = ([\d.]+)/m);
  if (!Number.isFinite(tps)) throw new Error(`pgbench printed no tps:\n${stdout}`);
  const transactions = number(/number of transactions actually processed: (\d+)/);
  return {
    tps,
    clients: options.clients,
    seconds: options.seconds,
    transactions,
    failed: number(/number of failed transactions: (\d+)/) || 0,
    latencyAverageMs: number(/latency average = ([\d.]+) ms/),
    postgresCpuMsPerTransaction:
      cpuBefore === null || cpuAfter === null
        ? null
        : (cpuAfter - cpuBefore) / Math.max(transactions, 1),
  };
}
