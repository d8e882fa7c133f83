import Type from 'typebox';
import { invalid } from './problem';

/**
 * The body of a correction (a document added in error, a message sent in error): why, in up
 * to 500 characters, kept in the audit trail only.
 */
export const CorrectionBody = Type.Object(
  {
    reason: Type.String({
      minLength: 1,
      maxLength: 500,
      description: 'Why it was wrong; kept in the audit trail only',
    }),
  },
  { additionalProperties: false },
);

/** The reason without surrounding spaces, or a field error (`code`) when nothing is left. */
export function correctionReason(reason: string, code: string, message: string): string {
  const trimmed = reason.trim();
  if (trimmed === '') throw invalid([{ field: 'body/reason', code, message }]);
  return trimmed;
}
