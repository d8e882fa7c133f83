import Type from 'typebox';
import { PageQuery } from '../../platform/http/routes';

export const CapturedEmailSchema = Type.Object({
  id: Type.String(),
  messageId: Type.String(),
  from: Type.String(),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  html: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.String({ format: 'date-time' }),
});

export const CapturedEmailPage = Type.Object({
  items: Type.Array(CapturedEmailSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const ListCapturedEmailsQuery = Type.Object(
  {
    to: Type.Optional(
      Type.String({ minLength: 1, maxLength: 320, description: 'Only emails to this address' }),
    ),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export type CapturedEmailView = Type.Static<typeof CapturedEmailSchema>;
