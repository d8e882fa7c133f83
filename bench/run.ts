/**
 * `npm run bench`: seeds a large world into PostgreSQL, runs the real app against it, loads
 * three endpoints with autocannon and measures the database floor with pgbench in the same
 * run. Prints the figures and whether the targets are met; exits non-zero only on errors.
 *
 * BENCH_DATABASE_URL        the database to drop, recreate and seed
 *                           (default postgres://postgres@127.0.0.1:5432/carethread_bench)
 * BENCH_FLOOR_DATABASE_URL  the floor's scratch database (default: <that name>_floor)
 * BENCH_SECONDS             seconds per measured load (default 15)
 * BENCH_FLOOR_SECONDS       seconds of pgbench (default 20)
 * BENCH_REUSE=1             keep an already seeded database (for profiling; figures drift)
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import pg from 'pg';
import {
  conversationId,
  patientEmail,
  PASSWORD,
  professionalEmail,
  replyTargets,
  teamId,
  WORLD,
} from './ids';
import { type LoadResult, runLoad, type Session, signIn, writeHeaders } from './load';
import { measureFloor } from './floor';
import { runPaced } from './paced';
import { describe, HALF_LOAD_INBOX, report, reportUsage, say } from './report';
import { migrateDatabase, recreateDatabase, seed } from './seed';
import { startServer } from './server';
import { machineTicks, perRequest, postgresCpuMs, type Usage, type UsagePerRequest } from './usage';

const DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/carethread_bench';
const FLOOR_URL =
  process.env.BENCH_FLOOR_DATABASE_URL ?? withDatabaseSuffix(DATABASE_URL, '_floor');
const SECONDS = positive('BENCH_SECONDS', 15);
const FLOOR_SECONDS = positive('BENCH_FLOOR_SECONDS', 20);
const WARM_UP_SECONDS = 3;
const REUSE = process.env.BENCH_REUSE === '1';
/** Comma-separated load names to run (to profile one request); all of them by default. */
const ONLY = process.env.BENCH_ONLY?.split(',').filter(Boolean);

const CONNECTIONS = { postMessage: 16, inbox: 50, conversation: 16 };
const FLOOR = { clients: 16, threads: 2 };

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a whole number`);
  return value;
}

function withDatabaseSuffix(url: string, suffix: string): string {
  const u = new URL(url);
  u.pathname = `${u.pathname}${suffix}`;
  return u.toString();
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

async function machine(): Promise<string[]> {
  const cpu = os.cpus()[0]?.model.trim() ?? 'unknown CPU';
  const admin = new URL(DATABASE_URL);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const { rows } = await client.query<{ version: string }>('select version()');
  const settings = await client.query<{ name: string; value: string }>(
    `select name, current_setting(name) as value from pg_settings
     where name in ('shared_buffers', 'synchronous_commit', 'max_connections')`,
  );
  await client.end();
  let pgbench = 'pgbench not found';
  try {
    pgbench = execFileSync(process.env.PGBENCH ?? 'pgbench', ['--version'])
      .toString()
      .trim();
  } catch {
    // reported below, and the floor step fails with the reason
  }
  return [
    `CPU: ${os.cpus().length} × ${cpu} (${os.availableParallelism()} available)`,
    `Memory: ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `Node: ${process.version}`,
    `PostgreSQL: ${rows[0]?.version.split(' on ')[0] ?? '?'} (${settings.rows
      .map((s) => `${s.name}=${s.value}`)
      .join(', ')})`,
    `pgbench: ${pgbench}`,
    `Load average at start: ${loadAverage()}`,
  ];
}

/** Other work on the machine skews every figure; the load average shows whether there was any. */
function loadAverage(): string {
  return os
    .loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

async function checkpoint(): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query('checkpoint');
  await client.end();
}

async function expectOk(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (response.status < 200 || response.status >= 300) {
    throw new Error(`${what} answered ${response.status}: ${text}`);
  }
  return text === '' ? null : JSON.parse(text);
}

/** One request of each kind, checked for what the load depends on, before any timing. */
async function preflight(base: string, staff: Session, patient: Session) {
  const inbox = (await expectOk(
    await fetch(`${base}/api/v1/teams/${teamId(1)}/inbox?view=unassigned&limit=50`, {
      headers: { cookie: staff.cookie },
    }),
    'getTeamInbox',
  )) as { counts: { unassigned: number }; items: unknown[] };
  if (inbox.counts.unassigned !== WORLD.busyTeamOpen || inbox.items.length !== 50) {
    throw new Error(
      `busy team inbox: ${inbox.counts.unassigned} open, ${inbox.items.length} shown`,
    );
  }
  for (const who of [staff, patient]) {
    const thread = (await expectOk(
      await fetch(`${base}/api/v1/conversations/${conversationId(WORLD.longThread)}`, {
        headers: { cookie: who.cookie },
      }),
      'getConversation',
    )) as { messages: unknown[] };
    if (thread.messages.length !== WORLD.longThreadMessages) {
      throw new Error(`long thread shows ${thread.messages.length} messages to ${who.email}`);
    }
  }
  await expectOk(
    await fetch(`${base}/api/v1/conversations/${replyTargets()[0]}/messages`, {
      method: 'POST',
      headers: writeHeaders(staff),
      body: JSON.stringify({ body: 'Preflight reply.' }),
    }),
    'postMessage',
  );
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  say('Carethread benchmark');
  for (const line of await machine()) say(`  ${line}`);
  say(`  Database: ${redact(DATABASE_URL)}; floor: ${redact(FLOOR_URL)}`);
  say();

  if (REUSE) {
    say('Reusing the seeded database (BENCH_REUSE=1)');
  } else {
    say('Seeding…');
    await recreateDatabase(DATABASE_URL);
    const migrateStart = performance.now();
    await migrateDatabase(DATABASE_URL);
    say(`  migrations: ${((performance.now() - migrateStart) / 1000).toFixed(1)} s`);
    const timings = await seed(DATABASE_URL);
    for (const step of timings.steps) say(`  ${step.name}: ${(step.ms / 1000).toFixed(1)} s`);
    say(
      `  seeded ${WORLD.teams} teams, ${WORLD.teams * WORLD.professionalsPerTeam} staff, ` +
        `${WORLD.patients} patients, ${WORLD.conversations + 1} conversations, ` +
        `${WORLD.conversations * WORLD.messagesPerConversation + WORLD.longThreadMessages} messages ` +
        `in ${(timings.totalMs / 1000).toFixed(1)} s`,
    );
  }
  say();

  const server = await startServer(DATABASE_URL);
  const results: LoadResult[] = [];
  const usages = new Map<string, UsagePerRequest>();
  const usageNow = async (): Promise<Usage> => {
    const { cpuMs, statements, loopMaxMs } = await server.usage();
    return {
      serverCpuMs: cpuMs,
      postgresCpuMs: postgresCpuMs(DATABASE_URL),
      statements,
      machineTicks: machineTicks(),
      serverLoopMaxMs: loopMaxMs,
    };
  };
  try {
    const base = server.url;
    // The busy team's members; sign-in is rate limited per address (30 in 15 minutes).
    const staff: Session[] = [];
    for (let m = 1; m <= WORLD.professionalsPerTeam; m += 1) {
      staff.push(await signIn(base, professionalEmail(m), PASSWORD));
    }
    const patient = await signIn(base, patientEmail(1), PASSWORD);
    await preflight(base, staff[0]!, patient);
    const pick = (i: number) => staff[i % staff.length]!;

    const inboxUrl = `${base}/api/v1/teams/${teamId(1)}/inbox?view=unassigned&limit=50`;
    const threadUrl = `${base}/api/v1/conversations/${conversationId(WORLD.longThread)}`;
    const targets = replyTargets();
    const loads = [
      {
        // What an answer costs this machine when the server does no work for it.
        name: 'healthz',
        url: `${base}/healthz`,
        connections: CONNECTIONS.inbox,
        request: () => ({ method: 'GET' as const }),
      },
      {
        name: 'getTeamInbox',
        url: inboxUrl,
        connections: CONNECTIONS.inbox,
        request: (i: number) => ({ method: 'GET' as const, headers: { cookie: pick(i).cookie } }),
      },
      {
        name: 'getConversation',
        url: threadUrl,
        connections: CONNECTIONS.conversation,
        request: (i: number) => ({ method: 'GET' as const, headers: { cookie: pick(i).cookie } }),
      },
      {
        name: 'postMessage',
        url: base,
        connections: CONNECTIONS.postMessage,
        // Replies by the busy team's members spread over its 10,000 assigned and archived
        // conversations, each with a fresh Idempotency-Key.
        request: (i: number) => ({
          method: 'POST' as const,
          path: `/api/v1/conversations/${targets[(i * 7919) % targets.length]}/messages`,
          headers: writeHeaders(pick(i)),
          body: JSON.stringify({
            body: `Bench reply ${i}: thank you, we have booked you in for Thursday at 10:30.`,
          }),
        }),
      },
    ];
    const measure = async (
      name: string,
      what: string,
      run: (name: string, seconds: number) => Promise<LoadResult>,
    ): Promise<LoadResult> => {
      say(`Loading ${name}: ${what}, ${SECONDS} s (+${WARM_UP_SECONDS} s warm-up)…`);
      await run(`${name} warm-up`, WARM_UP_SECONDS);
      const before = await usageNow();
      const result = await run(name, SECONDS);
      usages.set(result.name, perRequest(before, await usageNow(), result.requests));
      results.push(result);
      say(`  ${describe(result)}; load average ${loadAverage()}`);
      await checkpoint();
      return result;
    };
    const unknown = ONLY?.filter((name) => !loads.some((load) => load.name === name)) ?? [];
    if (unknown.length > 0) {
      throw new Error(
        `BENCH_ONLY names no load called ${unknown.join(', ')}; the loads are ` +
          `${loads.map((load) => load.name).join(', ')} (${HALF_LOAD_INBOX} comes with getTeamInbox)`,
      );
    }
    for (const load of loads) {
      if (ONLY && !ONLY.includes(load.name)) continue;
      const result = await measure(load.name, `${load.connections} connections`, (name, seconds) =>
        runLoad({ ...load, name, seconds }),
      );
      if (load.name === 'getTeamInbox') {
        // The same readers when the server is half busy: the latency a reader sees then,
        // rather than the queue a saturating load builds (connections ÷ throughput).
        const rate = Math.max(1, Math.round(result.requestsPerSecond / 2));
        await measure(HALF_LOAD_INBOX, `${rate} req/s at even intervals`, (name, seconds) =>
          runPaced({
            name,
            url: load.url,
            connections: load.connections,
            seconds,
            rate,
            headers: (i) => ({ cookie: pick(i).cookie }),
          }),
        );
      }
    }
  } finally {
    await server.stop();
  }

  say(`Measuring the floor: pgbench -c ${FLOOR.clients} -j ${FLOOR.threads} -T ${FLOOR_SECONDS}…`);
  const floor = await measureFloor(FLOOR_URL, { ...FLOOR, seconds: FLOOR_SECONDS }, () =>
    postgresCpuMs(FLOOR_URL),
  );
  say(
    `  ${floor.tps.toFixed(0)} tps, ${floor.transactions} transactions, ${floor.failed} failed; ` +
      `load average ${loadAverage()}`,
  );
  say();

  report(results, floor);
  say();
  reportUsage(results, usages, floor.postgresCpuMsPerTransaction);
  say();
  say(`Total time: ${((performance.now() - startedAt) / 1000).toFixed(0)} s`);

  const failures = results.filter((r) => r.non2xx > 0 || r.errors > 0 || r.timeouts > 0);
  if (failures.length > 0 || floor.failed > 0) {
    console.error(
      `INVALID RUN: errors in ${[...failures.map((r) => r.name), ...(floor.failed > 0 ? ['floor'] : [])].join(', ')}`,
    );
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error('bench failed:', error);
  process.exit(1);
});
