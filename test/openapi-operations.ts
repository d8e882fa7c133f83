import type { FastifyInstance, InjectOptions } from 'fastify';

/**
 * The operations of the app's own OpenAPI document, and what a probe of one of them is: a
 * malformed request and the answers the contract allows it (DESIGN §5, decision 0004).
 */

export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  pattern?: string;
  format?: string;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  $ref?: string;
}

export interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  schema: JsonSchema;
}

export interface Operation {
  method: string;
  path: string;
  operationId: string;
  tags: string[];
  parameters: Parameter[];
  /** The request body's media type and schema, when it takes one. */
  body?: { type: string; schema: JsonSchema };
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'];

interface RawOperation {
  operationId: string;
  tags?: string[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
}

/** Every operation the app documents, with its schemas' references resolved. */
export async function documentedOperations(app: FastifyInstance): Promise<Operation[]> {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json<{
    paths: Record<string, Record<string, RawOperation>>;
    components: { schemas: Record<string, JsonSchema> };
  }>();
  const resolve = (schema: JsonSchema): JsonSchema => {
    if (schema.$ref === undefined) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    return doc.components.schemas[name] ?? schema;
  };
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, raw]) => {
        const [bodyType, media] = Object.entries(raw.requestBody?.content ?? {})[0] ?? [];
        return {
          method: method.toUpperCase(),
          path,
          operationId: raw.operationId,
          tags: raw.tags ?? [],
          parameters: (raw.parameters ?? []).map((p) => ({ ...p, schema: resolve(p.schema) })),
          ...(bodyType && media ? { body: { type: bodyType, schema: resolve(media.schema) } } : {}),
        };
      }),
  );
}

/** Put in every wrong value: an error that echoes it back would show the caller's data. */
export const MARK = 'zqxmark';

/** An answer a probe may get: its status, its code (any when absent) and a field it names. */
export interface Outcome {
  status: number;
  code?: string;
  field?: string;
}

export interface Probe {
  name: string;
  request: InjectOptions;
  expected: Outcome[];
  /** False for a well-formed request (an id nobody has) that may be refused with an audit. */
  changesNothing: boolean;
}

export const matches = (pattern: string | undefined, value: string) =>
  pattern === undefined || new RegExp(pattern, 'u').test(value);

/** A string its pattern refuses (blank, for "must not be blank"), if one of these is. */
export function againstPattern(pattern: string): string | undefined {
  return [`${MARK} !`, '   ', `!${MARK}`, ''].find((value) => !matches(pattern, value));
}

export const invalid = (field?: string): Outcome => ({
  status: 400,
  code: 'request.invalid',
  ...(field !== undefined ? { field } : {}),
});
