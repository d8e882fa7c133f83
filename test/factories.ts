import { randomUUID } from 'node:crypto';
import type { Database } from '../src/server/platform/db/database';
import { withTransaction } from '../src/server/platform/db/database';
import {
  organisations,
  professionals,
  type Role,
  teamMemberships,
  teams,
} from '../src/server/modules/directory/directory.schema';
import { createPasswordUser } from '../src/server/modules/identity/identity.commands';
import { hashPassword } from '../src/server/modules/identity/passwords';
import {
  careRelationships,
  patientRegistrations,
  patients,
} from '../src/server/modules/patients/patients.schema';

export const TEST_PASSWORD = 'correct horse battery staple';
const passwordHash = hashPassword(TEST_PASSWORD);
const unique = () => randomUUID().slice(0, 8);

/** Typed factories: each builds exactly what a test names, with unique defaults. */
export async function createOrganisation(db: Database, name = `Trust ${unique()}`) {
  const [row] = await db
    .insert(organisations)
    .values({ name, slug: `org-${unique()}` })
    .returning();
  return row!;
}

export async function createTeam(
  db: Database,
  organisationId: string,
  fields: Partial<typeof teams.$inferInsert> = {},
) {
  const [row] = await db
    .insert(teams)
    .values({
      organisationId,
      name: `Team ${unique()}`,
      slug: `team-${unique()}`,
      contactable: true,
      ...fields,
    })
    .returning();
  return row!;
}

/** A professional with a password sign-in and the given memberships. */
export async function createProfessional(
  db: Database,
  organisationId: string,
  memberships: { teamId: string; role: Role; contactable?: boolean }[] = [],
  fields: Partial<typeof professionals.$inferInsert> = {},
) {
  const email = fields.email ?? `staff-${unique()}@example.test`;
  const hash = await passwordHash;
  return withTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(professionals)
      .values({ organisationId, name: `Staff ${unique()}`, jobTitle: 'Nurse', email, ...fields })
      .returning();
    for (const m of memberships) {
      await tx
        .insert(teamMemberships)
        .values({ professionalId: row!.id, contactable: false, ...m });
    }
    await createPasswordUser(tx, { professionalId: row!.id }, email, hash);
    return { ...row!, email };
  });
}

/** A patient with a password sign-in, registered with the given organisations. */
export async function createPatient(
  db: Database,
  organisationIds: string[],
  fields: Partial<typeof patients.$inferInsert> & { careTeamIds?: string[] } = {},
) {
  const { careTeamIds = [], ...patientFields } = fields;
  const email = patientFields.email ?? `patient-${unique()}@example.test`;
  const hash = await passwordHash;
  return withTransaction(db, async (tx) => {
    const [row] = await tx
      .insert(patients)
      .values({
        nhsNumber: patientFields.nhsNumber ?? randomTestNhsNumber(),
        givenName: 'Pat',
        familyName: `Ient${unique()}`,
        dateOfBirth: '1970-01-01',
        identityLevel: 'P9',
        ...patientFields,
        email,
      })
      .returning();
    for (const organisationId of organisationIds) {
      await tx.insert(patientRegistrations).values({ patientId: row!.id, organisationId });
    }
    for (const teamId of careTeamIds) {
      await tx.insert(careRelationships).values({ patientId: row!.id, teamId });
    }
    await createPasswordUser(tx, { patientId: row!.id }, email, hash);
    return { ...row!, email };
  });
}

/** A valid NHS number in the 999 test range, different on each call. */
export function randomTestNhsNumber(): string {
  for (;;) {
    const body = `999${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
    const sum = [...body].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
    const check = (11 - (sum % 11)) % 11;
    if (check !== 10) return `${body}${check}`;
  }
}
