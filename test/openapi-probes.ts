import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { bodyProbes } from './openapi-body-probes';
import {
  againstPattern,
  invalid,
  MARK,
  matches,
  type Operation,
  type Outcome,
  type Probe,
} from './openapi-operations';

/**
 * Malformed requests derived from the app's own OpenAPI document (DESIGN §5, decision 0004):
 * for every operation, what each of its inputs looks like when it is wrong, and the one
 * answer the contract promises for it; and the judge of the answer it got.
 */

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Values for the operation's path parameters that exist (or at least are well formed). */
export type KnownIds = Record<string, string>;

/**
 * Values sent for the query parameters a probe is not about, by name (a FHIR search's
 * `patient`), so that the route gets as far as the one that is wrong.
 */
export type QueryDefaults = Record<string, string>;

/** The operation's address: known ids, random ones for the rest, `override` as given. */
export function urlFor(
  op: Operation,
  ids: KnownIds,
  override: Record<string, string> = {},
): string {
  return op.path.replace(/\{([^}]+)\}/g, (_m, name: string) =>
    name in override ? override[name]! : encodeURIComponent(ids[name] ?? randomUUID()),
  );
}

/** Path parameters that name a row: `teamId`, FHIR's `id`. */
export const isIdName = (name: string) => name === 'id' || name.endsWith('Id');

function pathProbes(op: Operation, ids: KnownIds, base: InjectOptions): Probe[] {
  return op.parameters
    .filter((p) => p.in === 'path')
    .flatMap((p) => {
      const field = `params/${p.name}`;
      // By its name, not its schema: a route that lost its id pattern is the one to catch.
      const isId = isIdName(p.name);
      // A value its pattern refuses may, for a name-like parameter, also be a page nobody has.
      const refused = isId ? [invalid(field)] : [invalid(field), { status: 404 }];
      const probe = (name: string, raw: string, expected: Outcome[]): Probe => ({
        name: `path ${p.name}: ${name}`,
        request: { ...base, url: urlFor(op, ids, { [p.name]: raw }) },
        expected,
        changesNothing: true,
      });
      const probes = [
        probe('not an id', `not-an-id-${MARK}`, refused),
        probe('punctuation', encodeURIComponent(`${MARK} ';--`), refused),
        probe('non-ASCII', encodeURIComponent(`${MARK}-é-✓`), refused),
        probe('NUL', `${MARK}%00`, refused),
        probe('encoded slash', `..%2F..%2F${MARK}`, [...refused, { status: 404 }]),
        probe('broken percent-encoding', `${MARK}%E0%A4%A`, [
          ...refused,
          { status: 400, code: 'request.malformed' },
        ]),
        // Past the router's 100-character limit the address matches no route at all.
        probe('overlong', `${MARK}${'a'.repeat(200)}`, [
          ...refused,
          { status: 404, code: 'route.not_found' },
        ]),
      ];
      if (isId) {
        const id = randomUUID();
        // A body the probe does not send would be refused first, hiding what the id does.
        const unknownId = op.body === undefined && matches(p.schema.pattern, id);
        probes.push(
          probe('upper-case id', id.toUpperCase(), [invalid(field)]),
          probe('id and more', `${id}0`, [invalid(field)]),
          probe('id in braces', `%7B${id}%7D`, [invalid(field)]),
        );
        if (unknownId) {
          // Well formed but nobody's: refused as not found or forbidden, never a crash.
          probes.push({
            ...probe('unknown id', randomUUID(), [{ status: 403 }, { status: 404 }]),
            changesNothing: false,
          });
        }
      }
      return probes;
    });
}

const LIMIT_NAMES = new Set(['limit', '_count']);
const CURSOR_NAMES = new Set(['cursor', '_cursor']);

/** Cursors this server never made: well within their length limit, so the route decodes them. */
export const FORGED_CURSORS = [
  MARK,
  b64([]),
  b64({ [MARK]: 1 }),
  b64([MARK]),
  b64([1, 2]),
  b64([MARK, randomUUID()]),
  b64(['2026-02-30T09:00:00.000Z', randomUUID()]),
  b64(['0000-01-01T00:00:00.000Z', randomUUID()]),
  b64(['+275760-09-13T00:00:00.000Z', randomUUID()]),
  b64(['2026-11-25T09:00:00.000Z', MARK]),
  b64(['2026-11-25T09:00:00.000Z', MARK, randomUUID()]),
  b64(['9'.repeat(40), randomUUID()]),
  b64(['-1', randomUUID()]),
  b64([`${MARK}\u0000`, randomUUID()]),
];

function queryProbes(
  op: Operation,
  url: string,
  base: InjectOptions,
  defaults: QueryDefaults,
): Probe[] {
  const query = op.parameters.filter((p) => p.in === 'query');
  if (query.length === 0) return [];
  const others = (name?: string) =>
    query
      .filter((p) => p.name !== name && defaults[p.name] !== undefined)
      .map((p) => `${p.name}=${encodeURIComponent(defaults[p.name]!)}&`)
      .join('');
  const probeAbout = (name: string, qs: string, expected: Outcome[], about?: string): Probe => ({
    name: `query ${name}`,
    request: { ...base, url: `${url}?${others(about)}${qs}` },
    expected,
    changesNothing: true,
  });
  const probes = [
    probeAbout('unknown parameter', `zz_unknown=${MARK}`, [invalid('querystring/zz_unknown')]),
  ];
  for (const p of query) {
    const field = `querystring/${p.name}`;
    const probe = (name: string, qs: string, expected: Outcome[]) =>
      probeAbout(name, qs, expected, p.name);
    const set = (value: string) => `${p.name}=${encodeURIComponent(value)}`;
    probes.push(
      probe(`${p.name} repeated`, `${set('1')}&${set('2')}`, [invalid(field)]),
      probe(`${p.name} NUL`, set(`${MARK}\u0000`), [invalid(field)]),
    );
    const { schema } = p;
    if (schema.enum) probes.push(probe(`${p.name} unknown value`, set(MARK), [invalid(field)]));
    const breaking = schema.pattern === undefined ? undefined : againstPattern(schema.pattern);
    if (breaking !== undefined) {
      probes.push(probe(`${p.name} against its pattern`, set(breaking), [invalid(field)]));
    }
    if (schema.maxLength !== undefined) {
      const long = MARK + 'x'.repeat(schema.maxLength);
      probes.push(probe(`${p.name} too long`, set(long), [invalid(field)]));
    }
    if (LIMIT_NAMES.has(p.name)) {
      // A FHIR server may answer a _count it will not serve with fewer (FHIR R4 §3.1.1.5.7).
      const huge = p.name === '_count' ? [] : ['99999999999999999999'];
      for (const value of ['-1', '0', '1.5', '1e2', ' 5', 'NaN', ...huge]) {
        probes.push(probe(`${p.name}=${value}`, set(value), [invalid(field)]));
      }
    }
    if (CURSOR_NAMES.has(p.name)) {
      FORGED_CURSORS.forEach((cursor, i) =>
        probes.push(
          probe(`${p.name} forged #${i}`, set(cursor), [
            // A list ordered by a name takes any name as a place to start from.
            ...(op.path.startsWith('/fhir/') ? [] : [{ status: 200 }]),
            { status: 400, code: 'request.invalid_cursor' },
            { status: 400, code: 'fhir.invalid_cursor' },
            invalid(),
          ]),
        ),
      );
    }
  }
  return probes;
}

function headerProbes(op: Operation, url: string, base: InjectOptions): Probe[] {
  return op.parameters
    .filter((p) => p.in === 'header' && p.schema.maxLength !== undefined)
    .map((p) => ({
      name: `header ${p.name} too long`,
      request: {
        ...base,
        url,
        headers: { ...base.headers, [p.name]: MARK + 'x'.repeat(p.schema.maxLength!) },
        ...(op.body?.type === 'application/json' ? { payload: {} } : {}),
      },
      expected: [invalid()],
      changesNothing: true,
    }));
}

/** Every malformed request for the operation; the caller adds who sends it. */
export function probesFor(op: Operation, ids: KnownIds, defaults: QueryDefaults = {}): Probe[] {
  const base: InjectOptions = { method: op.method, headers: {} };
  const url = urlFor(op, ids);
  return [
    ...pathProbes(op, ids, base),
    ...queryProbes(op, url, base, defaults),
    ...headerProbes(op, url, base),
    ...bodyProbes(op, url, base),
  ];
}

/** The stable code and the fields of an error, whether problem+json or a FHIR outcome. */
export interface ReadError {
  code: string;
  fields: string[];
}

const CODE = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/**
 * What is wrong with a refusal's form, or its code and fields: problem+json (RFC 9457) on
 * the API, an OperationOutcome on the FHIR facade, RFC 6749's error on the token endpoint.
 */
export function readError(response: LightMyRequestResponse, path: string): ReadError | string {
  const type = String(response.headers['content-type'] ?? '');
  let body: Record<string, unknown>;
  try {
    body = response.json();
  } catch {
    return `a body that is not JSON (${type})`;
  }
  if (response.body.includes(MARK)) return `the bad value echoed back: ${response.body}`;
  if (path === '/oauth2/token') {
    return typeof body.error === 'string' ? { code: body.error, fields: [] } : 'no error';
  }
  if (path.startsWith('/fhir/')) {
    if (!type.startsWith('application/fhir+json')) return `content-type ${type}`;
    const issues = body.issue as
      { details?: { coding?: { code: string }[] }; expression?: string[] }[] | undefined;
    const code = issues?.[0]?.details?.coding?.[0]?.code;
    if (body.resourceType !== 'OperationOutcome' || code === undefined || !CODE.test(code)) {
      return `not an OperationOutcome with a code: ${response.body}`;
    }
    return { code, fields: issues!.flatMap((i) => i.expression ?? []) };
  }
  if (!type.startsWith('application/problem+json')) return `content-type ${type}`;
  const code = body.code;
  if (typeof code !== 'string' || !CODE.test(code)) return `no stable code: ${response.body}`;
  if (body.status !== response.statusCode) return `status ${String(body.status)} in the body`;
  if (body.type !== `https://carethread.dev/problems/${code}`) return `type ${String(body.type)}`;
  const errors = (body.errors ?? []) as { field: string }[];
  return { code, fields: errors.map((e) => e.field) };
}

/** Why the answer breaks the promise, or null when it keeps it. */
export function judge(response: LightMyRequestResponse, path: string, probe: Probe): string | null {
  const status = response.statusCode;
  const snippet = response.body.slice(0, 300);
  if (status >= 500) return `${status} ${snippet}`;
  if (status < 400) {
    return probe.expected.some((o) => o.status === status)
      ? null
      : `accepted with ${status}: ${snippet}`;
  }
  const error = readError(response, path);
  if (typeof error === 'string') return `${status} ${error}`;
  // OAuth 2 answers every request it cannot read with 400 invalid_request (RFC 6749 §5.2).
  if (path === '/oauth2/token') return status === 400 || status === 401 ? null : `${status}`;
  const fhir = path.startsWith('/fhir/');
  const kept = probe.expected.some(
    (o) =>
      o.status === status &&
      // The FHIR facade speaks its own codes (fhir.*); the statuses are the contract there.
      (o.code === undefined || fhir || o.code === error.code) &&
      (o.field === undefined || error.fields.some((f) => f.startsWith(o.field!))),
  );
  if (kept) return null;
  const wanted = probe.expected.map((o) => `${o.status} ${o.code ?? '*'} ${o.field ?? ''}`);
  return `${status} ${error.code} [${error.fields.join(', ')}], wanted ${wanted.join(' | ')}`;
}
