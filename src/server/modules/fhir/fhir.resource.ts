import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../platform/deps';
import type { IntegrationActor } from '../integrations/integrations.tokens';
import type { IntegrationScope } from '../integrations/integrations.schema';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The scope a FHIR route needs, set from its resource's `scope` when the route is added;
     * routes of no resource (metadata, discovery) need no token.
     */
    fhirScope?: IntegrationScope;
    /** A route that answers in a content type of its own whatever the Accept header (Binary). */
    fhirOwnContentType?: boolean;
  }
  interface FastifyRequest {
    /** The connected system behind the bearer token of a FHIR request. */
    integration: IntegrationActor | null;
  }
}

export interface SearchParamDefinition {
  name: string;
  type: 'token' | 'reference' | 'date' | 'string';
  documentation: string;
}

/** One resource type of the FHIR facade: its routes and what the CapabilityStatement says of it. */
export interface FhirResource {
  type: string;
  scope: IntegrationScope;
  interactions: ('create' | 'read' | 'update' | 'search-type' | 'delete')[];
  searchParams: SearchParamDefinition[];
  /** Routes relative to the FHIR base (/fhir/R4). */
  routes: (deps: AppDeps, base: string) => FastifyPluginAsyncTypebox;
}

/** The connected system of a request on a route that has a scope (the plugin has checked it). */
export function clientOf(request: FastifyRequest): IntegrationActor {
  if (!request.integration) throw new Error('A FHIR route with a scope ran without a client');
  return request.integration;
}

/**
 * The ETag of a resource that has a version (its `meta.versionId`), weak as FHIR has it:
 * `W/"<versionId>"`. Undefined for anything else (a Bundle, an OperationOutcome).
 */
export function versionTag(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || !('meta' in payload)) return undefined;
  const { meta } = payload;
  if (typeof meta !== 'object' || meta === null || !('versionId' in meta)) return undefined;
  return typeof meta.versionId === 'string' ? `W/"${meta.versionId}"` : undefined;
}
