import Type from 'typebox';
import { IdParam, NOT_BLANK, PageQuery } from '../../platform/http/routes';
import { ROLES, WEEKDAYS } from './directory.schema';
import { MAX_OPENING_PERIODS } from './opening-hours.limit';

const Time = Type.String({
  pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
  description: 'HH:MM, 24-hour',
});

export const OpeningPeriodSchema = Type.Object(
  { day: Type.Enum(WEEKDAYS), opens: Time, closes: Time },
  { additionalProperties: false },
);

const TeamName = Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 120 });
const Slug = Type.String({
  minLength: 2,
  maxLength: 60,
  pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
  description: 'Lower-case letters, digits and single hyphens; the team page is /t/<slug>',
});
const Description = Type.String({ maxLength: 2000 });
const Phone = Type.Union([
  Type.String({ minLength: 3, maxLength: 30, pattern: '^\\+?[0-9][0-9 ()-]*[0-9]$' }),
  Type.Null(),
]);
const OpeningHours = Type.Array(OpeningPeriodSchema, { maxItems: MAX_OPENING_PERIODS });
const ReplyWithin = Type.Union([Type.Integer({ minimum: 1, maximum: 20 }), Type.Null()], {
  description: 'The team aims to reply within this many working days; null says nothing',
});

export const CreateTeamBody = Type.Object(
  {
    name: TeamName,
    slug: Slug,
    description: Type.Optional(Description),
    contactable: Type.Boolean(),
    phone: Type.Optional(Phone),
    openingHours: Type.Optional(OpeningHours),
    replyWithinWorkingDays: Type.Optional(ReplyWithin),
  },
  { additionalProperties: false },
);

export const UpdateTeamBody = Type.Object(
  {
    name: Type.Optional(TeamName),
    description: Type.Optional(Description),
    contactable: Type.Optional(Type.Boolean()),
    phone: Type.Optional(Phone),
    openingHours: Type.Optional(OpeningHours),
    replyWithinWorkingDays: Type.Optional(ReplyWithin),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const TeamSchema = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  organisationName: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  description: Type.String(),
  contactable: Type.Boolean(),
  phone: Type.Union([Type.String(), Type.Null()]),
  openingHours: Type.Array(
    Type.Object({ day: Type.Enum(WEEKDAYS), opens: Type.String(), closes: Type.String() }),
  ),
  replyWithinWorkingDays: Type.Union([Type.Integer(), Type.Null()]),
  active: Type.Boolean(),
});

export const MemberSchema = Type.Object({
  professionalId: Type.String(),
  name: Type.String(),
  jobTitle: Type.String(),
  email: Type.String(),
  role: Type.Enum(ROLES),
  contactable: Type.Boolean(),
});

export const PathwayStepSchema = Type.Object({
  line: Type.Union([Type.Literal(2), Type.Literal(3)]),
  active: Type.Optional(
    Type.Boolean({
      description:
        'Present, and false, only on a step whose team or professional has been made inactive: staff are not offered it. Such steps are shown only to those who may change the pathway (actions.setEscalationPathway); saving the pathway keeps them unless they are left out. Absent: active',
    }),
  ),
  target: Type.Union([
    Type.Object({
      kind: Type.Literal('team'),
      id: Type.String(),
      name: Type.String(),
      organisationName: Type.String(),
    }),
    Type.Object({
      kind: Type.Literal('professional'),
      id: Type.String(),
      name: Type.String(),
      jobTitle: Type.String(),
      organisationName: Type.String(),
    }),
  ]),
});

export const TeamDetailSchema = Type.Intersect([
  TeamSchema,
  Type.Object({
    members: Type.Array(MemberSchema),
    escalationPathway: Type.Array(PathwayStepSchema),
    actions: Type.Object({
      update: Type.Boolean(),
      manageMembers: Type.Boolean(),
      setEscalationPathway: Type.Boolean(),
    }),
  }),
]);

export const TeamPage = Type.Object({
  items: Type.Array(TeamSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ListTeamsQuery = Type.Object(
  { organisationId: Type.Optional(IdParam), ...PageQuery },
  { additionalProperties: false },
);

export const OrganisationParams = Type.Object(
  { organisationId: IdParam },
  { additionalProperties: false },
);
export const TeamParams = Type.Object({ teamId: IdParam }, { additionalProperties: false });
export const MemberParams = Type.Object(
  { teamId: IdParam, professionalId: IdParam },
  { additionalProperties: false },
);

export const PutMemberBody = Type.Object(
  { role: Type.Enum(ROLES), contactable: Type.Boolean() },
  { additionalProperties: false },
);

const Line = Type.Union([Type.Literal(2), Type.Literal(3)]);
export const SetPathwayBody = Type.Object(
  {
    steps: Type.Array(
      Type.Union([
        Type.Object({ line: Line, teamId: IdParam }, { additionalProperties: false }),
        Type.Object({ line: Line, professionalId: IdParam }, { additionalProperties: false }),
      ]),
      { maxItems: 10 },
    ),
  },
  { additionalProperties: false },
);
export const PathwayResponse = Type.Object({ escalationPathway: Type.Array(PathwayStepSchema) });

export const OrganisationSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
});
export const OrganisationList = Type.Object({ items: Type.Array(OrganisationSchema) });

export const ProfessionalSchema = Type.Object({
  id: Type.String(),
  organisationId: Type.String(),
  organisationName: Type.String(),
  name: Type.String(),
  jobTitle: Type.String(),
  email: Type.String(),
  active: Type.Boolean(),
});
export const ProfessionalPage = Type.Object({
  items: Type.Array(ProfessionalSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});
export const ListProfessionalsQuery = Type.Object(
  {
    organisationId: Type.Optional(IdParam),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export const CreateProfessionalBody = Type.Object(
  {
    name: Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 120 }),
    jobTitle: Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 120 }),
    email: Type.String({ format: 'email', maxLength: 254 }),
  },
  { additionalProperties: false },
);

export type Team = Type.Static<typeof TeamSchema>;
export type TeamDetail = Type.Static<typeof TeamDetailSchema>;
export type Member = Type.Static<typeof MemberSchema>;
export type PathwayStep = Type.Static<typeof PathwayStepSchema>;
export type Professional = Type.Static<typeof ProfessionalSchema>;
export type CreateTeamInput = Type.Static<typeof CreateTeamBody>;
export type UpdateTeamInput = Type.Static<typeof UpdateTeamBody>;
export type SetPathwayInput = Type.Static<typeof SetPathwayBody>;
