import { useEffect, useState, type ReactNode } from 'react';

const number = new Intl.NumberFormat('en-GB');

function remainingText(max: number, length: number): string {
  const left = max - length;
  if (left >= 0)
    return `You have ${number.format(left)} ${left === 1 ? 'character' : 'characters'} remaining`;
  const over = -left;
  return `You have ${number.format(over)} ${over === 1 ? 'character' : 'characters'} too many`;
}

/**
 * NHS.UK character count, rendered by React: the limit is part of the field's description;
 * the count is shown as the person types and announced once they pause.
 */
export function CharacterCount({
  id,
  label,
  value,
  onChange,
  maxLength,
  hint,
  error,
  rows = 8,
  labelClassName,
}: {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  hint?: ReactNode;
  error?: string;
  rows?: number;
  labelClassName?: string;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const infoId = `${id}-info`;
  const status = remainingText(maxLength, value.length);
  const over = value.length > maxLength;
  const [announced, setAnnounced] = useState('');
  useEffect(() => {
    if (value.length === 0) return;
    const timer = setTimeout(() => setAnnounced(status), 1000);
    return () => clearTimeout(timer);
  }, [status, value.length]);

  return (
    <div
      className={`nhsuk-form-group nhsuk-character-count${error ? ' nhsuk-form-group--error' : ''}`}
      data-nhsuk-character-count-init=""
    >
      <label className={`nhsuk-label${labelClassName ? ` ${labelClassName}` : ''}`} htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="nhsuk-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {error && errorId ? (
        <span className="nhsuk-error-message" id={errorId}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      <textarea
        className={`nhsuk-textarea nhsuk-js-character-count${error || over ? ' nhsuk-textarea--error' : ''}`}
        id={id}
        name={id}
        rows={rows}
        value={value}
        aria-describedby={[hintId, errorId, infoId].filter(Boolean).join(' ')}
        onChange={(event) => onChange(event.target.value)}
      />
      <div
        className="nhsuk-hint nhsuk-character-count__message nhsuk-u-visually-hidden"
        id={infoId}
      >
        You can enter up to {number.format(maxLength)} characters
      </div>
      <div
        className={`nhsuk-character-count__status ${over ? 'nhsuk-error-message' : 'nhsuk-hint'}`}
        aria-hidden="true"
      >
        {status}
      </div>
      <div className="nhsuk-u-visually-hidden" aria-live="polite">
        {announced}
      </div>
    </div>
  );
}
