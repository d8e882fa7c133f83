import type { FastifyRequest } from 'fastify';
import Negotiator from 'negotiator';
import { fhirError } from './fhir.outcome';

/**
 * What the facade writes, as an Accept range must allow it: FHIR JSON or plain JSON, of R4
 * (FHIR's `fhirVersion` parameter is major.minor), in UTF-8. Negotiator takes a range only
 * when each of its parameters matches one of these, so `application/fhir+json; fhirVersion=4.0`
 * is served and `fhirVersion=3.0` is not; it also honours q-values, the most specific range
 * deciding (any type but plain JSON at q=0 refuses plain JSON).
 */
const SERVED = [
  'application/fhir+json; charset=utf-8; fhirVersion=4.0',
  'application/json; charset=utf-8; fhirVersion=4.0',
];

/** FHIR's short `_format` for JSON; `xml`, `ttl` and `html` have no slash, so nothing serves them. */
const SHORT_JSON = 'json';

/** Whether an Accept header lets the facade answer in JSON. None (or empty) takes anything. */
export function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return new Negotiator({ headers: { accept } }).mediaType(SERVED) !== undefined;
}

/**
 * FHIR's `_format` parameter, which overrides Accept: `json` or a media type (parameters
 * allowed) read like an Accept range; repeated, any of them. Undefined when not given.
 */
function formatAsAccept(format: unknown): string | undefined {
  if (format === undefined) return undefined;
  const values = (Array.isArray(format) ? format : [format]).map(String);
  return values
    .map((value) => (value.trim() === SHORT_JSON ? 'application/json' : value))
    .join(', ');
}

/**
 * Refuses (406, as FHIR asks of a server that cannot give the format asked for) a request that
 * will take neither FHIR JSON nor JSON, by `_format` or else by Accept. `_format` is then taken
 * off the query: a general parameter of every interaction, not a search parameter for a route's
 * strict schema to refuse.
 */
export function requireJson(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined;
  const format = formatAsAccept(query?._format);
  if (query && format !== undefined) delete query._format;
  // An empty _format asks for nothing, unlike an empty Accept (which is taken as none).
  const acceptable =
    format === undefined
      ? acceptsJson(request.headers.accept)
      : format.trim() !== '' && acceptsJson(format);
  if (!acceptable) {
    throw fhirError(
      406,
      'fhir.not_acceptable',
      'This server answers in FHIR JSON only: accept application/fhir+json or application/json.',
    );
  }
}
