import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { RequestFacts } from '../../modules/identity/actor';

const ProblemRef = Type.Ref('Problem');

/** Declares problem+json responses for the given statuses, for OpenAPI and serialisation. */
export function errorResponses(...statuses: number[]): Record<number, typeof ProblemRef> {
  return Object.fromEntries(statuses.map((status) => [status, ProblemRef]));
}

export function requestFacts(request: FastifyRequest): RequestFacts {
  return { requestId: request.id, clientAddress: request.ip };
}

export const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/** Ids in their one canonical form (lower-case uuid), so string comparison is identity. */
export const IdParam = Type.String({ pattern: UUID_PATTERN, description: 'A lower-case UUID' });

/** Opaque keyset cursors and page sizes shared by every list. */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$' })),
};

export function pageLimit(raw: string | undefined, fallback = 50, max = 200): number {
  return Math.min(raw === undefined ? fallback : Number(raw), max);
}

/** Text that must contain something other than spaces. */
export const NOT_BLANK = '\\S';
