import { asc, eq } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { organisations, teams } from '../directory/directory.schema';
import type { Patient } from './patients.contracts';
import type { PatientFacts } from './patients.policy';
import { careRelationships, patientRegistrations, patients } from './patients.schema';

type Reader = Database | Tx;

/** How a patient is named wherever staff or the patient see the name. */
export function patientName(patient: { givenName: string; familyName: string }): string {
  return `${patient.givenName} ${patient.familyName}`;
}

/** The patient record with its registrations and care teams, or null. */
export async function findPatient(db: Reader, patientId: string): Promise<Patient | null> {
  const [row] = await db.select().from(patients).where(eq(patients.id, patientId));
  if (!row) return null;
  const registered = await db
    .select({ id: organisations.id, name: organisations.name })
    .from(patientRegistrations)
    .innerJoin(organisations, eq(organisations.id, patientRegistrations.organisationId))
    .where(eq(patientRegistrations.patientId, patientId))
    .orderBy(asc(organisations.name));
  const careTeams = await db
    .select({ id: teams.id, name: teams.name })
    .from(careRelationships)
    .innerJoin(teams, eq(teams.id, careRelationships.teamId))
    .where(eq(careRelationships.patientId, patientId))
    .orderBy(asc(teams.name));
  return {
    id: row.id,
    nhsNumber: row.nhsNumber,
    givenName: row.givenName,
    familyName: row.familyName,
    dateOfBirth: row.dateOfBirth,
    email: row.email,
    identityLevel: row.identityLevel,
    organisations: registered,
    careTeams,
  };
}

export function factsFor(patient: Patient): PatientFacts {
  return {
    patientId: patient.id,
    registeredOrganisationIds: patient.organisations.map((o) => o.id),
    careTeamIds: patient.careTeams.map((t) => t.id),
  };
}
