import Type from 'typebox';
import { IdParam, NOT_BLANK } from '../../platform/http/routes';
import { INTEGRATION_SCOPES } from './integrations.schema';

export const ScopeSchema = Type.Enum(INTEGRATION_SCOPES, {
  description: 'What the system may read through the FHIR API',
});

export const CreateIntegrationClientBody = Type.Object(
  {
    // Not blank, and one line of text: no control characters (NUL cannot be stored at all).
    name: Type.Intersect(
      [
        Type.String({ minLength: 1, maxLength: 100, pattern: NOT_BLANK }),
        Type.String({ pattern: '^[^\\x00-\\x1F\\x7F]*$' }),
      ],
      { description: 'What staff and patients will see in audit trails, e.g. "Ward EPR"' },
    ),
    scopes: Type.Array(ScopeSchema, { minItems: 1, uniqueItems: true }),
  },
  { additionalProperties: false },
);
export type CreateIntegrationClientInput = Type.Static<typeof CreateIntegrationClientBody>;

export const NotificationTargetSchema = Type.Object({
  subscriptionId: Type.String(),
  host: Type.String({
    description: 'Where the system asked to be told of new messages: the host only',
  }),
  state: Type.Enum(['working', 'retrying', 'stopped', 'ended'], {
    description: 'working; retrying after a failure; stopped after failing again and again; ended',
  }),
  problem: Type.Union([Type.String(), Type.Null()], {
    description: 'Why the last notifications failed (a status or an error code), if they did',
  }),
});

export const IntegrationClientSchema = Type.Object({
  clientId: Type.String({ description: 'The OAuth 2 client_id' }),
  organisationId: Type.String(),
  name: Type.String(),
  scopes: Type.Array(ScopeSchema),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  notifications: Type.Array(NotificationTargetSchema, {
    description:
      'The system’s FHIR subscriptions: where it is told of new messages (decision 0023)',
  }),
});
export type IntegrationClient = Type.Static<typeof IntegrationClientSchema>;

export const CreatedIntegrationClientSchema = Type.Object({
  client: IntegrationClientSchema,
  clientSecret: Type.String({
    description: 'Shown once: only its hash is kept. Lost secrets mean a new client.',
  }),
});

export const IntegrationClientListSchema = Type.Object({
  items: Type.Array(IntegrationClientSchema),
});

export const OrganisationParams = Type.Object(
  { organisationId: IdParam },
  { additionalProperties: false },
);
export const ClientParams = Type.Object({ clientId: IdParam }, { additionalProperties: false });
