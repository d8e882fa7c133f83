import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

/** A signed-in user: the cookie and CSRF token a browser would hold. */
export interface Session {
  email: string;
  cookie: string;
  csrfToken: string;
}

export async function signIn(baseUrl: string, email: string, password: string): Promise<Session> {
  const response = await fetch(`${baseUrl}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) {
    throw new Error(`sign-in as ${email} answered ${response.status}: ${await response.text()}`);
  }
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('carethread_session='));
  if (!cookie) throw new Error(`sign-in as ${email} set no session cookie`);
  return { email, cookie, csrfToken };
}

/** What one load run measured. Latencies are in milliseconds, to a microsecond. */
export interface LoadResult {
  name: string;
  connections: number;
  seconds: number;
  requests: number;
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statuses: Record<string, number>;
  /**
   * Paced loads only: the longest a request went out after it was due, in ms. A large value
   * is a stall in the load generator itself, charged to every request it delayed.
   */
  sendLagMaxMs?: number;
}

export interface LoadSpec {
  name: string;
  url: string;
  connections: number;
  seconds: number;
  /** Builds each request; called once per request, so bodies and keys can vary. */
  request: (i: number) => autocannon.Request;
}

/**
 * Runs one autocannon load against the server. Every response time is kept (autocannon's
 * own histogram rounds to whole milliseconds), and every non-2xx answer is counted.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  let i = 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.seconds,
        pipelining: 1,
        timeout: 10,
        requests: [{ setupRequest: (request) => ({ ...request, ...spec.request(i++) }) }],
      },
      (error: unknown, done) => (error ? reject(toError(error)) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    name: spec.name,
    connections: spec.connections,
    seconds: result.duration,
    requests: latencies.length,
    requestsPerSecond: latencies.length / result.duration,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: latencies[latencies.length - 1] ?? NaN,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  };
}

/** Headers of a state-changing request as the web app sends them. */
export function writeHeaders(session: Session): Record<string, string> {
  return {
    cookie: session.cookie,
    'x-csrf-token': session.csrfToken,
    'content-type': 'application/json',
    'idempotency-key': randomUUID(),
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
