import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, usePageTitle } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { cleanCode } from './api';
import { CodeInput } from './CodeInput';
import { useReturnTo } from './destination';
import { useVerifySignInCode, useVerifySignInRecoveryCode } from './useAccount';

/**
 * Shows a failed code: problems with the code itself go to the field; a timed-out sign-in
 * or too many attempts go to the summary alone.
 */
function showCodeError(
  errors: ReturnType<typeof useFormErrors>,
  error: unknown,
  fieldCodes: string[],
) {
  if (error instanceof ApiError && fieldCodes.includes(error.code)) {
    errors.show([{ href: 'code', message: error.message.replace(/\.$/, '') }]);
  } else if (error instanceof ApiError && error.code === 'auth.sign_in_expired') {
    errors.show([{ href: null, message: 'Your sign-in has timed out. Sign in again.' }]);
  } else {
    errors.showApiError(error, () => null);
  }
}

function CodePage({
  title,
  intro,
  label,
  hint,
  numeric,
  emptyMessage,
  check,
  submit,
  fieldCodes,
  pending,
  alternative,
}: {
  title: string;
  intro: string;
  label: string;
  hint: string;
  numeric: boolean;
  emptyMessage: string;
  check?: (code: string) => string | null;
  submit: (code: string, options: { onSuccess: () => void; onError: (e: unknown) => void }) => void;
  fieldCodes: string[];
  pending: boolean;
  alternative: { to: string; text: string };
}) {
  const [code, setCode] = useState('');
  const errors = useFormErrors();
  const navigate = useNavigate();
  const destination = useReturnTo();
  usePageTitle(title, errors.hasErrors);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const typed = numeric ? cleanCode(code) : code.trim();
    const problem = typed === '' ? emptyMessage : (check?.(typed) ?? null);
    if (problem) return errors.show([{ href: 'code', message: problem }]);
    submit(typed, {
      onSuccess: () => void navigate(destination, { replace: true }),
      onError: (error) => showCodeError(errors, error, fieldCodes),
    });
  };

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
        <Heading>{title}</Heading>
        <p className="nhsuk-body">{intro}</p>
        <form noValidate onSubmit={onSubmit}>
          <CodeInput
            id="code"
            label={label}
            hint={hint}
            numeric={numeric}
            value={code}
            onChange={setCode}
            error={errors.fields.code}
          />
          <button className="nhsuk-button" type="submit" disabled={pending}>
            Continue
          </button>
        </form>
        <p className="nhsuk-body">
          <Link to={alternative.to} state={{ from: destination }}>
            {alternative.text}
          </Link>
        </p>
        <p className="nhsuk-body">
          <Link to="/sign-in" state={{ from: destination }}>
            Sign in again
          </Link>
        </p>
      </div>
    </div>
  );
}

/** /sign-in/code: the second step of a password sign-in for an account with an app (C5). */
export function SignInCodePage() {
  const verify = useVerifySignInCode();
  return (
    <CodePage
      title="Enter the code from your authenticator app"
      intro="Your account is protected by an authenticator app. Open it to see your code for Carethread."
      label="Security code"
      hint="The 6-digit code, for example 123456. A new code appears every 30 seconds."
      numeric
      emptyMessage="Enter the 6-digit code from your authenticator app"
      check={(code) => (/^[0-9]{6}$/.test(code) ? null : 'Enter the code as 6 digits')}
      submit={verify.mutate}
      fieldCodes={['auth.invalid_code', 'auth.code_already_used']}
      pending={verify.isPending}
      alternative={{ to: '/sign-in/recovery-code', text: 'I cannot use my authenticator app' }}
    />
  );
}

/** /sign-in/recovery-code: the second step with one of the single-use recovery codes. */
export function SignInRecoveryCodePage() {
  const verify = useVerifySignInRecoveryCode();
  return (
    <CodePage
      title="Enter a recovery code"
      intro="You were given 10 recovery codes when you set up your authenticator app. Each one works once."
      label="Recovery code"
      hint="For example, abcde-fghjk"
      numeric={false}
      emptyMessage="Enter one of your recovery codes"
      submit={verify.mutate}
      fieldCodes={['auth.invalid_recovery_code']}
      pending={verify.isPending}
      alternative={{ to: '/sign-in/code', text: 'Use a code from my authenticator app' }}
    />
  );
}
