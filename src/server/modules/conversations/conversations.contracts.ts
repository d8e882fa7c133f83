import Type from 'typebox';
import { IdParam, NOT_BLANK, PageQuery } from '../../platform/http/routes';
import { AUTHOR_KINDS, PARTICIPANT_KINDS } from './conversations.schema';
import { AvailabilitySchema } from '../directory/public-team.contracts';
import { AttachmentSchema, DocumentIds } from '../documents/documents.contracts';

export const MAX_MESSAGE_LENGTH = 10_000;
// Spaces alone are no subject and no message: the inbox would show a link with no words.
const Subject = Type.String({ minLength: 1, maxLength: 200, pattern: NOT_BLANK });
const Body = Type.String({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, pattern: NOT_BLANK });
const Recipient = Type.Union([
  Type.Object({ teamId: IdParam }, { additionalProperties: false }),
  Type.Object({ professionalId: IdParam }, { additionalProperties: false }),
]);

export const CreateConversationBody = Type.Object(
  {
    subject: Subject,
    body: Body,
    recipients: Type.Optional(Type.Array(Recipient, { maxItems: 10 })),
    /** Staff only: the patient whose record the conversation belongs to. */
    patientId: Type.Optional(IdParam),
    /** Staff only: the team the professional writes for. */
    asTeamId: Type.Optional(IdParam),
    /** Documents the author uploaded into the patient's record, to go with the first message. */
    documentIds: Type.Optional(DocumentIds),
  },
  { additionalProperties: false },
);
export const PostMessageBody = Type.Object(
  { body: Body, documentIds: Type.Optional(DocumentIds) },
  { additionalProperties: false },
);
export const AddParticipantBody = Recipient;
export const LeaveBody = Type.Object(
  { teamId: Type.Optional(IdParam) },
  { additionalProperties: false },
);
export const MarkReadBody = Type.Object(
  { seq: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }) },
  { additionalProperties: false },
);
export const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});

export const ConversationParams = Type.Object(
  { conversationId: IdParam },
  { additionalProperties: false },
);
export const MessageParams = Type.Object(
  { conversationId: IdParam, messageId: IdParam },
  { additionalProperties: false },
);
export const PatientConversationsParams = Type.Object(
  { patientId: IdParam },
  { additionalProperties: false },
);

const Named = Type.Object({ id: Type.String(), name: Type.String() });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const MessageSchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  authorKind: Type.Enum(AUTHOR_KINDS),
  authorName: Type.String(),
  authorIsMe: Type.Boolean(),
  body: Type.String({ description: 'Empty once the message is marked as sent in error' }),
  createdAt: Type.String({ format: 'date-time' }),
  attachments: Type.Array(AttachmentSchema),
  // Optional: answers stored for retries (M5) before it existed do not have it.
  enteredInError: Type.Optional(
    Nullable(
      Type.Object(
        {
          at: Type.String({ format: 'date-time' }),
          by: Type.String({ description: 'Its author, named and with their role as shown then' }),
        },
        { description: 'Its author said it was sent in error: its text is no longer shown' },
      ),
    ),
  ),
});

export const Assignee = Nullable(
  Type.Object({ professionalId: Type.String(), name: Type.String() }),
);

export const ConversationDetailSchema = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  patient: Type.Object({
    id: Type.String(),
    name: Type.String(),
    /** Staff only: a second identifier before clinical advice. Never for patients or carers. */
    nhsNumber: Type.Optional(Type.String()),
    /** Staff only, as nhsNumber. */
    dateOfBirth: Type.Optional(Type.String({ format: 'date' })),
  }),
  createdAt: Type.String({ format: 'date-time' }),
  lastMessageSeq: Type.Integer(),
  myLastReadSeq: Type.Integer(),
  readOnly: Type.Boolean(),
  /** The patient marked it private from carers (C1). */
  privateFromCarers: Type.Boolean(),
  /** The appointment this conversation is about, when it is an appointment's own. */
  appointmentId: Nullable(Type.String()),
  /**
   * No active team or professional takes part any more (a team was made inactive, say), so
   * the patient or a carer who could otherwise write here cannot: nobody would read it (W5). Absent from answers
   * stored before it was added and replayed to a retry (M5): read it as false.
   */
  nobodyToRead: Type.Optional(Type.Boolean()),
  /**
   * Staff reading without taking part: why they may read, so the page says what is true for
   * them (C3, M3). `record_access`: a team of theirs has record access; `break_glass`: they
   * opened emergency access; `former_participant`: they (or a team of theirs) took part and no
   * longer do, and see the messages up to then. Null for everyone else. Absent from answers
   * stored before it was added and replayed to a retry (M5): read it as null.
   */
  readingAs: Type.Optional(
    Nullable(
      Type.Union([
        Type.Literal('record_access'),
        Type.Literal('break_glass'),
        Type.Literal('former_participant'),
      ]),
    ),
  ),
  /**
   * Staff only: the reader's own teams that took part in this conversation and no longer do
   * (they left or were taken out). Absent from answers replayed from before it was added.
   */
  myFormerTeams: Type.Optional(
    Type.Array(Type.Object({ teamId: Type.String(), teamName: Type.String() })),
  ),
  participants: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.Enum(PARTICIPANT_KINDS),
      name: Type.String(),
      detail: Nullable(Type.String()),
      active: Type.Boolean(),
      /**
       * This place is the reader's own (their individual place, or the patient's or carer's),
       * so a page need not guess it from a name a colleague may share. Absent from answers
       * stored before it was added and replayed to a retry (M5): read it as false.
       */
      you: Type.Optional(Type.Boolean()),
    }),
  ),
  messages: Type.Array(MessageSchema),
  handlingTeams: Type.Array(
    Type.Object({
      teamId: Type.String(),
      teamName: Type.String(),
      organisationName: Type.String(),
      description: Type.String(),
    }),
  ),
  teamWorkflow: Type.Array(
    Type.Object({
      teamId: Type.String(),
      teamName: Type.String(),
      assignee: Assignee,
      archived: Type.Boolean(),
      waitingSince: Nullable(Type.String({ format: 'date-time' })),
      actions: Type.Object({
        assignToMe: Type.Boolean(),
        unassign: Type.Boolean(),
        archive: Type.Boolean(),
        // Absent from answers stored before it was added and replayed to a retry (M5).
        reopen: Type.Optional(Type.Boolean()),
      }),
    }),
  ),
  actions: Type.Object({
    reply: Type.Boolean(),
    join: Type.Boolean(),
    leave: Type.Boolean(),
    addParticipant: Type.Boolean(),
    setPrivacy: Type.Boolean(),
    copyInCarer: Type.Boolean(),
    // A manager of a team taking part may remove anyone's message sent in error (decision
    // 0021). Absent from answers stored before it was added and replayed to a retry (M5).
    removeAnyMessage: Type.Optional(Type.Boolean()),
  }),
});

export const MyConversationsQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export const MyConversationPage = Type.Object({
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      subject: Type.String(),
      patient: Named,
      teams: Type.Array(Named),
      /** Professionals the patient or a carer wrote to by name (M1), still taking part. */
      professionals: Type.Array(Named),
      lastMessageAt: Type.String({ format: 'date-time' }),
      lastMessageFrom: Type.String(),
      unreadCount: Type.Integer(),
      progress: Nullable(
        Type.Union([
          Type.Literal('sent'),
          Type.Literal('read'),
          Type.Literal('replied'),
          Type.Literal('completed'),
        ]),
      ),
    }),
  ),
  nextCursor: Nullable(Type.String()),
});

export const RecordConversations = Type.Object({
  patient: Type.Object({
    id: Type.String(),
    name: Type.String(),
    nhsNumber: Type.String(),
    dateOfBirth: Type.String(),
  }),
  /** Why the reader sees this record (C2): full access, or only what their team takes part in. */
  access: Type.Object({
    basis: Type.Union([
      Type.Literal('patient'),
      Type.Literal('care_relationship'),
      Type.Literal('record_grant'),
      Type.Literal('break_glass'),
      Type.Literal('participant'),
    ]),
    until: Nullable(Type.String({ format: 'date-time' })),
  }),
  items: Type.Array(
    Type.Object({
      id: Type.String(),
      subject: Type.String(),
      teams: Type.Array(Named),
      lastMessageAt: Type.String({ format: 'date-time' }),
      joined: Type.Boolean(),
    }),
  ),
});

export const Recipients = Type.Object({
  teams: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      organisationName: Type.String(),
      description: Type.String(),
      slug: Type.String(),
      availability: AvailabilitySchema,
    }),
  ),
  professionals: Type.Array(
    Type.Object({
      id: Type.String(),
      name: Type.String(),
      jobTitle: Type.String(),
      teamName: Type.String(),
      organisationName: Type.String(),
    }),
  ),
});

export const ParticipantSuggestions = Type.Object({
  escalation: Type.Array(
    Type.Object({
      line: Type.Union([Type.Literal(2), Type.Literal(3)]),
      fromTeamName: Type.String(),
      target: Type.Object({
        kind: Type.Union([Type.Literal('team'), Type.Literal('professional')]),
        id: Type.String(),
        name: Type.String(),
        organisationName: Type.String(),
        jobTitle: Type.Optional(Type.String()),
      }),
    }),
  ),
});

export type CreateConversationInput = Type.Static<typeof CreateConversationBody>;
export type RecipientInput = Type.Static<typeof Recipient>;
export type ConversationDetail = Type.Static<typeof ConversationDetailSchema>;
export type Message = Type.Static<typeof MessageSchema>;
