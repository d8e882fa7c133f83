/** A one-time code field as NHS.UK lays out a text input, with the hints phones need. */
export function CodeInput({
  id,
  label,
  hint,
  error,
  value,
  onChange,
  numeric,
}: {
  id: string;
  label: string;
  hint: string;
  error?: string;
  value: string;
  onChange: (value: string) => void;
  /** Six digits from an app (numeric keypad, one-time-code autofill) or a recovery code. */
  numeric: boolean;
}) {
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label nhsuk-label--s" htmlFor={id}>
        {label}
      </label>
      <div className="nhsuk-hint" id={hintId}>
        {hint}
      </div>
      {error ? (
        <span className="nhsuk-error-message" id={errorId}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      <input
        className={`nhsuk-input ${numeric ? 'nhsuk-input--width-10' : 'nhsuk-input--width-20'}${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={id}
        type="text"
        inputMode={numeric ? 'numeric' : 'text'}
        autoComplete={numeric ? 'one-time-code' : 'off'}
        spellCheck={false}
        autoCapitalize="none"
        value={value}
        aria-describedby={error ? `${hintId} ${errorId}` : hintId}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
