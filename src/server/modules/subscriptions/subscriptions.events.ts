import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../../platform/db/database';
import { notifyOnCommit, writeOnCommit } from '../../platform/db/on-commit';
import { OUTBOX_CHANNEL } from '../../platform/outbox/outbox';
import { integrationClients } from '../integrations/integrations.schema';
import { organisationsLookingAfter } from '../patients/patients.care';
import { fhirSubscriptionEvents, fhirSubscriptions } from './subscriptions.schema';

/** A system is told of new messages only if it may read them: the scope its coordinator gave. */
export const MESSAGES_SCOPE = 'system/Communication.read';

/**
 * The subscriptions whose system may read a record now: active, not ended, of a connected
 * system that holds the messages scope, in an organisation that looks after the patient
 * (`organisationsLookingAfter`, the rule `mayReadRecord` uses for a read). The subquery is
 * the patient's few care relationships, so the active subscriptions' index does the rest.
 */
export function readableBy(patientId: AnyColumn | string, now: Date): SQL {
  const s = fhirSubscriptions;
  return sql`${s.status} = 'active' and (${s.endsAt} is null or ${s.endsAt} > ${now})
    and ${s.organisationId} in (${organisationsLookingAfter(patientId)})
    and exists (
      select 1 from ${integrationClients}
      where ${integrationClients.id} = ${s.clientId} and ${integrationClients.revokedAt} is null
        and ${MESSAGES_SCOPE} = any(${integrationClients.scopes})
    )`;
}

/**
 * Queues "a new message" for every Communication subscription that may read it. Written
 * with the message, just before commit (no round trip of its own), so no event is lost or
 * told early; the delivery worker is woken on the outbox's channel.
 */
export async function queueMessageEvent(
  tx: Tx,
  event: { messageId: string; patientId: string },
  now: Date,
): Promise<void> {
  const s = fhirSubscriptions;
  const focus = `Communication/${event.messageId}`;
  await writeOnCommit(
    tx,
    sql`insert into ${fhirSubscriptionEvents} (subscription_id, focus, patient_id, created_at)
      select ${s.id}, ${focus}, ${event.patientId}, ${now} from ${s}
      where ${s.criteria} = 'Communication' and ${readableBy(event.patientId, now)}`,
  );
  await notifyOnCommit(tx, OUTBOX_CHANNEL, '');
}
