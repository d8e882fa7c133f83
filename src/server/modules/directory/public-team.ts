import { eq } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { notFound } from '../../platform/http/problem';
import { organisations, teams } from './directory.schema';
import type { PublicTeam } from './public-team.contracts';
import { type Availability, availabilityAt } from './opening-hours';

/** A team's public facts by its slug, with whether it is open at `now`. */
export async function getPublicTeam(
  db: Database | Tx,
  slug: string,
  now: Date,
): Promise<PublicTeam> {
  const [row] = await db
    .select({
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
  const { contactable, active, ...facts } = row;
  const availability: Availability | null = active ? availabilityAt(row.openingHours, now) : null;
  return { ...facts, canMessage: contactable && active, availability, timeZone: 'Europe/London' };
}
