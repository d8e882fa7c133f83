import { useState, type FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { TextInput } from '../../components/fields';
import { Heading, usePageTitle } from '../../components/Page';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { useFormErrors } from '../../components/useFormErrors';
import { isSecondFactorRequired } from '../account/api';
import { signedOutNotice } from '../account/signedOutNotice';
import { usePasswordSignIn } from '../account/useAccount';
import { SingleSignOnOptions } from './SingleSignOnOptions';
import { useSession } from './useSession';

export function SignInPage() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const errors = useFormErrors();
  const session = useSession();
  const signIn = usePasswordSignIn();
  const navigate = useNavigate();
  const location = useLocation();
  usePageTitle('Sign in', errors.hasErrors);

  const from = (location.state as { from?: string } | null)?.from;
  const [flash] = useState(() => flashFrom(location.state) ?? signedOutNotice());
  const destination = from && from.startsWith('/') && !from.startsWith('//') ? from : '/';

  if (session.data && !signIn.isPending) return <Navigate to={destination} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const list: SummaryError[] = [];
    if (!email.trim()) list.push({ href: 'email', message: 'Enter your email address' });
    if (!password) list.push({ href: 'password', message: 'Enter your password' });
    if (list.length) return errors.show(list);
    signIn.mutate(
      { email: email.trim(), password },
      {
        onSuccess: (result) =>
          // An account with an authenticator app answers its code on the next page.
          void (isSecondFactorRequired(result)
            ? navigate('/sign-in/code', { state: { from: destination } })
            : navigate(destination, { replace: true })),
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'auth.invalid_credentials') {
            errors.show([{ href: 'email', message: 'Enter a correct email address and password' }]);
          } else if (error instanceof ApiError && error.code === 'auth.too_many_attempts') {
            errors.show([{ href: null, message: error.message }]);
          } else {
            errors.showApiError(error);
          }
        },
      },
    );
  };

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {flash && !errors.hasErrors ? <SuccessBanner message={flash} /> : null}
        <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
        <Heading>Sign in to Carethread</Heading>
        <SingleSignOnOptions returnTo={destination} />
        <form noValidate onSubmit={onSubmit}>
          <TextInput
            id="email"
            label="Email address"
            type="email"
            autoComplete="email"
            spellCheck={false}
            value={email}
            onChange={setEmail}
            error={errors.fields.email}
          />
          <TextInput
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            error={errors.fields.password}
            width="nhsuk-input--width-20"
          />
          <button className="nhsuk-button" type="submit" disabled={signIn.isPending}>
            Sign in
          </button>
        </form>
      </div>
    </div>
  );
}
