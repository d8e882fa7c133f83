import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ConfirmPage } from '../../components/ConfirmPage';
import { Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { patientFullName } from '../patients/CareTeamsSection';
import { usePatient } from '../patients/usePatient';
import { explainCancelFailure } from './cancelFailure';
import { cancelInvitation, carerKeys } from './carersApi';
import { usePatientCarers } from './usePatientCarers';

/** Confirms cancelling an invitation recorded from a paper form: its code stops working (C1). */
export function CancelPaperInvitationPage() {
  const { patientId = '', invitationId = '' } = useParams();
  const patient = usePatient(patientId);
  const carers = usePatientCarers(patientId);
  const navigate = useNavigate();
  const client = useQueryClient();
  const errors = useFormErrors();
  const patientPath = `/patients/${encodeURIComponent(patientId)}`;
  const invitation = carers.data?.paperInvitations.find((i) => i.id === invitationId);
  const name = patient.data ? patientFullName(patient.data) : null;
  const cancel = useMutation({
    mutationFn: () => cancelInvitation(invitationId),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: carerKeys.patient(patientId) });
      void navigate(patientPath, {
        state: {
          flash: `The invitation to ${invitation?.email ?? 'the carer'} has been cancelled`,
        },
      });
    },
  });
  usePageTitle(
    invitation ? `Cancel the invitation to ${invitation.email}` : 'Cancel a carer invitation',
    errors.hasErrors,
  );

  if (patient.isPending || carers.isPending) return <Loading />;
  if (patient.isError) return <LoadFailure error={patient.error} />;
  if (carers.isError) return <LoadFailure error={carers.error} />;
  // Once cancelled, the refreshed list no longer has it: wait for the navigation.
  if (!invitation && (cancel.isPending || cancel.isSuccess)) return <Loading />;
  if (!invitation || !name) return <LoadFailure error={new ApiError({ status: 404 })} />;

  const onConfirm = () =>
    cancel.mutate(undefined, {
      onError: explainCancelFailure(
        errors,
        `${invitation.email} has already accepted this invitation and is now ${name}’s carer. If ${name} wants their access to end, go back to ${name}’s record and choose Record that the patient wants this to end.`,
      ),
    });

  return (
    <ConfirmPage
      back={{ to: patientPath, label: `Back to ${name}` }}
      caption={name}
      question={`Are you sure you want to cancel the invitation to ${invitation.email}?`}
      errors={errors}
      confirm="Yes, cancel the invitation"
      keep="No, keep the invitation"
      pending={cancel.isPending}
      onConfirm={onConfirm}
    >
      <WarningCallout title="The code will stop working">
        The code given with this invitation will no longer work. {invitation.email} will not become{' '}
        {name}’s carer unless {name} signs a new consent form or invites them online.
      </WarningCallout>
    </ConfirmPage>
  );
}
