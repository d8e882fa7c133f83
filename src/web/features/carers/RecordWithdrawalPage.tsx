import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ConfirmPage } from '../../components/ConfirmPage';
import { Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { ownConversationChange } from '../conversations/useConversations';
import { patientFullName } from '../patients/CareTeamsSection';
import { usePatient } from '../patients/usePatient';
import { carerKeys, recordConsentWithdrawal } from './carersApi';
import { usePatientCarers } from './usePatientCarers';
import { WITNESS, WitnessField } from './WitnessField';

/**
 * Staff with record access record that the patient asked to end a carer's consent, naming
 * who witnessed the request (C1): the carer's access ends at once.
 */
export function RecordWithdrawalPage() {
  const { patientId = '', consentId = '' } = useParams();
  const patient = usePatient(patientId);
  const carers = usePatientCarers(patientId);
  const navigate = useNavigate();
  const client = useQueryClient();
  const errors = useFormErrors();
  const [witness, setWitness] = useState('');
  const patientPath = `/patients/${encodeURIComponent(patientId)}`;
  const consent = carers.data?.carers.find((c) => c.id === consentId);
  const name = patient.data ? patientFullName(patient.data) : null;
  const end = useMutation({
    mutationFn: (witnessedBy: string) => recordConsentWithdrawal(consentId, witnessedBy),
    // Ending a consent takes the carer out of conversations: staff's own change, not news.
    meta: ownConversationChange,
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: carerKeys.patient(patientId) });
      void navigate(patientPath, {
        state: {
          flash: `${consent?.carer.name ?? 'The carer'} can no longer see ${name ?? 'the patient'}’s messages`,
        },
      });
    },
  });
  usePageTitle(
    consent ? `End ${consent.carer.name}’s access` : 'End a carer’s access',
    errors.hasErrors,
  );

  if (patient.isPending || carers.isPending) return <Loading />;
  if (patient.isError) return <LoadFailure error={patient.error} />;
  if (carers.isError) return <LoadFailure error={carers.error} />;
  // Once ended, the refreshed list no longer has it: wait for the navigation.
  if (!consent && (end.isPending || end.isSuccess)) return <Loading />;
  if (!consent || !name) return <LoadFailure error={new ApiError({ status: 404 })} />;

  const onConfirm = () => {
    if (!witness.trim()) {
      return errors.show([
        { href: WITNESS, message: `Enter who witnessed ${name} ask to end this carer’s access` },
      ]);
    }
    end.mutate(witness.trim(), {
      onError: (error) =>
        errors.showApiError(error, (key) => (key === 'witnessedBy' ? WITNESS : null)),
    });
  };

  return (
    <ConfirmPage
      back={{ to: patientPath, label: `Back to ${name}` }}
      caption={name}
      question={`Record that ${name} wants ${consent.carer.name}’s access to end`}
      errors={errors}
      confirm={`End ${consent.carer.name}’s access`}
      keep="No, keep their access"
      pending={end.isPending}
      onConfirm={onConfirm}
    >
      <WarningCallout title={`${consent.carer.name} will lose access at once`}>
        {consent.carer.name} will no longer be able to read {name}’s messages or send messages for
        them, from their very next page. To be a carer again they need a new consent from {name}.
      </WarningCallout>
      <WitnessField
        label={`Who witnessed ${name} ask for this?`}
        value={witness}
        onChange={setWitness}
        error={errors.fields[WITNESS]}
      />
    </ConfirmPage>
  );
}
