import Type from 'typebox';
import { IdParam, PageQuery } from '../../platform/http/routes';
import { Assignee } from '../conversations/conversations.contracts';

export const INBOX_VIEWS = ['unassigned', 'mine', 'others', 'archived'] as const;
export type InboxView = (typeof INBOX_VIEWS)[number];
export const INBOX_SORTS = ['waiting', 'newest'] as const;
export type InboxSort = (typeof INBOX_SORTS)[number];

export const TeamInboxParams = Type.Object({ teamId: IdParam }, { additionalProperties: false });
export const TeamInboxQuery = Type.Object(
  {
    view: Type.Optional(Type.Enum(INBOX_VIEWS)),
    sort: Type.Optional(
      Type.Enum(INBOX_SORTS, {
        description: 'Archived is always newest activity first: nobody waits on archived work',
      }),
    ),
    patientId: Type.Optional(IdParam),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const TeamInboxSchema = Type.Object({
  counts: Type.Object({
    unassigned: Type.Integer(),
    mine: Type.Integer(),
    others: Type.Integer(),
    archived: Type.Integer(),
  }),
  items: Type.Array(
    Type.Object({
      conversationId: Type.String(),
      subject: Type.String(),
      patient: Type.Object({ id: Type.String(), name: Type.String(), nhsNumber: Type.String() }),
      waitingSince: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
      lastActivityAt: Type.String({ format: 'date-time' }),
      unreadCount: Type.Integer(),
      assignee: Assignee,
    }),
  ),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const WorkParams = Type.Object(
  { conversationId: IdParam, teamId: IdParam },
  { additionalProperties: false },
);
export const AssignBody = Type.Object(
  { assignee: Type.Union([Type.Literal('me'), Type.Null()]) },
  { additionalProperties: false },
);
export const ArchiveQuery = Type.Object(
  {
    /** The newest message the person archiving has seen; newer ones refuse the archive. */
    seenSeq: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,8})$' })),
  },
  { additionalProperties: false },
);
export const AssignmentSchema = Type.Object({ assignee: Assignee });

export type TeamInbox = Type.Static<typeof TeamInboxSchema>;
