import Type from 'typebox';
import { ROLES } from '../directory/directory.schema';
import { IDENTITY_LEVELS } from '../patients/patients.schema';

export const SignInBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 254 }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);

export const SessionUser = Type.Object({
  id: Type.String(),
  kind: Type.Union([Type.Literal('professional'), Type.Literal('patient')]),
  displayName: Type.String(),
  identityLevel: Type.Union([Type.Enum(IDENTITY_LEVELS), Type.Null()]),
  professionalId: Type.Union([Type.String(), Type.Null()]),
  patientId: Type.Union([Type.String(), Type.Null()]),
  memberships: Type.Array(
    Type.Object({
      teamId: Type.String(),
      teamName: Type.String(),
      organisationId: Type.String(),
      organisationName: Type.String(),
      role: Type.Enum(ROLES),
    }),
  ),
  coordinatorOf: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});

export const SessionResponse = Type.Object({
  user: SessionUser,
  csrfToken: Type.String(),
});
