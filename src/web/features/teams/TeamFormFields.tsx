import { DAYS, type Day } from '../../api/types';
import { Checkbox, Radios, TextInput, Textarea } from '../../components/fields';
import type { FieldErrors } from '../../components/useFormErrors';
import { DAY_LABELS, slugify, type DayForm, type TeamFormState } from './teamForm';

interface Props {
  form: TeamFormState;
  onChange: (form: TeamFormState) => void;
  errors: FieldErrors;
  /** The short name can only be chosen when the team is registered. */
  withSlug: boolean;
  withActive: boolean;
}

export function TeamFormFields({ form, onChange, errors, withSlug, withActive }: Props) {
  const set = <K extends keyof TeamFormState>(key: K, value: TeamFormState[K]) =>
    onChange({ ...form, [key]: value });
  const setDay = (day: Day, value: Partial<DayForm>) =>
    onChange({ ...form, hours: { ...form.hours, [day]: { ...form.hours[day], ...value } } });

  return (
    <>
      <TextInput
        id="name"
        label="Team name"
        hint="For example, Cardiology Nurses. Patients and staff will see this name."
        value={form.name}
        onChange={(name) => {
          // Keep suggesting a short name until someone edits it themselves.
          const suggested = withSlug && form.slug === slugify(form.name);
          onChange({ ...form, name, slug: suggested ? slugify(name) : form.slug });
        }}
        error={errors.name}
      />
      {withSlug ? (
        <TextInput
          id="slug"
          label="Short name"
          hint="Used in the team's web address. Use lower case letters, numbers and hyphens, like cardiology-nurses."
          value={form.slug}
          onChange={(slug) => set('slug', slug)}
          error={errors.slug}
          width="nhsuk-input--width-20"
          spellCheck={false}
        />
      ) : null}
      <Textarea
        id="description"
        label="Description (optional)"
        hint="What the team helps with. Patients see this when choosing who to message."
        value={form.description}
        onChange={(description) => set('description', description)}
        error={errors.description}
      />
      <Radios
        id="contactable"
        legend="Can patients message this team directly?"
        hint="Staff can always bring a team into a conversation, even if patients cannot message it."
        options={[
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ]}
        value={form.contactable}
        onChange={(value) => set('contactable', value)}
        error={errors.contactable}
        inline
      />
      <TextInput
        id="phone"
        label="Phone number (optional)"
        hint="For people who cannot use the internet"
        type="tel"
        autoComplete="off"
        value={form.phone}
        onChange={(phone) => set('phone', phone)}
        error={errors.phone}
        width="nhsuk-input--width-20"
      />
      <TextInput
        id="replyDays"
        label="Expected reply time in working days (optional)"
        hint="Shown on the team's web page, for example: We aim to reply within 2 working days. From 1 to 20."
        value={form.replyDays}
        onChange={(replyDays) => set('replyDays', replyDays)}
        error={errors.replyDays}
        width="nhsuk-input--width-5"
      />
      <fieldset className="nhsuk-fieldset app-opening-hours" aria-describedby="opening-hours-hint">
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">Opening hours</legend>
        <div className="nhsuk-hint" id="opening-hours-hint">
          Use the 24-hour clock, like 09:00 and 17:30
        </div>
        {DAYS.map((day) => (
          <DayFields
            key={day}
            day={day}
            value={form.hours[day]}
            onChange={(value) => setDay(day, value)}
            errors={errors}
          />
        ))}
      </fieldset>
      {withActive ? (
        <Radios
          id="active"
          legend="Is this team active?"
          hint="Nobody can write to an inactive team or add it to a conversation."
          options={[
            { value: 'yes', label: 'Active' },
            { value: 'no', label: 'Inactive' },
          ]}
          value={form.active}
          onChange={(value) => set('active', value)}
          error={errors.active}
          inline
        />
      ) : null}
    </>
  );
}

function DayFields({
  day,
  value,
  onChange,
  errors,
}: {
  day: Day;
  value: DayForm;
  onChange: (value: Partial<DayForm>) => void;
  errors: FieldErrors;
}) {
  const label = DAY_LABELS[day];
  // A problem with the week as a whole (too many periods) is shown on the day to change.
  const dayError = errors[`${day}-closed`];
  const error = dayError ?? errors[`${day}-opens`] ?? errors[`${day}-closes`];
  const describedBy = [value.periods ? `${day}-hint` : '', dayError ? `${day}-closed-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`nhsuk-form-group app-day${error ? ' nhsuk-form-group--error' : ''}`}>
      <fieldset className="nhsuk-fieldset" aria-describedby={describedBy || undefined}>
        <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">{label}</legend>
        {value.periods ? (
          <div className="nhsuk-hint" id={`${day}-hint`}>
            Open {value.periods}. Leave these times as they are to keep that; change them to open
            once, from the time it opens to the time it closes.
          </div>
        ) : null}
        {dayError ? (
          <span className="nhsuk-error-message" id={`${day}-closed-error`}>
            <span className="nhsuk-u-visually-hidden">Error:</span> {dayError}
          </span>
        ) : null}
        <Checkbox
          id={`${day}-closed`}
          label={
            <>
              Closed<span className="nhsuk-u-visually-hidden"> on {label}</span>
            </>
          }
          checked={value.closed}
          onChange={(closed) => onChange({ closed })}
        />
        {value.closed ? null : (
          <div className="app-time-range">
            <TimeField
              id={`${day}-opens`}
              label="Opens"
              day={label}
              value={value.opens}
              error={errors[`${day}-opens`]}
              onChange={(opens) => onChange({ opens })}
            />
            <TimeField
              id={`${day}-closes`}
              label="Closes"
              day={label}
              value={value.closes}
              error={errors[`${day}-closes`]}
              onChange={(closes) => onChange({ closes })}
            />
          </div>
        )}
      </fieldset>
    </div>
  );
}

function TimeField({
  id,
  label,
  day,
  value,
  error,
  onChange,
}: {
  id: string;
  label: string;
  day: string;
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}) {
  return (
    <div className="app-time-range__item">
      <label className="nhsuk-label" htmlFor={id}>
        {label}
        <span className="nhsuk-u-visually-hidden"> on {day}</span>
      </label>
      {error ? (
        <span className="nhsuk-error-message" id={`${id}-error`}>
          <span className="nhsuk-u-visually-hidden">Error:</span> {error}
        </span>
      ) : null}
      <input
        className={`nhsuk-input nhsuk-input--width-5${error ? ' nhsuk-input--error' : ''}`}
        id={id}
        name={id}
        type="text"
        autoComplete="off"
        spellCheck={false}
        value={value}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
    </div>
  );
}
