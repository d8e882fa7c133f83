import type { FloorResult } from './floor';
import type { LoadResult } from './load';
import type { UsagePerRequest } from './usage';

/** The report of `npm run bench`: what was measured, against the targets of issue 3. */

export const say = (line = '') => process.stdout.write(`${line}\n`);

const TARGETS = { ratio: 0.5, ratioStretch: 0.7, inboxP99Ms: 20 };

/** The inbox load run again at half its measured throughput, paced (`paced.ts`). */
export const HALF_LOAD_INBOX = 'getTeamInbox half';

export function describe(r: LoadResult): string {
  const codes = Object.entries(r.statuses)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  return (
    `${r.requestsPerSecond.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ` +
    `max ${r.max.toFixed(1)} ms; non-2xx ${r.non2xx}, errors ${r.errors}, timeouts ${r.timeouts} (${codes})`
  );
}

export function report(results: LoadResult[], floor: FloorResult): void {
  const row = (cells: string[]) =>
    say(cells.map((c, i) => (i === 0 ? c.padEnd(18) : c.padStart(10))).join(' '));
  row([
    'endpoint',
    'conns',
    'req/s',
    'p50 ms',
    'p90 ms',
    'p99 ms',
    'max ms',
    'requests',
    'non-2xx',
    'errors',
  ]);
  for (const r of results) {
    row([
      r.name,
      String(r.connections),
      r.requestsPerSecond.toFixed(0),
      r.p50.toFixed(2),
      r.p90.toFixed(2),
      r.p99.toFixed(2),
      r.max.toFixed(1),
      String(r.requests),
      String(r.non2xx),
      String(r.errors + r.timeouts),
    ]);
  }
  row([
    'floor (pgbench)',
    String(floor.clients),
    floor.tps.toFixed(0),
    '',
    '',
    '',
    '',
    String(floor.transactions),
    '',
    String(floor.failed),
  ]);
  say();
  const post = results.find((r) => r.name === 'postMessage');
  const inbox = results.find((r) => r.name === 'getTeamInbox');
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  if (post) {
    const ratio = post.requestsPerSecond / floor.tps;
    say(
      `postMessage ÷ floor = ${post.requestsPerSecond.toFixed(0)} ÷ ${floor.tps.toFixed(0)} = ${ratio.toFixed(3)}`,
    );
    say(`  target ratio ≥ ${TARGETS.ratio}: ${verdict(ratio >= TARGETS.ratio)}`);
    say(`  stretch ratio ≥ ${TARGETS.ratioStretch}: ${verdict(ratio >= TARGETS.ratioStretch)}`);
  }
  if (inbox) {
    say(
      `getTeamInbox p99 = ${inbox.p99.toFixed(2)} ms; target < ${TARGETS.inboxP99Ms} ms: ${verdict(
        inbox.p99 < TARGETS.inboxP99Ms,
      )}`,
    );
  }
  const half = results.find((r) => r.name === HALF_LOAD_INBOX);
  if (half) {
    say(
      `  at half that throughput (${half.requestsPerSecond.toFixed(0)} req/s on the same ${half.connections} connections): ` +
        `p99 ${half.p99.toFixed(2)} ms (not the target's measure)`,
    );
  }
  const healthz = results.find((r) => r.name === 'healthz');
  if (healthz) {
    say(
      `  GET /healthz, no work, ${healthz.connections} connections: ${healthz.requestsPerSecond.toFixed(0)} req/s, ` +
        `p99 ${healthz.p99.toFixed(2)} ms (the least a saturating load can see on this machine)`,
    );
  }
}

/** CPU and round trips per request: what the throughput is made of. */
export function reportUsage(
  results: LoadResult[],
  usages: Map<string, UsagePerRequest>,
  floorCpuMs: number | null,
): void {
  const ms = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
  const row = (cells: string[]) =>
    say(cells.map((c, i) => (i === 0 ? c.padEnd(18) : c.padStart(14))).join(' '));
  say('Per request (server thread CPU, CPU of all local PostgreSQL processes, statements sent):');
  row(['endpoint', 'server CPU ms', 'postgres CPU ms', 'statements']);
  for (const r of results) {
    const usage = usages.get(r.name);
    if (!usage) continue;
    row([r.name, ms(usage.serverCpuMs), ms(usage.postgresCpuMs), usage.statements.toFixed(1)]);
  }
  row(['floor (pgbench)', '', ms(floorCpuMs), '']);
  say();
  say('Stalls during each load (what a tail can come from):');
  row(['endpoint', 'CPU stolen %', 'server loop max', 'send lag max']);
  for (const r of results) {
    const usage = usages.get(r.name);
    if (!usage) continue;
    row([
      r.name,
      usage.stealPercent === null ? 'n/a' : usage.stealPercent.toFixed(1),
      `${usage.serverLoopMaxMs.toFixed(0)} ms`,
      r.sendLagMaxMs === undefined ? '' : `${r.sendLagMaxMs.toFixed(0)} ms`,
    ]);
  }
}
