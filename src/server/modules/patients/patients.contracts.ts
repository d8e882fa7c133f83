import Type from 'typebox';
import { IdParam, NOT_BLANK } from '../../platform/http/routes';
import { IDENTITY_LEVELS } from './patients.schema';

const Name = Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength: 100 });

export const CreatePatientBody = Type.Object(
  {
    organisationId: IdParam,
    nhsNumber: Type.String({
      minLength: 10,
      maxLength: 12,
      description: 'Ten digits; spaces allowed',
    }),
    givenName: Name,
    familyName: Name,
    dateOfBirth: Type.String({ format: 'date' }),
    email: Type.Optional(
      Type.Union([Type.String({ format: 'email', maxLength: 254 }), Type.Null()]),
    ),
    identityLevel: Type.Optional(Type.Enum(IDENTITY_LEVELS)),
  },
  { additionalProperties: false },
);

export const PatientSchema = Type.Object({
  id: Type.String(),
  nhsNumber: Type.String(),
  givenName: Type.String(),
  familyName: Type.String(),
  dateOfBirth: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  identityLevel: Type.Enum(IDENTITY_LEVELS),
  organisations: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  careTeams: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});

/** findPatientByNhsNumber: the number goes in the body, never in a URL (DESIGN §6). */
export const FindPatientBody = Type.Object(
  {
    nhsNumber: Type.String({
      minLength: 1,
      maxLength: 20,
      description: '10 digits; spaces and hyphens allowed',
    }),
  },
  { additionalProperties: false },
);
export const FoundPatientSchema = Type.Object({ patientId: Type.String() });

export const PatientParams = Type.Object({ patientId: IdParam }, { additionalProperties: false });
export const CareRelationshipParams = Type.Object(
  { teamId: IdParam, patientId: IdParam },
  { additionalProperties: false },
);

export const AccessLogSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      /** Name and role as they were then; "You" for the patient's own changes. */
      who: Type.String(),
      /** The team through which they had access, when a team's access was the reason. */
      team: Type.Union([Type.String(), Type.Null()]),
      what: Type.String(),
      /** Why they could: care relationship, grant, break-glass, carer consent… */
      why: Type.String(),
      /** The subject of the conversation it was about, if it was about one. */
      subject: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export type Patient = Type.Static<typeof PatientSchema>;
export type CreatePatientInput = Type.Static<typeof CreatePatientBody>;
