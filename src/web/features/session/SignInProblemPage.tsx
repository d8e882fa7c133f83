import { Link, useSearchParams } from 'react-router';
import { Heading, usePageTitle } from '../../components/Page';

/** What went wrong, in plain English, and what the person can do about it. */
const EXPLANATIONS: Record<string, { title: string; advice: string }> = {
  'oidc.cancelled': {
    title: 'You did not finish signing in',
    advice: 'You can try again whenever you are ready.',
  },
  'oidc.flow_missing': {
    title: 'Your sign-in timed out',
    advice:
      'Signing in must be finished within 10 minutes, in the same browser you started in. Try again.',
  },
  'oidc.identity_level_too_low': {
    title: 'We could not confirm who you are',
    advice:
      'Your NHS login needs at least some of your details checked before you can use Carethread. Open the NHS App or NHS login and follow the steps to prove who you are.',
  },
  'oidc.nhs_number_conflict': {
    title: 'Your NHS login does not match your record',
    advice: 'Contact the team that looks after you so they can check your details.',
  },
  'oidc.record_linked_elsewhere': {
    title: 'Your record is linked to a different NHS login',
    advice: 'Sign in with the NHS login you used before, or contact the team that looks after you.',
  },
  'oidc.claims_missing': {
    title: 'NHS login did not share the details we need',
    advice: 'Try again and allow Carethread to see your NHS number and date of birth.',
  },
  'oidc.account_unknown': {
    title: 'You do not have a Carethread account yet',
    advice:
      'Ask your organisation’s Carethread coordinator to add you, using the same email address as your smartcard or work account.',
  },
  'oidc.account_linked_elsewhere': {
    title: 'Your account is linked to a different identity',
    advice: 'Ask your organisation’s Carethread coordinator to check your account.',
  },
  'oidc.tenant_not_allowed': {
    title: 'Your organisation’s accounts cannot sign in here',
    advice: 'Ask your Carethread coordinator to allow your organisation’s directory.',
  },
  'oidc.no_eligible_role': {
    title: 'None of your roles can be used here',
    advice:
      'Your smartcard roles are for organisations you do not belong to in Carethread. Ask your coordinator to add you to a team.',
  },
  'oidc.not_configured': {
    title: 'This way of signing in is not available',
    advice: 'Sign in with your email address and password instead.',
  },
};

const GENERAL = {
  title: 'Sorry, we could not sign you in',
  advice: 'Try again. If it keeps happening, sign in with your email address and password.',
};

export function SignInProblemPage() {
  const [params] = useSearchParams();
  const code = params.get('code') ?? '';
  const { title, advice } = EXPLANATIONS[code] ?? GENERAL;
  usePageTitle(title);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Heading>{title}</Heading>
        <p className="nhsuk-body">{advice}</p>
        <p className="nhsuk-body">
          <Link to="/sign-in">Go back to sign in</Link>
        </p>
        {code ? <p className="nhsuk-body-s">Reference: {code}</p> : null}
      </div>
    </div>
  );
}
