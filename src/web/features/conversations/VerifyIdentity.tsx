import { Heading, usePageTitle } from '../../components/Page';
import { WarningCallout } from '../../components/WarningCallout';

export function VerifyIdentityCallout() {
  return (
    <WarningCallout title="Verify your identity">
      You need to verify your identity with NHS login before you can read or send messages.
    </WarningCallout>
  );
}

/** Shown instead of any messaging page to a patient not yet verified to P9. */
export function VerifyIdentityPage() {
  usePageTitle('Verify your identity');
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Heading>Verify your identity</Heading>
        <VerifyIdentityCallout />
      </div>
    </div>
  );
}
