import Type from 'typebox';
import { WEEKDAYS } from './directory.schema';

/** How many of the organisation's other teams an inactive team's page lists. */
export const OTHER_TEAMS_SHOWN = 20;

export const AvailabilitySchema = Type.Union([
  Type.Object({
    openNow: Type.Boolean(),
    closesAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    nextOpening: Type.Union([
      Type.Object({
        at: Type.String({ format: 'date-time' }),
        day: Type.Enum(WEEKDAYS),
        time: Type.String(),
      }),
      Type.Null(),
    ]),
  }),
  Type.Null(),
]);

/**
 * What anyone may know about a team, signed in or not: the facts its web page shows. This
 * schema is the allow-list — no ids, members or anything about who writes to the team.
 */
export const PublicTeamSchema = Type.Object({
  slug: Type.String(),
  name: Type.String(),
  organisationName: Type.String(),
  description: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()]),
  openingHours: Type.Array(
    Type.Object({ day: Type.Enum(WEEKDAYS), opens: Type.String(), closes: Type.String() }),
  ),
  replyWithinWorkingDays: Type.Union([Type.Integer(), Type.Null()]),
  /** Whether patients can message the team through Carethread: contactable and active. */
  canMessage: Type.Boolean(),
  /**
   * False once the organisation has made the team inactive: it takes no more messages, and
   * its page says so plainly rather than only "you cannot message this team".
   */
  active: Type.Boolean(),
  /**
   * Where to write instead, for a team that is no longer active: the organisation's teams that
   * patients can message now, by name (and their pages' slugs). Empty for an active team.
   */
  otherTeams: Type.Array(Type.Object({ slug: Type.String(), name: Type.String() }), {
    maxItems: OTHER_TEAMS_SHOWN,
  }),
  availability: AvailabilitySchema,
  /** Opening hours are UK wall-clock times. */
  timeZone: Type.Literal('Europe/London'),
});
export type PublicTeam = Type.Static<typeof PublicTeamSchema>;

/**
 * A team's slug, in any case: slugs are lower case, but a leaflet or a website may print the
 * address with capitals (/t/Cardiology-Nurses), and it names the same team.
 */
export const PublicTeamParams = Type.Object(
  { slug: Type.String({ minLength: 2, maxLength: 60, pattern: '^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$' }) },
  { additionalProperties: false },
);
