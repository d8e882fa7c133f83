import Type from 'typebox';
import { IdParam, NOT_BLANK } from '../../platform/http/routes';
import { BREAK_GLASS_REASONS, CARER_LEVELS } from './consent.schema';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const Named = Type.Object({ id: Type.String(), name: Type.String() });

export const InviteCarerBody = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 254 }),
    level: Type.Enum(CARER_LEVELS),
    /** The last day of the consent; absent: until revoked. */
    endsOn: Type.Optional(Type.String({ format: 'date' })),
    /** Staff recording consent from a witnessed paper form: whose record. */
    patientId: Type.Optional(IdParam),
    /** Staff only: who witnessed the patient sign the paper form. */
    witnessedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK })),
  },
  { additionalProperties: false },
);
export type InviteCarerInput = Type.Static<typeof InviteCarerBody>;

/**
 * Staff only, recording a patient's withdrawal of a carer's consent on their behalf (the
 * paper route's other end): who witnessed the patient ask. The patient and the carer send
 * no body.
 */
export const RevokeCarerConsentBody = Type.Object(
  { witnessedBy: Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK }) },
  { additionalProperties: false },
);
export type RevokeCarerConsentInput = Type.Static<typeof RevokeCarerConsentBody>;

export const InvitationSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  level: Type.Enum(CARER_LEVELS),
  consentEndsAt: Nullable(DateTime),
  expiresAt: DateTime,
  createdAt: DateTime,
  recordedOnBehalf: Type.Boolean(),
});

export const InvitedSchema = Type.Object({
  invitation: InvitationSchema,
  /** Shown once, to hand to the carer. Only its hash is kept. */
  code: Type.String(),
});

export const AcceptInvitationBody = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40 }) },
  { additionalProperties: false },
);

export const CONSENT_STATUSES = ['active', 'ended', 'revoked', 'not_started'] as const;

export const CarerConsentSchema = Type.Object({
  id: Type.String(),
  carer: Type.Object({ name: Type.String() }),
  level: Type.Enum(CARER_LEVELS),
  startsAt: DateTime,
  endsAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  status: Type.Enum(CONSENT_STATUSES),
  recordedOnBehalf: Type.Boolean(),
});

/**
 * A patient's carers as staff with record access see them: consents in force now (no
 * email), and invitations from paper forms still waiting.
 */
export const PatientCarersSchema = Type.Object({
  carers: Type.Array(CarerConsentSchema),
  paperInvitations: Type.Array(InvitationSchema),
});

export const MyCarersSchema = Type.Object({
  invitations: Type.Array(InvitationSchema),
  carers: Type.Array(CarerConsentSchema),
});

export const CaredForSchema = Type.Object({
  consentId: Type.String(),
  patient: Named,
  level: Type.Enum(CARER_LEVELS),
  endsAt: Nullable(DateTime),
});
export const PeopleICareForSchema = Type.Object({ items: Type.Array(CaredForSchema) });

export const CaredForConversationsSchema = Type.Object({
  patient: Named,
  level: Type.Enum(CARER_LEVELS),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      subject: Type.String(),
      teams: Type.Array(Named),
      /** Professionals the patient or a carer wrote to by name (M1), still taking part. */
      professionals: Type.Array(Named),
      lastMessageAt: DateTime,
      unreadCount: Type.Integer(),
    }),
  ),
});

export const ConsentParams = Type.Object({ consentId: IdParam }, { additionalProperties: false });
export const InvitationParams = Type.Object(
  { invitationId: IdParam },
  { additionalProperties: false },
);
export const PatientParams = Type.Object({ patientId: IdParam }, { additionalProperties: false });
export const ConversationParams = Type.Object(
  { conversationId: IdParam },
  { additionalProperties: false },
);

export const PrivacyBody = Type.Object(
  { privateFromCarers: Type.Boolean() },
  { additionalProperties: false },
);
export const CopyInCarerBody = Type.Object({ consentId: IdParam }, { additionalProperties: false });

// ─── Record access ──────────────────────────────────────────────────────────────────────

export const MAX_GRANT_DAYS = 90;
export const GrantRecordAccessBody = Type.Object(
  {
    teamId: IdParam,
    /** How long the team may read the record; 7 days unless chosen. */
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_GRANT_DAYS })),
    /** The conversation the patient shares from, when they do. */
    conversationId: Type.Optional(IdParam),
  },
  { additionalProperties: false },
);
export type GrantRecordAccessInput = Type.Static<typeof GrantRecordAccessBody>;

export const GRANT_STATUSES = ['active', 'expired', 'revoked'] as const;
export const GrantSchema = Type.Object({
  id: Type.String(),
  team: Type.Object({ id: Type.String(), name: Type.String(), organisationName: Type.String() }),
  conversationId: Nullable(Type.String()),
  startsAt: DateTime,
  expiresAt: DateTime,
  revokedAt: Nullable(DateTime),
  status: Type.Enum(GRANT_STATUSES),
});
export const GrantsSchema = Type.Object({ items: Type.Array(GrantSchema) });
export const GrantParams = Type.Object({ grantId: IdParam }, { additionalProperties: false });

// ─── Break-glass ────────────────────────────────────────────────────────────────────────

export const BreakGlassBody = Type.Object(
  {
    nhsNumber: Type.String({
      minLength: 10,
      maxLength: 12,
      description: 'Ten digits; spaces allowed',
    }),
    reason: Type.Enum(BREAK_GLASS_REASONS),
    detail: Type.String({ minLength: 1, maxLength: 1000, pattern: NOT_BLANK }),
  },
  { additionalProperties: false },
);
export type BreakGlassInput = Type.Static<typeof BreakGlassBody>;

export const BreakGlassSchema = Type.Object({
  id: Type.String(),
  patientId: Type.String(),
  expiresAt: DateTime,
});

export const BreakGlassReviewSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      professional: Type.Object({
        id: Type.String(),
        name: Type.String(),
        jobTitle: Type.String(),
      }),
      patient: Type.Object({ id: Type.String(), name: Type.String(), nhsNumber: Type.String() }),
      organisation: Named,
      reason: Type.Enum(BREAK_GLASS_REASONS),
      detail: Type.String(),
      startedAt: DateTime,
      expiresAt: DateTime,
      reviewedAt: Nullable(DateTime),
      reviewedBy: Nullable(Type.String()),
    }),
  ),
});
export const BreakGlassParams = Type.Object(
  { breakGlassId: IdParam },
  { additionalProperties: false },
);
