import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { TEST_PASSWORD } from './factories';

/** A signed-in browser: its session cookie and CSRF token, sent on every request. */
export interface Client {
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  csrfToken: string;
  cookie: string;
}

export const ANONYMOUS_CLIENT = (app: FastifyInstance): Client => ({
  request: (options) => app.inject(options),
  csrfToken: '',
  cookie: '',
});

let addressCounter = 0;
/** A different loopback address per sign-in, so tests never meet the per-address limit. */
const nextAddress = () => {
  addressCounter += 1;
  return `127.1.${(addressCounter >> 8) & 255}.${addressCounter & 255}`;
};

export async function signIn(
  app: FastifyInstance,
  email: string,
  password = TEST_PASSWORD,
  remoteAddress = nextAddress(),
): Promise<Client> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/session',
    payload: { email, password },
    remoteAddress,
  });
  if (response.statusCode !== 200)
    throw new Error(`sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = response.cookies.find((c) => c.name === 'carethread_session');
  if (!cookie) throw new Error('no session cookie');
  const { csrfToken } = response.json<{ csrfToken: string }>();
  const header = `carethread_session=${cookie.value}`;
  return {
    csrfToken,
    cookie: header,
    request: (options) =>
      app.inject({
        ...options,
        headers: { cookie: header, 'x-csrf-token': csrfToken, ...(options.headers ?? {}) },
      }),
  };
}
