import { type AnyColumn, type SQL, sql } from 'drizzle-orm';
import { teams } from '../directory/directory.schema';
import { careRelationships } from './patients.schema';

/**
 * The organisations that look after a patient: those with a care relationship to the patient
 * through one of their active teams (C2), as a subquery. What a connected system may read
 * (`mayReadRecord`) and what its subscriptions are told of (`readableBy`) both rest on it.
 */
export function organisationsLookingAfter(patientId: AnyColumn | string): SQL {
  return sql`select ${teams.organisationId} from ${careRelationships}
    join ${teams} on ${teams.id} = ${careRelationships.teamId}
    where ${careRelationships.patientId} = ${patientId} and ${teams.active}`;
}
