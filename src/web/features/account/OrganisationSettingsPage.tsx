import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Radios, type Option } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { SuccessBanner } from '../../components/SuccessBanner';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import type { SignInPolicy } from './api';
import { useSignInPolicy, useTotpStatus, useUpdateSignInPolicy } from './useAccount';

type Answer = 'yes' | 'no';
const OPTIONS: Option<Answer>[] = [
  { value: 'yes', label: 'Yes, they need an authenticator app as well as their password' },
  { value: 'no', label: 'No, a password is enough' },
];
const TITLE = 'Sign-in settings';

/** /organisations/:organisationId/settings: a coordinator's sign-in policy for their staff (C5). */
export function OrganisationSettingsPage() {
  const { organisationId = '' } = useParams();
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  const policy = useSignInPolicy(organisationId);
  usePageTitle(TITLE);
  if (!organisation) return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (policy.isPending) return <Loading />;
  if (policy.isError) return <LoadFailure error={policy.error} />;
  return <PolicyForm organisationName={organisation.name} policy={policy.data} />;
}

function PolicyForm({
  organisationName,
  policy,
}: {
  organisationName: string;
  policy: SignInPolicy;
}) {
  const [answer, setAnswer] = useState<Answer>(policy.requireTotp ? 'yes' : 'no');
  const [saved, setSaved] = useState(0);
  const errors = useFormErrors();
  const update = useUpdateSignInPolicy(policy.organisationId);
  const mine = useTotpStatus();
  usePageTitle(TITLE, errors.hasErrors);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    errors.clear();
    update.mutate(answer === 'yes', {
      onSuccess: () => setSaved((n) => n + 1),
      onError: (error) => errors.showApiError(error, () => 'require-totp'),
    });
  };

  return (
    <>
      <BackLink to="/account">Back to your account</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {saved > 0 ? (
            <SuccessBanner key={saved} message="The sign-in settings have been saved" focus />
          ) : null}
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={organisationName}>{TITLE}</Heading>
          <form noValidate onSubmit={onSubmit}>
            <Radios
              id="require-totp"
              legend="Do staff who sign in with a password need an authenticator app?"
              legendClassName="nhsuk-fieldset__legend--m"
              hint="Staff without one are asked to set it up the next time they use Carethread, before they can do anything else. Staff who use single sign-on, and patients, are not affected."
              options={OPTIONS}
              value={answer}
              error={errors.fields['require-totp']}
              onChange={setAnswer}
            />
            {answer === 'yes' && mine.data?.available && !mine.data.enabled ? (
              <div className="nhsuk-inset-text">
                <span className="nhsuk-u-visually-hidden">Information: </span>
                <p>
                  You do not have an authenticator app yet: you will be asked to set one up too.
                </p>
              </div>
            ) : null}
            <button className="nhsuk-button" type="submit" disabled={update.isPending}>
              Save settings
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
