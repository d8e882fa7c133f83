import type { InjectOptions } from 'fastify';
import {
  againstPattern,
  invalid,
  type JsonSchema,
  MARK,
  type Operation,
  type Outcome,
  type Probe,
} from './openapi-operations';

/** Malformed bodies for an operation, from its request body's schema (decision 0004). */

/** A value of the wrong JSON type for the schema, or undefined when any type would do. */
function wrongType(schema: JsonSchema): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return 42;
    case 'integer':
    case 'number':
      return MARK;
    case 'boolean':
      return 'yes';
    case 'array':
      return { [MARK]: true };
    case 'object':
      return [MARK];
  }
  if (schema.enum || schema.const !== undefined) return MARK;
  return undefined;
}

/** Values that break one of the schema's own limits, each with a name. */
function outOfBounds(schema: JsonSchema): [string, unknown][] {
  const found: [string, unknown][] = [];
  const wrong = wrongType(schema);
  if (wrong !== undefined) found.push(['wrong type', wrong]);
  if (schema.type === 'string') {
    if (schema.maxLength !== undefined && schema.maxLength < 200_000) {
      found.push(['too long', MARK + 'x'.repeat(schema.maxLength)]);
    }
    const breaking =
      schema.pattern !== undefined ? againstPattern(schema.pattern) : schema.format && MARK;
    if (breaking !== undefined) found.push(['against its pattern', breaking]);
    found.push(['NUL', `${MARK}\u0000`]);
  }
  if (schema.type === 'integer' || schema.type === 'number') {
    if (schema.minimum !== undefined) found.push(['below minimum', schema.minimum - 1]);
    if (schema.maximum !== undefined) found.push(['above maximum', schema.maximum + 1]);
    if (schema.type === 'integer') found.push(['fraction', 1.5]);
    found.push(['huge', 1e308]);
  }
  if (schema.type === 'object' && schema.additionalProperties === false) {
    found.push(['unknown nested field', { zz_unknown: MARK }]);
  }
  if (schema.type === 'array') {
    const items = schema.items ?? {};
    const nested = items.anyOf ?? items.oneOf ?? [items];
    if (nested.some((s) => s.type === 'object' && s.additionalProperties === false)) {
      found.push(['unknown field in an item', [{ zz_unknown: MARK }]]);
    }
    const item = wrongType(items);
    if (item !== undefined) found.push(['wrong item type', [item]]);
    if (schema.maxItems !== undefined && schema.maxItems < 10_000) {
      found.push(['too many items', Array.from({ length: schema.maxItems + 1 }, () => MARK)]);
    }
  }
  return found;
}

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

export function bodyProbes(op: Operation, url: string, base: InjectOptions): Probe[] {
  // Fastify reads no body on a GET, so there is nothing there to refuse.
  if (op.method === 'GET') return [];
  const probe = (name: string, request: InjectOptions, expected: Outcome[]): Probe => ({
    name: `body ${name}`,
    request: { ...base, url, ...request },
    expected,
    changesNothing: true,
  });
  const raw = (type: string, payload: string): InjectOptions => ({
    headers: { ...base.headers, 'content-type': type },
    payload,
  });
  const unsupported = [{ status: 415 }];
  // Where only a form is read, JSON, broken or not, is a type it does not take.
  const malformed =
    op.body?.type === 'application/x-www-form-urlencoded'
      ? unsupported
      : [{ status: 400, code: 'request.malformed' }];
  // Any operation, whatever it takes, refuses bodies it cannot read before it acts.
  const probes = [
    probe('broken JSON', raw('application/json', `{"${MARK}": `), malformed),
    probe('empty JSON', raw('application/json', ''), malformed),
    probe('plain text', raw('text/plain', MARK), unsupported),
    probe('XML', raw('application/xml', `<${MARK}/>`), unsupported),
    probe('no type', { headers: { ...base.headers }, payload: Buffer.from(MARK) }, unsupported),
  ];
  if (op.body?.type === 'application/x-www-form-urlencoded') {
    probes.push(probe('JSON where a form is due', { payload: { [MARK]: 1 } }, unsupported));
    return probes;
  }
  if (op.body?.type !== 'application/json') return probes;
  const { schema } = op.body;
  probes.push(
    probe('deeply nested JSON', raw('application/json', nested(5000)), [
      ...malformed,
      invalid('body'),
    ]),
    probe('prototype poisoning', raw('application/json', `{"__proto__": {"x": "${MARK}"}}`), [
      { status: 400 },
    ]),
  );
  for (const [name, payload] of [
    ['array', '[]'],
    ['string', JSON.stringify(MARK)],
    ['number', '42'],
    ['null', 'null'],
    ['true', 'true'],
  ] as const) {
    probes.push(probe(`a bare ${name}`, raw('application/json', payload), [invalid('body')]));
  }
  if (schema.additionalProperties === false) {
    probes.push(
      probe('unknown field', { payload: { zz_unknown: MARK } }, [
        { status: 400, code: 'request.invalid', field: 'body/zz_unknown' },
      ]),
    );
  }
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    for (const [what, value] of outOfBounds(property)) {
      probes.push(
        probe(`${name}: ${what}`, { payload: { [name]: value } }, [invalid(`body/${name}`)]),
      );
    }
  }
  return probes;
}
