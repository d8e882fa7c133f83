import Type from 'typebox';
import { IdParam, NOT_BLANK } from '../../platform/http/routes';
import { MAX_MESSAGE_LENGTH } from '../conversations/conversations.contracts';
import { APPOINTMENT_STATUSES, MAX_CHANGE_CUTOFF_HOURS } from './appointments.schema';

export { MAX_CHANGE_CUTOFF_HOURS };

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

const StartsAt = Type.String({ format: 'date-time', maxLength: 40 });
const DurationMinutes = Type.Integer({ minimum: 5, maximum: 720 });
const Location = Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK });
const Preparation = Type.String({ maxLength: 2000 });

export const CreateAppointmentBody = Type.Object(
  {
    patientId: IdParam,
    /** The clinical team the appointment is with. */
    teamId: IdParam,
    clinicianProfessionalId: Type.Optional(Nullable(IdParam)),
    startsAt: StartsAt,
    durationMinutes: DurationMinutes,
    location: Location,
    preparation: Type.Optional(Preparation),
  },
  { additionalProperties: false },
);

/** Staff change what they name; `version` is the one they looked at (optimistic concurrency). */
export const UpdateAppointmentBody = Type.Object(
  {
    version: Type.Integer({ minimum: 1, maximum: 2_147_483_647 }),
    startsAt: Type.Optional(StartsAt),
    durationMinutes: Type.Optional(DurationMinutes),
    location: Type.Optional(Location),
    preparation: Type.Optional(Preparation),
    clinicianProfessionalId: Type.Optional(Nullable(IdParam)),
    status: Type.Optional(
      Type.Union([Type.Literal('cancelled'), Type.Literal('fulfilled'), Type.Literal('noshow')]),
    ),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const ChangeRequestBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('cancel'), Type.Literal('change')]),
    message: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, pattern: NOT_BLANK }),
  },
  { additionalProperties: false },
);

export const AppointmentParams = Type.Object(
  { appointmentId: IdParam },
  { additionalProperties: false },
);
export const PatientAppointmentsParams = Type.Object(
  { patientId: IdParam },
  { additionalProperties: false },
);

export const EVENT_KINDS = [
  'created',
  'rescheduled',
  'updated',
  'cancelled',
  'fulfilled',
  'noshow',
  'change_requested',
  'cancel_requested',
] as const;
export type AppointmentEventKind = (typeof EVENT_KINDS)[number];

const Named = Type.Object({ id: Type.String(), name: Type.String() });

export const AppointmentSchema = Type.Object({
  id: Type.String(),
  patientId: Type.String(),
  organisation: Named,
  team: Named,
  clinician: Nullable(Named),
  startsAt: Type.String({ format: 'date-time' }),
  endsAt: Type.String({ format: 'date-time' }),
  durationMinutes: Type.Integer(),
  location: Type.String(),
  preparation: Type.String(),
  status: Type.Enum(APPOINTMENT_STATUSES),
  version: Type.Integer(),
  conversationId: Nullable(Type.String()),
  changeCutoffAt: Type.String({ format: 'date-time' }),
  /** The viewer may press "Ask to cancel" / "Ask to change" now. */
  canAskToChange: Type.Boolean(),
  /** The viewer may change or cancel it (staff of its team or of the nominated appointments team). */
  canChange: Type.Boolean(),
  /** It has started, is still booked and the viewer may record whether the patient came. */
  canRecordAttendance: Type.Boolean(),
  /** The booking team's name. */
  bookedBy: Type.String(),
  history: Type.Array(
    Type.Object({
      kind: Type.Enum(EVENT_KINDS),
      at: Type.String({ format: 'date-time' }),
      /** A team's name for patients and carers; "name, team" for staff. */
      by: Type.String(),
      changes: Nullable(
        Type.Record(Type.String(), Type.Object({ from: Type.Unknown(), to: Type.Unknown() })),
      ),
      reason: Nullable(Type.String()),
    }),
  ),
});

export const PatientAppointmentsSchema = Type.Object({
  upcoming: Type.Array(AppointmentSchema),
  past: Type.Array(AppointmentSchema),
});

export const ChangeRequestResponse = Type.Object({ conversationId: Type.String() });

export const AppointmentSettingsParams = Type.Object(
  { organisationId: IdParam },
  { additionalProperties: false },
);

/** All three are always sent: a save states the whole of the organisation's settings. */
export const UpdateAppointmentSettingsBody = Type.Object(
  {
    /**
     * An active team of the organisation: it answers appointment conversations and books for
     * every team. null for none: each appointment's own team answers and alone books.
     */
    appointmentsTeamId: Nullable(IdParam),
    /** Whole hours before the start after which patients can no longer ask online. */
    changeCutoffHours: Type.Integer({ minimum: 0, maximum: MAX_CHANGE_CUTOFF_HOURS }),
    /** The version the coordinator looked at (optimistic concurrency): 0 before any save. */
    version: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
  },
  { additionalProperties: false },
);

export const AppointmentSettingsSchema = Type.Object({
  organisationId: Type.String(),
  /**
   * The team that answers patients' questions about appointments; null while there is none
   * (questions then go to the appointment's own team, which alone books).
   */
  appointmentsTeam: Nullable(
    Type.Object({ id: Type.String(), name: Type.String(), active: Type.Boolean() }),
  ),
  /** The organisation's cut-off, or the default (72) while none has been saved. */
  changeCutoffHours: Type.Integer(),
  /** How many times the settings have been saved (0 before any save); a save names it. */
  version: Type.Integer(),
});

export type CreateAppointmentInput = Type.Static<typeof CreateAppointmentBody>;
export type UpdateAppointmentInput = Type.Static<typeof UpdateAppointmentBody>;
export type ChangeRequestInput = Type.Static<typeof ChangeRequestBody>;
export type Appointment = Type.Static<typeof AppointmentSchema>;
export type UpdateAppointmentSettingsInput = Type.Static<typeof UpdateAppointmentSettingsBody>;
export type AppointmentSettings = Type.Static<typeof AppointmentSettingsSchema>;
