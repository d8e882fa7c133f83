import Type from 'typebox';
import { IdParam, requestFacts } from '../../platform/http/routes';
import { isLocalAddress } from '../../platform/net/local-addresses';
import {
  createSubscription,
  deleteSubscription,
  MessagesScopeMissing,
  SubscriptionLimitReached,
  type SubscriptionReplacement,
  subscriptionOf,
  subscriptionsOf,
  updateSubscription,
  MAX_SUBSCRIPTIONS_PER_CLIENT,
} from '../subscriptions/subscriptions.commands';
import { searchset, searchsetSchema } from './fhir.bundle';
import {
  presentSubscription as present,
  type SubscriptionInput,
  SubscriptionInputSchema,
  SubscriptionResourceSchema,
} from './fhir.subscription.contracts';
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
 * host: the name localhost or one under it (with or without the root's dot), or a literal
 * address that `isLocalAddress` counts as local (an IPv6 one in brackets, IPv4-mapped ones
 * included). A name that resolves to one is refused when a notification is sent.
 */
function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  return isLocalAddress(host.replace(/^\[(.*)\]$/, '$1'));
}
const DATE_TIME_WITH_ZONE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/;

/** Whether a date-time's day is on the calendar: `new Date` takes 30 February as 2 March. */
function calendarDayExists(value: string): boolean {
  const [year = 0, month = 0, day = 0] = value.slice(0, 10).split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    year >= 1000 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

const unprocessable = (code: string, detail: string) =>
  fhirError(422, `fhir.subscription_${code}`, detail);

/**
 * Checks a subscription as a system sends it, new or replacing one of its own (an update,
 * which may also turn it off), against what is offered; the first problem, as a FHIR error.
 */
export function newSubscriptionOf(
  input: SubscriptionInput,
  now: Date,
  allowLoopbackHttp: boolean,
  replacing = false,
): SubscriptionReplacement {
  const criteria = input.criteria.trim().replace(/\?$/, '');
  if (criteria !== 'Communication') {
    throw unprocessable(
      'criteria_unsupported',
      'Only "Communication" can be subscribed to: new messages in the records your organisation looks after.',
    );
  }
  const status = input.status ?? 'requested';
  if (!['requested', 'active', ...(replacing ? ['off'] : [])].includes(status)) {
    throw unprocessable(
      'status_invalid',
      replacing
        ? 'A subscription is "requested" or "active" (on), or "off".'
        : 'A new subscription is "requested" or "active".',
    );
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
    if (
      !DATE_TIME_WITH_ZONE.test(input.end) ||
      !calendarDayExists(input.end) ||
      Number.isNaN(endsAt.getTime()) ||
      endsAt <= now
    ) {
      throw unprocessable(
        'end_invalid',
        'The end is a date and time with its zone, in the future.',
      );
    }
  }
  return {
    criteria,
    status: status === 'off' ? 'off' : 'active',
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

/** The commands' refusals as FHIR errors; anything else as it was. */
function refusalOf(error: unknown): unknown {
  if (error instanceof MessagesScopeMissing) {
    return fhirError(
      403,
      'fhir.subscription_scope_missing',
      'This system may not read messages (system/Communication.read), so it cannot be told of them.',
    );
  }
  if (error instanceof SubscriptionLimitReached) {
    return unprocessable(
      'limit',
      `A system may hold ${MAX_SUBSCRIPTIONS_PER_CLIENT} subscriptions: delete one first.`,
    );
  }
  return error;
}

/**
 * Subscription (rest-hook): a system asks to be told of new messages in the records its
 * organisation looks after, and reads them itself (decision 0023). It sees, and may change
 * or delete, its own subscriptions only; another system's are not there for it.
 */
export const subscriptionResource: FhirResource = {
  type: 'Subscription',
  scope: 'system/Subscription.*',
  interactions: ['create', 'read', 'update', 'search-type', 'delete'],
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
          throw refusalOf(error);
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

    // FHIR's update: the whole resource again, as a create sends it. Its endpoint, headers,
    // payload, reason and end replace the old; its status turns it on (again) or off.
    app.put(
      '/Subscription/:id',
      {
        schema: {
          operationId: 'fhirUpdateSubscription',
          tags: ['fhir'],
          params: Type.Object({ id: IdParam }, { additionalProperties: false }),
          body: SubscriptionInputSchema,
          response: {
            200: SubscriptionResourceSchema,
            ...outcomeResponses(400, 401, 403, 404, 415, 422),
          },
        },
      },
      async (request) => {
        const { id } = request.params;
        if (request.body.id !== id) {
          throw fhirError(
            400,
            'fhir.subscription_id_mismatch',
            'An update carries the subscription’s id, the same as in its address.',
          );
        }
        const now = deps.clock();
        const input = newSubscriptionOf(request.body, now, allowLoopbackHttp, true);
        const facts = requestFacts(request);
        try {
          const row = await updateSubscription(deps.db, clientOf(request), id, input, facts, now);
          if (!row) throw fhirNotFound();
          return present(row, now);
        } catch (error) {
          throw refusalOf(error);
        }
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
