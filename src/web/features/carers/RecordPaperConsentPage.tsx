import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { patientFullName } from '../patients/CareTeamsSection';
import { usePatient } from '../patients/usePatient';
import { carerKeys, inviteCarer } from './carersApi';
import { InviteCarerFields, useInviteCarerFields } from './InviteCarerFields';
import { WITNESS, WitnessField } from './WitnessField';

/**
 * Staff with record access record a carer's consent from a paper form the patient signed in
 * front of a witness (C1). The answer is a one-time code, shown here once, for the carer.
 */
export function RecordPaperConsentPage() {
  const { patientId = '' } = useParams();
  const patient = usePatient(patientId);
  const client = useQueryClient();
  const errors = useFormErrors();
  const fields = useInviteCarerFields(errors, {
    emailMissing: 'Enter the carer’s email address',
    levelMissing: 'Choose what the carer may do',
  });
  const [witness, setWitness] = useState('');
  const [recorded, setRecorded] = useState<{ email: string; code: string } | null>(null);
  const record = useMutation({
    mutationFn: inviteCarer,
    onSuccess: () => client.invalidateQueries({ queryKey: carerKeys.patient(patientId) }),
  });
  const name = patient.data ? patientFullName(patient.data) : null;
  usePageTitle(
    recorded ? 'Give the carer this code' : 'Record consent from a paper form',
    errors.hasErrors,
  );

  if (patient.isPending) return <Loading />;
  if (patient.isError) return <LoadFailure error={patient.error} />;
  const patientPath = `/patients/${encodeURIComponent(patientId)}`;
  const patientName = name ?? '';
  if (recorded) {
    return <CodePage {...recorded} patientName={patientName} patientPath={patientPath} />;
  }

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    const { input, problems } = fields.read();
    if (!witness.trim()) {
      problems.push({ href: WITNESS, message: `Enter who witnessed ${patientName} sign the form` });
    }
    if (!input || problems.length > 0) return errors.show(problems);
    record.mutate(
      { ...input, patientId, witnessedBy: witness.trim() },
      {
        onSuccess: (result) => {
          errors.clear();
          setRecorded({ email: result.invitation.email, code: result.code });
        },
        onError: (error) => fields.showApiError(error, { witnessedBy: WITNESS }),
      },
    );
  };

  return (
    <>
      <BackLink to={patientPath}>Back to {patientName}</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={patientName}>Record consent from a paper form</Heading>
          <p className="nhsuk-body">
            Use this when {patientName} has signed a paper form agreeing to someone being their
            carer, in front of a witness. The carer gets a code to accept with their own NHS login.
          </p>
          <form noValidate onSubmit={onSubmit}>
            <InviteCarerFields
              fields={fields}
              errors={errors}
              emailLabel="Carer’s email address"
              emailHint="As written on the form"
              levelLegend="What may the carer do?"
              endsOnHint={`For example, 31 3 2027. Leave it empty if the form gives none: access then lasts until ${patientName} ends it.`}
            />
            <WitnessField
              label={`Who witnessed ${patientName} sign the form?`}
              value={witness}
              onChange={setWitness}
              error={errors.fields[WITNESS]}
            />
            <button className="nhsuk-button" type="submit" disabled={record.isPending}>
              Record consent
            </button>
          </form>
        </div>
      </div>
    </>
  );
}

/** The code, shown this once (only its hash is kept), and what to do with it. */
function CodePage({
  email,
  code,
  patientName,
  patientPath,
}: {
  email: string;
  code: string;
  patientName: string;
  patientPath: string;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <div className="nhsuk-panel">
          <h1 className="nhsuk-heading-l app-heading" tabIndex={-1} ref={heading}>
            <span className="nhsuk-caption-l">
              {patientName}
              <span className="nhsuk-u-visually-hidden"> - </span>
            </span>
            Give the carer this code
          </h1>
          <p className="nhsuk-heading-l app-invitation-code" data-testid="invitation-code">
            {code}
          </p>
        </div>
        <p className="nhsuk-body">
          {patientName}’s consent is recorded. This code is shown only once: give it to {email}{' '}
          yourself, on paper or by phone. We will email them to say they have been invited, but the
          email does not contain the code.
        </p>
        <h2 className="nhsuk-heading-m">What the carer does next</h2>
        <ul className="nhsuk-list nhsuk-list--bullet">
          <li>The code works once, for 14 days.</li>
          <li>They sign in to Carethread with their own NHS login, not {patientName}’s.</li>
          <li>They choose “Accept a carer invitation” and type the code.</li>
        </ul>
        <p className="nhsuk-body">
          Until they accept, the invitation is listed on {patientName}’s record, where you can
          cancel it.
        </p>
        <Link className="nhsuk-button" to={patientPath}>
          Back to {patientName}’s record
        </Link>
      </div>
    </div>
  );
}
