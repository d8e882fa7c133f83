import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Select } from '../../components/fields';
import { getSignInOptions, nhsLoginStartUrl, STAFF_START_URL } from './oidcApi';
import './single-sign-on.scss';

/**
 * "Continue with NHS login" for patients and "Staff single sign-on" for staff, shown above
 * the email and password form. Both are plain links or GET forms: the server sends the
 * browser on to the identity provider, so they work before any script has loaded.
 */
export function SingleSignOnOptions({ returnTo }: { returnTo?: string }) {
  const options = useQuery({
    queryKey: ['sign-in-options'],
    queryFn: getSignInOptions,
    staleTime: 60_000,
  });
  const staff = options.data?.staff ?? [];
  const [organisationId, setOrganisationId] = useState('');
  if (!options.data || (!options.data.nhsLogin && staff.length === 0)) return null;
  const chosen = organisationId || staff[0]?.organisationId || '';

  return (
    <div className="app-single-sign-on">
      {options.data.nhsLogin ? (
        <>
          <h2 className="nhsuk-heading-m">Patients</h2>
          <p className="nhsuk-body">
            Use your NHS login to read and send messages to your care teams.
          </p>
          <a
            className="nhsuk-button app-nhs-login-button"
            href={nhsLoginStartUrl(returnTo)}
            role="button"
            draggable={false}
          >
            Continue with NHS login
          </a>
        </>
      ) : null}
      {staff.length > 0 ? (
        <>
          <h2 className="nhsuk-heading-m">Staff</h2>
          <form method="get" action={STAFF_START_URL}>
            {staff.length === 1 ? (
              <>
                <p className="nhsuk-body">
                  Sign in with your{' '}
                  {staff[0]!.provider === 'cis2' ? 'smartcard or NHS CIS2' : 'organisation'} account
                  for {staff[0]!.organisationName}.
                </p>
                <input type="hidden" name="organisationId" value={chosen} />
              </>
            ) : (
              <Select
                id="organisationId"
                label="Your organisation"
                options={staff.map((s) => ({ value: s.organisationId, label: s.organisationName }))}
                value={chosen}
                onChange={setOrganisationId}
              />
            )}
            {returnTo && returnTo !== '/' ? (
              <input type="hidden" name="returnTo" value={returnTo} />
            ) : null}
            <button className="nhsuk-button nhsuk-button--secondary" type="submit">
              Staff single sign-on
            </button>
          </form>
        </>
      ) : null}
      <h2 className="nhsuk-heading-m app-sign-in-divider">Or sign in with your email address</h2>
    </div>
  );
}
