import { Heading, usePageTitle } from '../../components/Page';

export function VerifyIdentityCallout() {
  return (
    <div className="nhsuk-warning-callout">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          Verify your identity
        </span>
      </h2>
      <p>You need to verify your identity with NHS login before you can read or send messages.</p>
    </div>
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
