import { eq } from 'drizzle-orm';
import { recordAudit, systemAudit } from '../platform/audit/audit';
import { type Database, withTransaction } from '../platform/db/database';
import {
  escalationPathwaySteps,
  organisations,
  professionals,
  teamMemberships,
  teams,
} from '../modules/directory/directory.schema';
import { createPasswordUser } from '../modules/identity/identity.commands';
import { hashPassword } from '../modules/identity/passwords';
import {
  careRelationships,
  patientRegistrations,
  patients,
} from '../modules/patients/patients.schema';
import { carerConsents } from '../modules/consent/consent.schema';
import { users } from '../modules/identity/identity.schema';
import { secretHash } from '../modules/integrations/integrations.commands';
import {
  INTEGRATION_SCOPES,
  integrationClients,
} from '../modules/integrations/integrations.schema';
import { seedDemoAppointments } from './demo-appointments';
import {
  DEMO_CARERS,
  DEMO_CONNECTED_SYSTEM,
  DEMO_ORGANISATION,
  DEMO_PASSWORD,
  DEMO_PATIENTS,
  DEMO_TEAMS,
} from './demo-data';

/**
 * Seeds the demo organisation once. Re-running finds it already there and changes nothing,
 * so whatever a demo user changed survives restarts.
 */
export async function seedDemo(db: Database, now: Date): Promise<'seeded' | 'present'> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return withTransaction(db, async (tx) => {
    const [existing] = await tx
      .select()
      .from(organisations)
      .where(eq(organisations.slug, DEMO_ORGANISATION.slug));
    if (existing) return 'present';
    const [organisation] = await tx.insert(organisations).values(DEMO_ORGANISATION).returning();
    if (!organisation) throw new Error('demo organisation insert returned nothing');

    const teamIds = new Map<string, string>();
    for (const demoTeam of DEMO_TEAMS) {
      const { staff, pathway: _pathway, ...fields } = demoTeam; // pathways once all teams exist
      const [team] = await tx
        .insert(teams)
        .values({ ...fields, organisationId: organisation.id })
        .returning();
      if (!team) throw new Error('demo team insert returned nothing');
      teamIds.set(team.slug, team.id);
      for (const person of staff) {
        const [professional] = await tx
          .insert(professionals)
          .values({
            organisationId: organisation.id,
            name: person.name,
            jobTitle: person.jobTitle,
            email: person.email,
          })
          .returning();
        if (!professional) throw new Error('demo professional insert returned nothing');
        await tx.insert(teamMemberships).values({
          teamId: team.id,
          professionalId: professional.id,
          role: person.role,
          contactable: person.contactable ?? false,
        });
        await createPasswordUser(
          tx,
          { professionalId: professional.id },
          person.email,
          passwordHash,
        );
      }
    }
    for (const demoTeam of DEMO_TEAMS) {
      for (const [position, step] of (demoTeam.pathway ?? []).entries()) {
        await tx.insert(escalationPathwaySteps).values({
          teamId: teamIds.get(demoTeam.slug)!,
          position,
          line: step.line,
          targetTeamId: teamIds.get(step.slug)!,
        });
      }
    }
    for (const { careTeams, ...fields } of DEMO_PATIENTS) {
      const [patient] = await tx.insert(patients).values(fields).returning();
      if (!patient) throw new Error('demo patient insert returned nothing');
      await tx
        .insert(patientRegistrations)
        .values({ patientId: patient.id, organisationId: organisation.id });
      for (const slug of careTeams) {
        await tx
          .insert(careRelationships)
          .values({ patientId: patient.id, teamId: teamIds.get(slug)! });
      }
      await createPasswordUser(tx, { patientId: patient.id }, fields.email, passwordHash);
    }
    const patientIds = new Map<string, string>();
    for (const row of await tx.select({ id: patients.id, email: patients.email }).from(patients)) {
      if (row.email) patientIds.set(row.email, row.id);
    }
    for (const carer of DEMO_CARERS) {
      const carerPatientId = patientIds.get(carer.carerEmail)!;
      const [carerUser] = await tx
        .select({ id: users.id })
        .from(users)
        .where(eq(users.patientId, carerPatientId));
      await tx.insert(carerConsents).values({
        patientId: patientIds.get(carer.patientEmail)!,
        carerUserId: carerUser!.id,
        carerPatientId,
        level: carer.level,
        startsAt: now,
        createdAt: now,
      });
    }
    await seedDemoAppointments(tx, organisation.id, now);
    await tx.insert(integrationClients).values({
      id: DEMO_CONNECTED_SYSTEM.clientId,
      organisationId: organisation.id,
      name: DEMO_CONNECTED_SYSTEM.name,
      secretHash: secretHash(DEMO_CONNECTED_SYSTEM.clientSecret),
      scopes: [...INTEGRATION_SCOPES],
      createdAt: now,
    });
    await recordAudit(tx, systemAudit('Demo seed', now), {
      action: 'demo.seeded',
      entityType: 'organisation',
      entityId: organisation.id,
      organisationId: organisation.id,
    });
    return 'seeded';
  });
}
