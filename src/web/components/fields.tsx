import { Fragment, type ReactNode } from 'react';

function describedBy(...ids: (string | false | undefined)[]): string | undefined {
  const list = ids.filter(Boolean);
  return list.length ? list.join(' ') : undefined;
}

function ErrorMessage({ id, message }: { id: string; message: string }) {
  return (
    <span className="nhsuk-error-message" id={id}>
      <span className="nhsuk-u-visually-hidden">Error:</span> {message}
    </span>
  );
}

interface TextInputProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string;
  type?: 'text' | 'email' | 'password' | 'tel' | 'time' | 'search';
  autoComplete?: string;
  width?:
    | 'nhsuk-input--width-10'
    | 'nhsuk-input--width-20'
    | 'nhsuk-input--width-30'
    | 'nhsuk-input--width-5';
  labelClassName?: string;
  spellCheck?: boolean;
  /** 'numeric' brings up the number keypad on phones for whole numbers (not type="number"). */
  inputMode?: 'numeric';
}

/** A form group around a fieldset, with its legend, hint and error as NHS.UK lays them out. */
function FieldsetGroup({
  id,
  legend,
  hint,
  error,
  legendClassName,
  children,
}: {
  id: string;
  legend: ReactNode;
  hint?: ReactNode;
  error?: string;
  legendClassName: string;
  children: ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy(hintId, errorId)}>
        <legend className={`nhsuk-fieldset__legend ${legendClassName}`}>{legend}</legend>
        {hint ? (
          <div className="nhsuk-hint" id={hintId}>
            {hint}
          </div>
        ) : null}
        {error && errorId ? <ErrorMessage id={errorId} message={error} /> : null}
        {children}
      </fieldset>
    </div>
  );
}

export function TextInput({
  id,
  label,
  value,
  onChange,
  hint,
  error,
  type = 'text',
  autoComplete,
  width,
  labelClassName,
  spellCheck,
  inputMode,
}: TextInputProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className={`nhsuk-label${labelClassName ? ` ${labelClassName}` : ''}`} htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="nhsuk-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {error && errorId ? <ErrorMessage id={errorId} message={error} /> : null}
      <input
        className={`nhsuk-input${width ? ` ${width}` : ''}${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={id}
        type={type}
        value={value}
        autoComplete={autoComplete}
        spellCheck={spellCheck}
        inputMode={inputMode}
        aria-describedby={describedBy(hintId, errorId)}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

export function Textarea({
  id,
  label,
  value,
  onChange,
  hint,
  error,
}: Pick<TextInputProps, 'id' | 'label' | 'value' | 'onChange' | 'hint' | 'error'>) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>
      <label className="nhsuk-label" htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="nhsuk-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {error && errorId ? <ErrorMessage id={errorId} message={error} /> : null}
      <textarea
        className={`nhsuk-textarea${error ? ' nhsuk-textarea--error' : ''}`}
        id={id}
        name={id}
        rows={4}
        value={value}
        aria-describedby={describedBy(hintId, errorId)}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}

export interface Option<T extends string> {
  value: T;
  label: string;
}

export interface RadioOption<T extends string> extends Option<T> {
  /** Shown under the option while it is chosen: NHS.UK's conditionally revealed content. */
  conditional?: ReactNode;
}

export function Radios<T extends string>({
  id,
  legend,
  options,
  value,
  onChange,
  hint,
  error,
  inline,
  legendClassName = 'nhsuk-fieldset__legend--s',
}: {
  id: string;
  legend: ReactNode;
  options: RadioOption<T>[];
  value: T | null;
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: string;
  inline?: boolean;
  legendClassName?: string;
}) {
  return (
    <FieldsetGroup
      id={id}
      legend={legend}
      hint={hint}
      error={error}
      legendClassName={legendClassName}
    >
      <div
        className={`nhsuk-radios${inline ? ' nhsuk-radios--inline' : ''}${
          options.some((option) => option.conditional !== undefined)
            ? ' nhsuk-radios--conditional'
            : ''
        }`}
      >
        {options.map((option, index) => {
          // The first radio carries the group's id so error summary links land on it.
          const optionId = index === 0 ? id : `${id}-${index + 1}`;
          const conditionalId =
            option.conditional !== undefined ? `conditional-${optionId}` : undefined;
          return (
            <Fragment key={option.value}>
              <div className="nhsuk-radios__item">
                <input
                  className="nhsuk-radios__input"
                  id={optionId}
                  name={id}
                  type="radio"
                  value={option.value}
                  checked={value === option.value}
                  aria-controls={conditionalId}
                  onChange={() => onChange(option.value)}
                />
                <label className="nhsuk-label nhsuk-radios__label" htmlFor={optionId}>
                  {option.label}
                </label>
              </div>
              {conditionalId ? (
                <div
                  className={`nhsuk-radios__conditional${
                    value === option.value ? '' : ' nhsuk-radios__conditional--hidden'
                  }`}
                  id={conditionalId}
                  // The class hides it only where NHS.UK's own script runs, so hide it here too.
                  hidden={value !== option.value}
                >
                  {option.conditional}
                </div>
              ) : null}
            </Fragment>
          );
        })}
      </div>
    </FieldsetGroup>
  );
}

export function Checkbox({
  id,
  label,
  checked,
  onChange,
  hint,
}: {
  id: string;
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  return (
    <div className="nhsuk-checkboxes nhsuk-checkboxes--small">
      <div className="nhsuk-checkboxes__item">
        <input
          className="nhsuk-checkboxes__input"
          id={id}
          name={id}
          type="checkbox"
          checked={checked}
          aria-describedby={hintId}
          onChange={(event) => onChange(event.target.checked)}
        />
        <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={id}>
          {label}
        </label>
        {hint ? (
          <div className="nhsuk-hint nhsuk-checkboxes__hint" id={hintId}>
            {hint}
          </div>
        ) : null}
      </div>
    </div>
  );
}

export function Select<T extends string>({
  id,
  label,
  options,
  value,
  onChange,
  hint,
  error,
  labelClassName,
  formGroup = true,
}: {
  id: string;
  label: ReactNode;
  options: Option<T>[];
  value: T;
  onChange: (value: T) => void;
  hint?: ReactNode;
  error?: string;
  labelClassName?: string;
  formGroup?: boolean;
}) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const content = (
    <>
      <label className={`nhsuk-label${labelClassName ? ` ${labelClassName}` : ''}`} htmlFor={id}>
        {label}
      </label>
      {hint ? (
        <div className="nhsuk-hint" id={hintId}>
          {hint}
        </div>
      ) : null}
      {error && errorId ? <ErrorMessage id={errorId} message={error} /> : null}
      <select
        className={`nhsuk-select${error ? ' nhsuk-select--error' : ''}`}
        id={id}
        name={id}
        value={value}
        aria-describedby={describedBy(hintId, errorId)}
        onChange={(event) => onChange(event.target.value as T)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </>
  );
  if (!formGroup) return content;
  return (
    <div className={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`}>{content}</div>
  );
}

export interface CheckboxOption {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
}

/** A group of checkboxes answering one question; the first box carries the group's id. */
export function Checkboxes({
  id,
  legend,
  options,
  values,
  onChange,
  hint,
  error,
  legendClassName = 'nhsuk-fieldset__legend--s',
}: {
  id: string;
  legend: ReactNode;
  options: CheckboxOption[];
  values: string[];
  onChange: (values: string[]) => void;
  hint?: ReactNode;
  error?: string;
  legendClassName?: string;
}) {
  return (
    <FieldsetGroup
      id={id}
      legend={legend}
      hint={hint}
      error={error}
      legendClassName={legendClassName}
    >
      <div className="nhsuk-checkboxes">
        {options.map((option, index) => {
          const optionId = index === 0 ? id : `${id}-${index + 1}`;
          const optionHintId = option.hint ? `${optionId}-item-hint` : undefined;
          return (
            <div className="nhsuk-checkboxes__item" key={option.value}>
              <input
                className="nhsuk-checkboxes__input"
                id={optionId}
                name={id}
                type="checkbox"
                value={option.value}
                checked={values.includes(option.value)}
                aria-describedby={optionHintId}
                onChange={(event) =>
                  onChange(
                    event.target.checked
                      ? [...values, option.value]
                      : values.filter((v) => v !== option.value),
                  )
                }
              />
              <label className="nhsuk-label nhsuk-checkboxes__label" htmlFor={optionId}>
                {option.label}
              </label>
              {option.hint ? (
                <div className="nhsuk-hint nhsuk-checkboxes__hint" id={optionHintId}>
                  {option.hint}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </FieldsetGroup>
  );
}
