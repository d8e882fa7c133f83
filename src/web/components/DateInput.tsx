import type { ReactNode } from 'react';
import type { DatePart, DateParts, DateProblem } from './dateParts';

const PARTS: { part: DatePart; label: string; width: string }[] = [
  { part: 'day', label: 'Day', width: 'nhsuk-input--width-2' },
  { part: 'month', label: 'Month', width: 'nhsuk-input--width-2' },
  { part: 'year', label: 'Year', width: 'nhsuk-input--width-4' },
];

/**
 * NHS.UK date input: day, month and year boxes in one fieldset. An error marks the part
 * it names (or all three), and its summary link lands on `${id}-${part}` (see
 * dateProblemHref). Shared by appointments and carers' consent.
 */
export function DateInput({
  id,
  legend,
  hint,
  value,
  onChange,
  error,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  value: DateParts;
  onChange: (value: DateParts) => void;
  error?: DateProblem;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset
        className="nhsuk-fieldset"
        role="group"
        aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
      >
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={hintId}>
            {hint}
          </div>
        ) : null}
        {error ? (
          <span className="nhsuk-error-message" id={errorId}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {error.message}
          </span>
        ) : null}
        <div className="nhsuk-date-input" id={id}>
          {PARTS.map(({ part, label, width }) => {
            const marked = error && (error.part === 'all' || error.part === part);
            return (
              <div className="nhsuk-date-input__item" key={part}>
                <div className="nhsuk-form-group">
                  <label className="nhsuk-label nhsuk-date-input__label" htmlFor={`${id}-${part}`}>
                    {label}
                  </label>
                  <input
                    className={`nhsuk-input nhsuk-date-input__input ${width}${marked ? ' nhsuk-input--error' : ''}`}
                    id={`${id}-${part}`}
                    name={`${id}-${part}`}
                    type="text"
                    inputMode="numeric"
                    value={value[part]}
                    onChange={(event) => onChange({ ...value, [part]: event.target.value })}
                  />
                </div>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}
