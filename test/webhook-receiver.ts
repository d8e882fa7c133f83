import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * A real HTTP server on loopback standing in for a hospital system's notification endpoint:
 * it keeps every request and answers each with the next status queued, else 200.
 */
export async function startWebhookReceiver() {
  const received: ReceivedRequest[] = [];
  const statuses: number[] = [];
  /** Work done while a request waits for its answer (what happens meanwhile elsewhere). */
  const meanwhile: (() => Promise<void>)[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      const work = meanwhile.shift() ?? (() => Promise.resolve());
      void work().finally(() => {
        response.statusCode = statuses.shift() ?? 200;
        response.end();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    /** Its address; with host `localhost`, a name to look up instead of the address itself. */
    url: (path = '/notify', host = '127.0.0.1') => `http://${host}:${port}${path}`,
    received,
    /** The statuses the next requests get, in order. */
    answerWith: (...next: number[]) => statuses.push(...next),
    /** Runs `work` before answering the next request. */
    whileAnswering: (work: () => Promise<void>) => meanwhile.push(work),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
