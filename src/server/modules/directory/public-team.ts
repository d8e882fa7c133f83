import { and, asc, eq, ne } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problem';
import { organisations, teams } from './directory.schema';
import { OTHER_TEAMS_SHOWN, type PublicTeam } from './public-team.contracts';
import { type Availability, availabilityAt } from './opening-hours';

/** A team's public facts by its slug, with whether it is open at `now`. */
export async function getPublicTeam(
  db: Database | Tx,
  slug: string,
  now: Date,
): Promise<PublicTeam> {
  const [row] = await db
    .select({
      id: teams.id,
      organisationId: teams.organisationId,
      slug: teams.slug,
      name: teams.name,
      organisationName: organisations.name,
      description: teams.description,
      phone: teams.phone,
      openingHours: teams.openingHours,
      replyWithinWorkingDays: teams.replyWithinWorkingDays,
      contactable: teams.contactable,
      active: teams.active,
    })
    .from(teams)
    .innerJoin(organisations, eq(organisations.id, teams.organisationId))
    .where(eq(teams.slug, slug));
  if (!row) throw notFound('team.not_found', 'Team not found');
  const { contactable, active, id, organisationId, ...facts } = row;
  const availability: Availability | null = active ? availabilityAt(row.openingHours, now) : null;
  // A team no longer taking messages points patients to those of its organisation that do.
  const otherTeams = active
    ? []
    : await db
        .select({ slug: teams.slug, name: teams.name })
        .from(teams)
        .where(
          and(
            eq(teams.organisationId, organisationId),
            ne(teams.id, id),
            eq(teams.active, true),
            eq(teams.contactable, true),
          ),
        )
        .orderBy(asc(teams.name))
        .limit(OTHER_TEAMS_SHOWN);
  return {
    ...facts,
    canMessage: contactable && active,
    active,
    otherTeams,
    availability,
    timeZone: 'Europe/London',
  };
}
