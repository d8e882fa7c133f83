import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { eventually } from './notifications-world';

/** A browser's EventSource, as far as tests need one: the events seen, and whether it ended. */
export interface Stream {
  events: { event: string; conversationId: string }[];
  ended: boolean;
  status: number;
  next(
    conversationId: string,
    boundMs?: number,
  ): Promise<{ event: string; conversationId: string }>;
  close(): Promise<void>;
}

export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

export async function openStream(baseUrl: string, cookie: string): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/v1/events`, {
    headers: { cookie, accept: 'text/event-stream' },
    signal: controller.signal,
  });
  if (!response.body) throw new Error('no body');
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const stream: Stream = {
    events: [],
    ended: false,
    status: response.status,
    next: (conversationId, boundMs = 1_500) =>
      eventually(
        () => stream.events.find((e) => e.conversationId === conversationId),
        `an event about conversation ${conversationId}`,
        boundMs,
      ),
    close: async () => {
      controller.abort();
      await reading.catch(() => undefined);
    },
  };
  const reading = (async () => {
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
        const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
        if (event && data) {
          const { conversationId } = JSON.parse(data) as { conversationId: string };
          stream.events.push({ event, conversationId });
        }
      }
    }
  })().finally(() => {
    stream.ended = true;
  });
  reading.catch(() => undefined);
  return stream;
}
