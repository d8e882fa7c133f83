import { useEffect, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { cleanCode, type TotpEnrolment } from './api';
import { CodeInput } from './CodeInput';
import { RecoveryCodesPage } from './RecoveryCodesPage';
import { useConfirmTotpSetup, useStartTotpSetup, useTotpStatus } from './useAccount';

const TITLE = 'Set up an authenticator app';

/**
 * /account/authenticator: scan a QR code (or type the key), prove it with a code, then
 * save the recovery codes. Staff whose organisation requires an app are sent here first.
 */
export function TotpSetupPage() {
  const status = useTotpStatus();
  const start = useStartTotpSetup();
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  usePageTitle(TITLE);
  const needsEnrolment = status.data?.available === true && !status.data.enabled;
  const { mutate, isIdle } = start;

  useEffect(() => {
    // Asking twice shows the same secret, so a reload or a double effect is harmless.
    if (needsEnrolment && isIdle) mutate();
  }, [needsEnrolment, isIdle, mutate]);

  if (recoveryCodes) return <RecoveryCodesPage codes={recoveryCodes} />;
  if (status.isPending) return <Loading />;
  if (status.isError) return <LoadFailure error={status.error} />;
  if (!status.data.available) return <LoadFailure error={new ApiError({ status: 404 })} />;
  if (status.data.enabled) return <AlreadySetUp />;
  if (start.isError) return <LoadFailure error={start.error} />;
  if (!start.data) return <Loading />;
  return (
    <ScanAndConfirm
      enrolment={start.data}
      required={status.data.setupRequired}
      onConfirmed={setRecoveryCodes}
    />
  );
}

function AlreadySetUp() {
  return (
    <>
      <Heading>Your authenticator app is set up</Heading>
      <p className="nhsuk-body">
        When you sign in with your password, we ask for a code from your app.
      </p>
      <p className="nhsuk-body">
        <Link to="/account">Back to your account</Link>
      </p>
    </>
  );
}

/** The key in groups of four, as authenticator apps show and accept it. */
const grouped = (secret: string) => secret.match(/.{1,4}/g)?.join(' ') ?? secret;

function ScanAndConfirm({
  enrolment,
  required,
  onConfirmed,
}: {
  enrolment: TotpEnrolment;
  required: boolean;
  onConfirmed: (codes: string[]) => void;
}) {
  const [code, setCode] = useState('');
  const errors = useFormErrors();
  const confirm = useConfirmTotpSetup();
  usePageTitle(TITLE, errors.hasErrors);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const typed = cleanCode(code);
    if (typed === '') {
      return errors.show([{ href: 'code', message: 'Enter the 6-digit code from your app' }]);
    }
    if (!/^[0-9]{6}$/.test(typed)) {
      return errors.show([{ href: 'code', message: 'Enter the code as 6 digits' }]);
    }
    confirm.mutate(typed, {
      onSuccess: (result) => onConfirmed(result.recoveryCodes),
      onError: (error) => errors.showApiError(error, (key) => (key === 'code' ? 'code' : null)),
    });
  };

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
        <Heading>{TITLE}</Heading>
        {required ? (
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              Your organisation asks staff who sign in with a password to use an authenticator app
              as well. Set one up to continue.
            </p>
          </div>
        ) : null}
        <p className="nhsuk-body">
          An authenticator app on your phone shows a new 6-digit code every 30 seconds. We will ask
          for it each time you sign in with your password.
        </p>

        <h2 className="nhsuk-heading-m">1. Get an authenticator app</h2>
        <p className="nhsuk-body">
          Use any authenticator app, such as Microsoft Authenticator or Google Authenticator.
        </p>

        <h2 className="nhsuk-heading-m">2. Add Carethread to the app</h2>
        <p className="nhsuk-body">In the app, choose to add an account and scan this QR code.</p>
        <p className="nhsuk-body">
          <img
            src={enrolment.qrCode}
            alt="QR code to add Carethread to your authenticator app"
            width={200}
            height={200}
          />
        </p>
        <p className="nhsuk-body">
          If you cannot scan the code, enter this key in the app instead:
        </p>
        <p className="nhsuk-body nhsuk-u-font-weight-bold">
          <code data-secret={enrolment.secret}>{grouped(enrolment.secret)}</code>
        </p>

        <h2 className="nhsuk-heading-m">3. Enter the code from the app</h2>
        <form noValidate onSubmit={onSubmit}>
          <CodeInput
            id="code"
            label="Security code"
            hint="The 6-digit code the app shows for Carethread, for example 123456"
            numeric
            value={code}
            onChange={setCode}
            error={errors.fields.code}
          />
          <button className="nhsuk-button" type="submit" disabled={confirm.isPending}>
            Continue
          </button>
        </form>
      </div>
    </div>
  );
}
