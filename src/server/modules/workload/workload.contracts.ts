import Type from 'typebox';
import { IdParam } from '../../platform/http/routes';

const Instant = Type.String({ format: 'date-time' });
const Minutes = Type.Union([Type.Integer(), Type.Null()]);

export const ResponseTimesSchema = Type.Object({
  firstResponses: Type.Integer(),
  firstResponseMedianMinutes: Minutes,
  completions: Type.Integer(),
  completionMedianMinutes: Minutes,
});

export const TeamWorkloadParams = Type.Object({ teamId: IdParam }, { additionalProperties: false });

export const TeamWorkloadSchema = Type.Object({
  team: Type.Object({ id: Type.String(), name: Type.String() }),
  asOf: Instant,
  members: Type.Array(
    Type.Object({
      professionalId: Type.String(),
      name: Type.String(),
      role: Type.String(),
      assigned: Type.Array(
        Type.Object({
          conversationId: Type.String(),
          subject: Type.String(),
          patient: Type.Object({ id: Type.String(), name: Type.String() }),
          assignedAt: Type.Union([Instant, Type.Null()]),
          waitingSince: Type.Union([Instant, Type.Null()]),
        }),
      ),
    }),
  ),
  unassigned: Type.Object({
    count: Type.Integer(),
    oldestWaitingSince: Type.Union([Instant, Type.Null()]),
  }),
  last7Days: ResponseTimesSchema,
  last30Days: ResponseTimesSchema,
  completedPerDay: Type.Array(
    Type.Object({ date: Type.String({ format: 'date' }), completed: Type.Integer() }),
  ),
});

export const OrganisationStatisticsParams = Type.Object(
  { organisationId: IdParam },
  { additionalProperties: false },
);

export const OrganisationStatisticsSchema = Type.Object({
  organisation: Type.Object({ id: Type.String(), name: Type.String() }),
  asOf: Instant,
  /** Mondays (UK dates) of the weeks counted, oldest first. */
  weeks: Type.Array(Type.String({ format: 'date' })),
  /**
   * Messages in any of the organisation's teams' conversations per week, each message once
   * (a conversation several teams take part in is counted once here, and under each team).
   */
  messagesPerWeek: Type.Array(Type.Integer()),
  patients: Type.Object({ registered: Type.Integer(), verified: Type.Integer() }),
  teams: Type.Array(
    Type.Object({
      teamId: Type.String(),
      name: Type.String(),
      /** Messages in the team's conversations per week, in the order of `weeks`. */
      messagesPerWeek: Type.Array(Type.Integer()),
      last30Days: ResponseTimesSchema,
    }),
  ),
});

export type TeamWorkload = Type.Static<typeof TeamWorkloadSchema>;
export type OrganisationStatistics = Type.Static<typeof OrganisationStatisticsSchema>;
