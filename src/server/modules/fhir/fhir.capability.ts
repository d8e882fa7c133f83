import Type from 'typebox';
import { INTEGRATION_SCOPES } from '../integrations/integrations.schema';
import type { FhirResource } from './fhir.resource';

/** What the facade offers (GET metadata): resources, their interactions and search parameters. */
export function capabilityStatement(resources: FhirResource[], base: string, tokenUrl: string) {
  return {
    resourceType: 'CapabilityStatement' as const,
    status: 'active' as const,
    date: '2026-11-26',
    kind: 'instance' as const,
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    implementation: {
      description: 'Carethread FHIR API (reads, and subscriptions to new messages)',
      url: base,
    },
    rest: [
      {
        mode: 'server' as const,
        security: {
          service: [
            {
              coding: [
                {
                  system: 'http://terminology.hl7.org/CodeSystem/restful-security-service',
                  code: 'SMART-on-FHIR',
                },
              ],
            },
          ],
          description: `OAuth 2 client credentials at ${tokenUrl}; bearer tokens with system/<Resource>.read scopes, and system/Subscription.* to manage subscriptions.`,
        },
        resource: resources.map((resource) => ({
          type: resource.type,
          interaction: resource.interactions.map((code) => ({ code })),
          searchParam: resource.searchParams,
        })),
      },
    ],
  };
}

export const CapabilityStatementSchema = Type.Object(
  {
    resourceType: Type.Literal('CapabilityStatement'),
    status: Type.Literal('active'),
    date: Type.String(),
    kind: Type.Literal('instance'),
    fhirVersion: Type.String(),
    format: Type.Array(Type.String()),
    implementation: Type.Object({ description: Type.String(), url: Type.String() }),
    rest: Type.Array(
      Type.Object({
        mode: Type.Literal('server'),
        security: Type.Object({
          service: Type.Array(
            Type.Object({
              coding: Type.Array(Type.Object({ system: Type.String(), code: Type.String() })),
            }),
          ),
          description: Type.String(),
        }),
        resource: Type.Array(
          Type.Object({
            type: Type.String(),
            interaction: Type.Array(Type.Object({ code: Type.String() })),
            searchParam: Type.Array(
              Type.Object({
                name: Type.String(),
                type: Type.String(),
                documentation: Type.String(),
              }),
            ),
          }),
        ),
      }),
    ),
  },
  { title: 'CapabilityStatement' },
);

/** SMART's discovery document for backend services (GET .well-known/smart-configuration). */
export function smartConfiguration(tokenUrl: string) {
  return {
    token_endpoint: tokenUrl,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: [...INTEGRATION_SCOPES],
    capabilities: ['client-confidential-symmetric'],
  };
}

export const SmartConfigurationSchema = Type.Object({
  token_endpoint: Type.String(),
  grant_types_supported: Type.Array(Type.String()),
  token_endpoint_auth_methods_supported: Type.Array(Type.String()),
  scopes_supported: Type.Array(Type.String()),
  capabilities: Type.Array(Type.String()),
});
