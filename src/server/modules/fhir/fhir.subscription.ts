import Type from 'typebox';
import { IdParam, requestFacts } from '../../platform/http/routes';
import {
  createSubscription,
  deleteSubscription,
  type NewSubscription,
  MessagesScopeMissing,
  SubscriptionLimitReached,
  type SubscriptionRow,
  subscriptionOf,
  subscriptionsOf,
  MAX_SUBSCRIPTIONS_PER_CLIENT,
} from '../subscriptions/subscriptions.commands';
import { searchset, searchsetSchema } from './fhir.bundle';
import { fhirError, outcomeResponses } from './fhir.outcome';
import { clientOf, type FhirResource } from './fhir.resource';
import { fhirNotFound } from './fhir.search';

const FHIR_JSON_BODY_LIMIT = 16_384;
const NOTIFICATION_PAYLOAD = 'application/fhir+json';
/** Headers a subscription may not set: the request's own framing, address and connection. */
const RESERVED_HEADERS = [
  'host',
  'content-length',
  'content-type',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
];
/** A name, then a value of visible ASCII, spaces and tabs: what every HTTP client can send. */
const HEADER_LINE = /^([A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}):[ \t]*([\x20-\x7E\t]{1,1000})$/;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
/**
 * This machine, or a link-local address (a cloud's metadata service), as a URL writes its
 * host: a name (with or without the root's dot), an IPv4 literal in 127/8, 169.254/16 or
 * 0/8, or an IPv6 literal that is ::1, ::, link-local (fe80::/10) or IPv4-mapped (which the
 * URL parser turns into hex, so every mapped address is refused).
 */
function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (/^(127|0)\.\d+\.\d+\.\d+$|^169\.254\.\d+\.\d+$/.test(host)) return true;
  return /^\[(::1?|fe[89ab][0-9a-f]:.*|::ffff:.*)\]$/.test(host);
}
const DATE_TIME_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

const Channel = Type.Object(
  {
    type: Type.String({ maxLength: 50 }),
    endpoint: Type.Optional(Type.String({ maxLength: 2000 })),
    payload: Type.Optional(Type.String({ maxLength: 100 })),
    header: Type.Optional(Type.Array(Type.String({ maxLength: 1100 }), { maxItems: 10 })),
    // The Subscriptions Backport's extensions on the payload (its content, say): taken and
    // ignored, since every notification here is of references only.
    _payload: Type.Optional(Type.Object({})),
  },
  { additionalProperties: false },
);

/**
 * A new Subscription as a system sends it. FHIR's base elements (`id`, `meta`, `text`,
 * `extension`) are taken and ignored; anything else unknown is refused (decision 0004), a
 * modifier extension above all, since its meaning could change what was asked.
 */
const SubscriptionInputSchema = Type.Object(
  {
    resourceType: Type.Literal('Subscription'),
    id: Type.Optional(Type.String({ maxLength: 64 })),
    meta: Type.Optional(Type.Object({})),
    text: Type.Optional(Type.Object({})),
    extension: Type.Optional(Type.Array(Type.Object({}))),
    status: Type.Optional(Type.String({ maxLength: 20 })),
    reason: Type.String({ minLength: 1, maxLength: 500 }),
    criteria: Type.String({ minLength: 1, maxLength: 200 }),
    end: Type.Optional(Type.String({ maxLength: 40 })),
    channel: Channel,
  },
  { additionalProperties: false },
);
type SubscriptionInput = Type.Static<typeof SubscriptionInputSchema>;

export const SubscriptionResourceSchema = Type.Object(
  {
    resourceType: Type.Literal('Subscription'),
    id: Type.String(),
    status: Type.Union([Type.Literal('active'), Type.Literal('error'), Type.Literal('off')]),
    reason: Type.String(),
    criteria: Type.String(),
    end: Type.Optional(Type.String()),
    error: Type.Optional(Type.String()),
    channel: Type.Object({
      type: Type.Literal('rest-hook'),
      endpoint: Type.String(),
      payload: Type.Optional(Type.String()),
      header: Type.Optional(Type.Array(Type.String())),
    }),
  },
  { $id: 'FhirSubscription', title: 'Subscription' },
);
type SubscriptionResource = Type.Static<typeof SubscriptionResourceSchema>;

const unprocessable = (code: string, detail: string) =>
  fhirError(422, `fhir.subscription_${code}`, detail);

/** Checks a new subscription against what is offered; the first problem, as a FHIR error. */
export function newSubscriptionOf(
  input: SubscriptionInput,
  now: Date,
  allowLoopbackHttp: boolean,
): NewSubscription {
  const criteria = input.criteria.trim().replace(/\?$/, '');
  if (criteria !== 'Communication') {
    throw unprocessable(
      'criteria_unsupported',
      'Only "Communication" can be subscribed to: new messages in the records your organisation looks after.',
    );
  }
  if (input.status !== undefined && !['requested', 'active'].includes(input.status)) {
    throw unprocessable('status_invalid', 'A new subscription is "requested" or "active".');
  }
  const { channel } = input;
  if (channel.type !== 'rest-hook') {
    throw unprocessable('channel_unsupported', 'Only rest-hook channels are offered.');
  }
  if (channel.payload !== undefined && channel.payload !== NOTIFICATION_PAYLOAD) {
    throw unprocessable(
      'payload_unsupported',
      `The payload is ${NOTIFICATION_PAYLOAD} (a notification Bundle of references) or none (an empty POST).`,
    );
  }
  const endpoint = endpointOf(channel.endpoint, allowLoopbackHttp);
  const names = new Set<string>();
  const headers = (channel.header ?? []).map((line) => {
    const match = HEADER_LINE.exec(line);
    const name = match?.[1]?.toLowerCase();
    if (!match || !name || RESERVED_HEADERS.includes(name) || name.startsWith('proxy-')) {
      throw unprocessable(
        'header_invalid',
        'Each header is "Name: value" on one line, in plain ASCII, and not one that frames or routes the request (such as Host or Content-Type).',
      );
    }
    if (names.has(name)) throw unprocessable('header_invalid', 'Each header is given once.');
    names.add(name);
    return `${match[1]}: ${match[2]?.trim()}`;
  });
  let endsAt: Date | null = null;
  if (input.end !== undefined) {
    endsAt = new Date(input.end);
    if (!DATE_TIME_WITH_ZONE.test(input.end) || Number.isNaN(endsAt.getTime()) || endsAt <= now) {
      throw unprocessable(
        'end_invalid',
        'The end is a date and time with its zone, in the future.',
      );
    }
  }
  return {
    criteria,
    reason: input.reason,
    endpoint,
    payload: channel.payload === undefined ? null : NOTIFICATION_PAYLOAD,
    headers,
    endsAt,
  };
}

/**
 * An https address with no user name or password in it. Plain http only to this machine, and
 * only outside production (development and tests have no certificates). In production, not
 * this machine nor a link-local address (a cloud's metadata service) written as such.
 */
function endpointOf(value: string | undefined, allowLoopbackHttp: boolean): string {
  const problem = unprocessable(
    'endpoint_invalid',
    allowLoopbackHttp
      ? 'The endpoint is an https:// address (or http:// to this machine), without a user name or password.'
      : 'The endpoint is an https:// address, without a user name or password.',
  );
  if (value === undefined || !URL.canParse(value)) throw problem;
  const url = new URL(value);
  const loopbackHttp =
    allowLoopbackHttp && url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);
  if ((url.protocol !== 'https:' && !loopbackHttp) || url.username || url.password || url.hash) {
    throw problem;
  }
  if (!allowLoopbackHttp && isLocalHost(url.hostname)) throw problem;
  return url.toString();
}

/** The subscription as FHIR shows it: header values are the receiver's secrets, so hidden. */
function present(row: SubscriptionRow, now: Date): SubscriptionResource {
  const ended = row.status === 'active' && row.endsAt !== null && row.endsAt <= now;
  return {
    resourceType: 'Subscription',
    id: row.id,
    status: ended ? 'off' : row.status,
    reason: row.reason,
    criteria: row.criteria,
    ...(row.endsAt ? { end: row.endsAt.toISOString() } : {}),
    ...(row.error ? { error: row.error } : {}),
    channel: {
      type: 'rest-hook',
      endpoint: row.endpoint,
      ...(row.payload ? { payload: row.payload } : {}),
      ...(row.headers.length > 0
        ? { header: row.headers.map((line) => `${line.slice(0, line.indexOf(':'))}: (hidden)`) }
        : {}),
    },
  };
}

/**
 * Subscription (rest-hook): a system asks to be told of new messages in the records its
 * organisation looks after, and reads them itself (decision 0023). It sees, and may delete,
 * its own subscriptions only; another system's are not there for it.
 */
export const subscriptionResource: FhirResource = {
  type: 'Subscription',
  scope: 'system/Subscription.*',
  interactions: ['create', 'read', 'search-type', 'delete'],
  searchParams: [],
  routes: (deps, base) => async (app) => {
    app.addContentTypeParser(
      ['application/fhir+json', 'application/json'],
      { parseAs: 'string', bodyLimit: FHIR_JSON_BODY_LIMIT },
      app.getDefaultJsonParser('error', 'error'),
    );
    const allowLoopbackHttp = deps.config.nodeEnv !== 'production';

    app.post(
      '/Subscription',
      {
        schema: {
          operationId: 'fhirCreateSubscription',
          tags: ['fhir'],
          body: SubscriptionInputSchema,
          response: {
            201: SubscriptionResourceSchema,
            ...outcomeResponses(400, 401, 403, 415, 422),
          },
        },
      },
      async (request, reply) => {
        const client = clientOf(request);
        const now = deps.clock();
        const input = newSubscriptionOf(request.body, now, allowLoopbackHttp);
        try {
          const row = await createSubscription(deps.db, client, input, requestFacts(request), now);
          void reply.code(201).header('location', `${base}/Subscription/${row.id}`);
          return present(row, now);
        } catch (error) {
          if (error instanceof MessagesScopeMissing) {
            throw fhirError(
              403,
              'fhir.subscription_scope_missing',
              'This system may not read messages (system/Communication.read), so it cannot be told of them.',
            );
          }
          if (!(error instanceof SubscriptionLimitReached)) throw error;
          throw unprocessable(
            'limit',
            `A system may hold ${MAX_SUBSCRIPTIONS_PER_CLIENT} subscriptions: delete one first.`,
          );
        }
      },
    );

    app.get(
      '/Subscription/:id',
      {
        schema: {
          operationId: 'fhirReadSubscription',
          tags: ['fhir'],
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          response: { 200: SubscriptionResourceSchema, ...outcomeResponses(400, 401, 403, 404) },
        },
      },
      async (request) => {
        const row = await subscriptionOf(deps.db, clientOf(request).clientId, request.params.id);
        if (!row) throw fhirNotFound();
        return present(row, deps.clock());
      },
    );

    app.get(
      '/Subscription',
      {
        schema: {
          operationId: 'fhirSearchSubscription',
          tags: ['fhir'],
          querystring: Type.Object({}, { additionalProperties: false }),
          response: {
            200: searchsetSchema(SubscriptionResourceSchema, 'Subscription'),
            ...outcomeResponses(400, 401, 403),
          },
        },
      },
      async (request) => {
        const now = deps.clock();
        const rows = await subscriptionsOf(deps.db, clientOf(request).clientId);
        const resources = rows.map((row) => present(row, now));
        return searchset(base, { path: 'Subscription', params: {} }, resources, null);
      },
    );

    app.delete(
      '/Subscription/:id',
      {
        schema: {
          operationId: 'fhirDeleteSubscription',
          tags: ['fhir'],
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...outcomeResponses(400, 401, 403, 404) },
        },
      },
      async (request, reply) => {
        const client = clientOf(request);
        const facts = requestFacts(request);
        const deleted = await deleteSubscription(
          deps.db,
          client,
          request.params.id,
          facts,
          deps.clock(),
        );
        if (!deleted) throw fhirNotFound();
        return reply.code(204).send(null);
      },
    );
  },
};
