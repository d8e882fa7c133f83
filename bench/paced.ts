import http from 'node:http';
import type { LoadResult } from './load';

export interface PacedSpec {
  name: string;
  url: string;
  /** Readers: at most this many requests are in flight, each on its own kept-alive socket. */
  connections: number;
  seconds: number;
  /** Requests a second, sent at even intervals whether or not earlier ones were answered. */
  rate: number;
  headers: (i: number) => Record<string, string>;
}

/**
 * An open-loop GET load: request i is due at i ÷ rate seconds, and its response time counts
 * from when it was due, so a slow answer that delays later requests is charged to them
 * (no coordinated omission). autocannon's own rate limit sends each second's requests in
 * one burst at the start of the second, which measures the burst rather than the rate.
 */
export async function runPaced(spec: PacedSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.connections });
  const total = Math.max(1, Math.round(spec.rate * spec.seconds));
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let timeouts = 0;
  const started = performance.now();

  const one = (i: number, dueAt: number) =>
    new Promise<void>((resolve) => {
      const request = http.get(spec.url, { agent, headers: spec.headers(i) }, (response) => {
        response.resume();
        response.on('error', () => {
          errors += 1;
          resolve();
        });
        response.on('end', () => {
          latencies.push(performance.now() - dueAt);
          const code = String(response.statusCode);
          statuses[code] = (statuses[code] ?? 0) + 1;
          resolve();
        });
      });
      // As autocannon's loads: an answer that takes more than 10 s counts as a timeout.
      let timedOut = false;
      request.setTimeout(10_000, () => {
        timedOut = true;
        timeouts += 1;
        request.destroy();
      });
      request.on('error', () => {
        if (!timedOut) errors += 1;
        resolve();
      });
    });

  const inFlight: Promise<void>[] = [];
  let sendLagMaxMs = 0;
  for (let i = 0; i < total; i += 1) {
    const dueAt = started + (i * 1000) / spec.rate;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    sendLagMaxMs = Math.max(sendLagMaxMs, performance.now() - dueAt);
    inFlight.push(one(i, dueAt));
  }
  await Promise.all(inFlight);
  agent.destroy();

  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  const non2xx = Object.entries(statuses)
    .filter(([code]) => !code.startsWith('2'))
    .reduce((sum, [, n]) => sum + n, 0);
  return {
    name: spec.name,
    connections: spec.connections,
    seconds,
    requests: latencies.length,
    requestsPerSecond: latencies.length / seconds,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    non2xx,
    errors,
    timeouts,
    statuses,
    sendLagMaxMs,
  };
}
