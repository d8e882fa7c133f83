import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { AppError } from '../../platform/http/problem';
import {
  organisations,
  professionals,
  teamMemberships,
  teams,
} from '../directory/directory.schema';
import { patientRegistrations } from '../patients/patients.schema';
import type { RecipientInput } from './conversations.contracts';
import { findProfessional, findTeam } from '../directory/directory.queries';
import { availabilityAt } from '../directory/opening-hours';
import { invalid } from '../../platform/http/problem';

type Reader = Database | Tx;

/** Contactable, active teams of the organisations the patient is registered with (M1). */
function contactableTeams(db: Reader, patientId: string, only?: SQL) {
  return db
    .select({
      id: teams.id,
      name: teams.name,
      organisationName: organisations.name,
      description: teams.description,
      slug: teams.slug,
      openingHours: teams.openingHours,
    })
    .from(teams)
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .innerJoin(
      patientRegistrations,
      and(
        eq(patientRegistrations.organisationId, teams.organisationId),
        eq(patientRegistrations.patientId, patientId),
      ),
    )
    .where(and(eq(teams.active, true), eq(teams.contactable, true), only))
    .orderBy(asc(organisations.name), asc(teams.name));
}

/** Active professionals contactable through an active team of such an organisation (M1). */
function contactableProfessionals(db: Reader, patientId: string, only?: SQL) {
  return db
    .selectDistinctOn([professionals.id], {
      id: professionals.id,
      name: professionals.name,
      jobTitle: professionals.jobTitle,
      teamName: teams.name,
      organisationName: organisations.name,
    })
    .from(teamMemberships)
    .innerJoin(professionals, eq(professionals.id, teamMemberships.professionalId))
    .innerJoin(teams, eq(teams.id, teamMemberships.teamId))
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .innerJoin(
      patientRegistrations,
      and(
        eq(patientRegistrations.organisationId, teams.organisationId),
        eq(patientRegistrations.patientId, patientId),
      ),
    )
    .where(
      and(
        eq(teamMemberships.contactable, true),
        eq(professionals.active, true),
        eq(teams.active, true),
        only,
      ),
    )
    .orderBy(asc(professionals.id), asc(teams.name));
}

/**
 * Who a patient may write to: the only recipients the compose page offers, each team with
 * whether it is open at `now`, so the patient learns before sending when it will reply.
 */
export async function listMyRecipients(db: Reader, patientId: string, now: Date) {
  const people = await contactableProfessionals(db, patientId);
  const teamRows = await contactableTeams(db, patientId);
  return {
    teams: teamRows.map(({ openingHours, ...team }) => ({
      ...team,
      availability: availabilityAt(openingHours, now),
    })),
    professionals: people.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export const notContactable = (field: string) =>
  new AppError(
    422,
    'conversation.recipient_not_contactable',
    'Recipient not contactable',
    'Patients can only write to teams and staff who accept messages from patients.',
    [
      {
        field,
        code: 'conversation.recipient_not_contactable',
        message: 'You cannot send messages to this team or person directly',
      },
    ],
  );

/**
 * Refuses any recipient the patient may not address (M1). Unknown ids get the same answer as
 * non-contactable ones, so the check reveals nothing about teams the patient cannot see.
 */
export async function checkPatientRecipients(
  tx: Tx,
  patientId: string,
  recipients: RecipientInput[],
): Promise<void> {
  const teamIds = recipients.flatMap((r) => ('teamId' in r ? [r.teamId] : []));
  const professionalIds = recipients.flatMap((r) =>
    'professionalId' in r ? [r.professionalId] : [],
  );
  const allowedTeams = new Set(
    teamIds.length === 0
      ? []
      : (await contactableTeams(tx, patientId, inArray(teams.id, teamIds))).map((t) => t.id),
  );
  const allowedPeople = new Set(
    professionalIds.length === 0
      ? []
      : (
          await contactableProfessionals(tx, patientId, inArray(professionals.id, professionalIds))
        ).map((p) => p.id),
  );
  for (const [i, recipient] of recipients.entries()) {
    const ok =
      'teamId' in recipient
        ? allowedTeams.has(recipient.teamId)
        : allowedPeople.has(recipient.professionalId);
    if (!ok) throw notContactable(`body/recipients/${i}`);
  }
}

/** Staff may bring in any active team or professional of any organisation (M2). */
export async function checkActiveRecipient(
  tx: Tx,
  recipient: RecipientInput,
  field: string,
): Promise<void> {
  const active =
    'teamId' in recipient
      ? (await findTeam(tx, recipient.teamId))?.active
      : (await findProfessional(tx, recipient.professionalId))?.active;
  if (!active)
    throw invalid([
      {
        field,
        code: 'conversation.unknown_participant',
        message: 'Choose an active team or professional',
      },
    ]);
}
