import { sql } from 'drizzle-orm';
import { type AuditEntry, recordAudit } from '../../platform/audit/audit';
import { queryRows, type Tx } from '../../platform/db/database';
import type { RequestFacts } from '../identity/actor';
import { integrationAudit, type IntegrationActor } from '../integrations/integrations.tokens';
import { organisationsLookingAfter } from '../patients/patients.care';

/** Why a connected system may read a record, as the audit trail and the patient's log say it. */
export const CONNECTED_SYSTEM_BASIS = 'connected_system';

/**
 * A connected system reads the records its organisation looks after: those with a care
 * relationship to one of its active teams (C2), as staff lose a record with their team.
 * Patients' own time-limited grants to a team, and emergency access, are for people, not
 * systems.
 */
export async function mayReadRecord(
  tx: Tx,
  client: IntegrationActor,
  patientId: string,
): Promise<boolean> {
  const [row] = await queryRows<{ allowed: boolean }>(
    tx,
    sql`select ${client.organisationId}::uuid in (${organisationsLookingAfter(patientId)}) as allowed`,
  );
  return row?.allowed === true;
}

/** Audits one read by a connected system in the patient's chain (C4), with its basis. */
export async function auditSystemRead(
  tx: Tx,
  client: IntegrationActor,
  request: RequestFacts,
  now: Date,
  entry: AuditEntry,
): Promise<void> {
  await recordAudit(tx, integrationAudit(client, request, now), {
    ...entry,
    details: { ...entry.details, basis: CONNECTED_SYSTEM_BASIS, clientId: client.clientId },
  });
}
