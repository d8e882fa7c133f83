import { type ReactNode, useState } from 'react';
import { ApiError } from '../../api/client';
import { DateInput } from '../../components/DateInput';
import {
  dateProblemHref,
  type DateProblem,
  EMPTY_DATE,
  readOptionalDate,
  ukToday,
} from '../../components/dateParts';
import { looksLikeEmail } from '../../components/email';
import type { SummaryError } from '../../components/ErrorSummary';
import { Radios, TextInput } from '../../components/fields';
import type { useFormErrors } from '../../components/useFormErrors';
import { type CarerLevel, type InviteCarerInput, LEVEL_LABELS } from './carersApi';

type FormErrors = ReturnType<typeof useFormErrors>;

const ENDS_ON = 'ends-on';
const FIELD_IDS: Record<string, string> = {
  email: 'email',
  level: 'level',
  endsOn: dateProblemHref(ENDS_ON, 'all'),
};

/** The words for the last day of a carer's access, in NHS.UK style. */
const ENDS_ON_WORDS = {
  invalid: 'Enter the last day as a date, for example 31 3 2027',
  tooEarly: 'The last day must be today or in the future',
};

/** The API's own words for an end date it refuses (a race with midnight), said as ours. */
function inOurWords(error: unknown): unknown {
  if (!(error instanceof ApiError) || !error.problem.errors) return error;
  return new ApiError({
    ...error.problem,
    errors: error.problem.errors.map((problem) =>
      problem.code === 'carer.end_date_invalid'
        ? { ...problem, message: ENDS_ON_WORDS.tooEarly }
        : problem,
    ),
  });
}

/** What is said when the carer's email or level is missing: to the patient, or to staff. */
export interface InviteWords {
  emailMissing: string;
  levelMissing: string;
}

/**
 * A carer invitation's fields — email, level and optional last day — as the patient invites
 * online and staff record a paper form (C1): their state, checking before sending, and the
 * API's problems put on the right field.
 */
export function useInviteCarerFields(errors: FormErrors, words: InviteWords) {
  const [email, setEmail] = useState('');
  const [level, setLevel] = useState<CarerLevel | null>(null);
  const [endsOn, setEndsOn] = useState(EMPTY_DATE);
  // Which boxes of the date the last problem marked; its words are in errors.fields.
  const [endsOnPart, setEndsOnPart] = useState<DateProblem['part']>('all');
  const endsOnMessage = errors.fields[dateProblemHref(ENDS_ON, endsOnPart)];
  return {
    email,
    setEmail,
    level,
    setLevel,
    endsOn,
    setEndsOn,
    endsOnError: endsOnMessage ? { part: endsOnPart, message: endsOnMessage } : undefined,
    /** The invitation as typed, or the problems with it for the error summary. */
    read(): { input: InviteCarerInput | null; problems: SummaryError[] } {
      const problems: SummaryError[] = [];
      if (!email.trim()) problems.push({ href: 'email', message: words.emailMissing });
      else if (!looksLikeEmail(email.trim())) {
        problems.push({
          href: 'email',
          message: 'Enter an email address in the correct format, like name@example.com',
        });
      }
      if (!level) problems.push({ href: 'level', message: words.levelMissing });
      const last = readOptionalDate(endsOn, { earliest: ukToday(new Date()), ...ENDS_ON_WORDS });
      if (last.problem) {
        setEndsOnPart(last.problem.part);
        problems.push({
          href: dateProblemHref(ENDS_ON, last.problem.part),
          message: last.problem.message,
        });
      }
      if (problems.length > 0 || !level) return { input: null, problems };
      return {
        input: { email: email.trim(), level, ...(last.date ? { endsOn: last.date } : {}) },
        problems,
      };
    },
    /** Shows what the API refused; `more` maps the page's other fields to their ids. */
    showApiError(error: unknown, more: Record<string, string> = {}) {
      setEndsOnPart('all');
      const ids = { ...FIELD_IDS, ...more };
      errors.showApiError(inOurWords(error), (key) => ids[key] ?? null);
    },
    reset() {
      setEmail('');
      setLevel(null);
      setEndsOn(EMPTY_DATE);
    },
  };
}

export function InviteCarerFields({
  fields,
  errors,
  emailLabel,
  emailHint,
  levelLegend,
  endsOnHint,
}: {
  fields: ReturnType<typeof useInviteCarerFields>;
  errors: FormErrors;
  emailLabel: string;
  emailHint?: ReactNode;
  levelLegend: string;
  endsOnHint: string;
}) {
  return (
    <>
      <TextInput
        id="email"
        label={emailLabel}
        hint={emailHint}
        type="email"
        autoComplete="off"
        spellCheck={false}
        value={fields.email}
        onChange={fields.setEmail}
        error={errors.fields.email}
      />
      <Radios<CarerLevel>
        id="level"
        legend={levelLegend}
        options={[
          { value: 'view', label: LEVEL_LABELS.view },
          { value: 'message', label: LEVEL_LABELS.message },
        ]}
        value={fields.level}
        onChange={fields.setLevel}
        error={errors.fields.level}
      />
      <DateInput
        id={ENDS_ON}
        legend="Last day of access (optional)"
        hint={endsOnHint}
        value={fields.endsOn}
        onChange={fields.setEndsOn}
        error={fields.endsOnError}
      />
    </>
  );
}
