import { type FormEvent, useState } from 'react';
import { CharacterCount } from './CharacterCount';
import type { useFormErrors } from './useFormErrors';

/** The longest reason the server keeps for a correction. */
export const MAX_CORRECTION_REASON = 500;

/**
 * Why something was added or sent in error, and the button that says so. The reason goes to
 * the audit trail only; errors go to the page's error summary.
 */
export function CorrectionForm({
  label,
  hint,
  missing,
  button,
  pending,
  errors,
  onReason,
}: {
  label: string;
  hint: string;
  /** The error when no reason is given, e.g. "Say why it was sent in error". */
  missing: string;
  button: string;
  pending: boolean;
  errors: ReturnType<typeof useFormErrors>;
  onReason: (reason: string) => void;
}) {
  const [reason, setReason] = useState('');
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    if (text === '') return errors.show([{ href: 'reason', message: missing }]);
    if (text.length > MAX_CORRECTION_REASON) {
      return errors.show([
        { href: 'reason', message: `Reason must be ${MAX_CORRECTION_REASON} characters or fewer` },
      ]);
    }
    onReason(text);
  };
  return (
    <form noValidate onSubmit={onSubmit}>
      <CharacterCount
        id="reason"
        label={label}
        hint={hint}
        value={reason}
        onChange={setReason}
        maxLength={MAX_CORRECTION_REASON}
        rows={4}
        error={errors.fields.reason}
      />
      <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={pending}>
        {button}
      </button>
    </form>
  );
}

/** Where a field named in a correction's API problem lives on the page. */
export const correctionFieldId = (key: string) => (key === 'reason' ? 'reason' : null);
