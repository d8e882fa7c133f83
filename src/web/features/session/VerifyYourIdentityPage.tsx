import { Navigate, Outlet } from 'react-router';
import { Heading, usePageTitle } from '../../components/Page';
import { VerifyIdentityCallout } from '../conversations/VerifyIdentity';
import { nhsLoginStartUrl } from './oidcApi';
import { useUser } from './useSession';
import './single-sign-on.scss';

/**
 * Where a patient whose NHS login is verified only to P5 lands: what that means, and how to
 * finish proving who they are with NHS login (DESIGN C5).
 */
export function VerifyYourIdentityPage() {
  const user = useUser();
  usePageTitle('Verify your identity');
  if (user.kind !== 'patient' || user.identityLevel === 'P9') return <Navigate to="/" replace />;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Heading>Verify your identity</Heading>
        <VerifyIdentityCallout />
        <p className="nhsuk-body">
          Messages can contain private information about your health, so we need to be sure they
          only reach you.
        </p>
        <p className="nhsuk-body">
          Your NHS login has some of your details checked, but not all of them. You can still sign
          in, but you cannot read or send messages until NHS login has fully confirmed who you are.
        </p>
        <h2 className="nhsuk-heading-m">What you need to do</h2>
        <ol className="nhsuk-list nhsuk-list--number">
          <li>Continue with NHS login below.</li>
          <li>
            When NHS login asks, prove who you are. You will need photo ID, such as a passport or
            driving licence, and to record a short video of your face.
          </li>
          <li>Come back to Carethread. You can then read and send messages.</li>
        </ol>
        <p className="nhsuk-body">
          If you cannot do this online, your GP surgery can help you get full access to NHS
          services.
        </p>
        <a
          className="nhsuk-button app-nhs-login-button"
          href={nhsLoginStartUrl()}
          role="button"
          draggable={false}
        >
          Continue with NHS login
        </a>
      </div>
    </div>
  );
}

/** The patient home for someone not yet verified to P9 is the "Verify your identity" page. */
export function PatientHomeGate() {
  const user = useUser();
  if (user.kind === 'patient' && user.identityLevel !== 'P9') {
    return <Navigate to="/verify-identity" replace />;
  }
  return <Outlet />;
}
