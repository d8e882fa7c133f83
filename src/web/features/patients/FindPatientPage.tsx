import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { ApiError } from '../../api/client';
import { findPatientByNhsNumber } from '../../api/endpoints';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextInput } from '../../components/fields';
import { Heading, usePageTitle } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';

const NOT_LOOKED_AFTER = 'No record with this NHS number is looked after by your teams';

/** What is wrong with a typed NHS number before asking the server, or null. */
export function nhsNumberProblem(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  if (digits === '') return 'Enter the patient’s NHS number';
  if (!/^[0-9]{10}$/.test(digits)) return 'NHS number must be 10 digits';
  return null;
}

/**
 * Staff open a record by its NHS number (findPatientByNhsNumber): a record their teams look
 * after, share or have emergency access to. The number travels in the request's body only.
 */
export function FindPatientPage() {
  const errors = useFormErrors();
  const user = useUser();
  const navigate = useNavigate();
  const [nhsNumber, setNhsNumber] = useState('');
  const [notFound, setNotFound] = useState(false);
  usePageTitle('Find a patient', errors.hasErrors);
  const find = useMutation({ mutationFn: findPatientByNhsNumber });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setNotFound(false);
    const problem = nhsNumberProblem(nhsNumber);
    if (problem) return errors.show([{ href: 'nhs-number', message: problem }]);
    find.mutate(nhsNumber.trim(), {
      onSuccess: ({ patientId }) => void navigate(`/patients/${patientId}`),
      onError: (error) => {
        if (error instanceof ApiError && error.status === 404) {
          setNotFound(true);
          errors.show([{ href: 'nhs-number', message: NOT_LOOKED_AFTER }]);
        } else {
          errors.showApiError(error, (key) => (key === 'nhsNumber' ? 'nhs-number' : null));
        }
      },
    });
  };

  return (
    <>
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading>Find a patient</Heading>
      <p className="nhsuk-body">
        You can open the record of a patient your team looks after, or who has shared their record
        with your team.
      </p>
      {user.coordinatorOf.length > 0 ? (
        <p className="nhsuk-body">
          As a coordinator, you can also find a patient registered with your organisation to choose
          the teams that look after them.
        </p>
      ) : null}
      <form noValidate onSubmit={onSubmit}>
        <TextInput
          id="nhs-number"
          label="NHS number"
          hint="10 digits, for example 485 777 3456"
          value={nhsNumber}
          onChange={setNhsNumber}
          width="nhsuk-input--width-10"
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          error={errors.fields['nhs-number']}
        />
        <button className="nhsuk-button" type="submit" disabled={find.isPending}>
          Find the record
        </button>
      </form>
      {notFound ? (
        <p className="nhsuk-body">
          If you need this record for a patient’s care now, use{' '}
          <Link to="/break-glass" state={{ nhsNumber: nhsNumber.trim() }}>
            emergency access
          </Link>
          . It is recorded, the patient is told, and a coordinator reviews it.
        </p>
      ) : null}
    </>
  );
}
