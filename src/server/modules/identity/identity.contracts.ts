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

/** How long the session has left, read without extending it (getSessionExpiry). */
export const SessionExpiryResponse = Type.Object({
  now: Type.String({ format: 'date-time', description: 'The server’s time, to count from' }),
  idleExpiresAt: Type.String({
    format: 'date-time',
    description: 'When it ends unless something more is done with it (30 minutes idle)',
  }),
  expiresAt: Type.String({
    format: 'date-time',
    description: 'When it ends whatever is done (12 hours after signing in)',
  }),
});

export const SessionResponse = Type.Object({
  user: SessionUser,
  csrfToken: Type.String(),
  /** The user must set up an authenticator app; until then the API answers auth.totp_setup_required. */
  totpSetupRequired: Type.Boolean(),
});

/** The password was right and the account has an authenticator app: the code is due next. */
export const SecondFactorRequiredResponse = Type.Object({
  state: Type.Literal('auth.second_factor_required'),
  /** The code must follow before this time; the pending sign-in rides on an HttpOnly cookie. */
  expiresAt: Type.String({ format: 'date-time' }),
});

/** Six digits, as the authenticator app shows them (the web app removes spaces first). */
export const TotpCode = Type.String({ pattern: '^[0-9]{6}$' });

export const SignInCodeBody = Type.Object({ code: TotpCode }, { additionalProperties: false });

export const SignInRecoveryCodeBody = Type.Object(
  { recoveryCode: Type.String({ minLength: 1, maxLength: 64, pattern: '\\S' }) },
  { additionalProperties: false },
);
