import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { request } from '../../api/client';

/** What a connected system may read through the FHIR API (SMART "system" scopes). */
export type IntegrationScope =
  | 'system/Patient.read'
  | 'system/Communication.read'
  | 'system/Task.read'
  | 'system/Appointment.read'
  | 'system/RelatedPerson.read'
  | 'system/Consent.read'
  | 'system/CareTeam.read'
  | 'system/DocumentReference.read'
  | 'system/AuditEvent.read'
  | 'system/Subscription.*';

/** A hospital system connected to the FHIR API for one organisation (listIntegrationClients). */
export interface IntegrationClient {
  /** The OAuth 2 client_id. */
  clientId: string;
  organisationId: string;
  name: string;
  scopes: IntegrationScope[];
  createdAt: string;
  /** The coordinator who connected it, if they are still known. */
  createdBy: string | null;
  /** When it was disconnected; null while it is connected. */
  revokedAt: string | null;
  /** Where it asked to be told of new messages (its FHIR subscriptions), and how that goes. */
  notifications: NotificationTarget[];
}

export interface NotificationTarget {
  subscriptionId: string;
  /** The endpoint's host only: a path or query may hold the receiver's own keys. */
  host: string;
  state: 'working' | 'retrying' | 'stopped' | 'ended';
  /** Why the last notifications failed (a status or an error code), if they did. */
  problem: string | null;
}

export interface ConnectSystemInput {
  name: string;
  scopes: IntegrationScope[];
}

/** The one answer that carries the secret: only its hash is kept, so it is never shown again. */
export interface ConnectedSystem {
  client: IntegrationClient;
  clientSecret: string;
}

const clientsPath = (organisationId: string) =>
  `/organisations/${encodeURIComponent(organisationId)}/integration-clients`;

export const listIntegrationClients = (organisationId: string) =>
  request<{ items: IntegrationClient[] }>('GET', clientsPath(organisationId));

export const createIntegrationClient = (organisationId: string, input: ConnectSystemInput) =>
  request<ConnectedSystem>('POST', clientsPath(organisationId), input);

export const revokeIntegrationClient = (clientId: string) =>
  request<void>('DELETE', `/integration-clients/${encodeURIComponent(clientId)}`);

export const integrationKeys = {
  all: ['integration-clients'] as const,
  list: (organisationId: string) => ['integration-clients', organisationId] as const,
};

export function useIntegrationClients(organisationId: string, enabled = true) {
  return useQuery({
    queryKey: integrationKeys.list(organisationId),
    queryFn: async () => (await listIntegrationClients(organisationId)).items,
    retry: false,
    enabled,
  });
}

export function useDisconnectSystem(organisationId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: revokeIntegrationClient,
    // Waits for the fresh list, so the page it returns to already shows "Disconnected".
    onSuccess: () => client.invalidateQueries({ queryKey: integrationKeys.list(organisationId) }),
  });
}
