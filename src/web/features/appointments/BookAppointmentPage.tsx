import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { listAllTeams } from '../../api/endpoints';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useIdempotencyKey } from '../conversations/useConversations';
import { useUser } from '../session/useSession';
import {
  appointmentFieldId,
  AppointmentFormFields,
  EMPTY_FORM,
  submitAppointmentForm,
} from './AppointmentForm';
import { appointmentKeys, createAppointment, type AppointmentInput } from './appointmentsApi';

/** The active teams of the organisations the viewer works in: who appointments may be with. */
function useBookableTeams() {
  const user = useUser();
  const organisationIds = [...new Set(user.memberships.map((m) => m.organisationId))].sort();
  return useQuery({
    queryKey: ['teams', 'bookable', organisationIds],
    queryFn: async () => {
      const lists = await Promise.all(organisationIds.map((id) => listAllTeams(id)));
      return lists.flat().filter((team) => team.active);
    },
  });
}

/** Staff book an appointment for a patient with one of their organisation's teams. */
export function BookAppointmentPage() {
  const { patientId = '' } = useParams();
  const teams = useBookableTeams();
  const [values, setValues] = useState(EMPTY_FORM);
  const errors = useFormErrors();
  const navigate = useNavigate();
  const client = useQueryClient();
  const idempotency = useIdempotencyKey();
  usePageTitle('Book an appointment', errors.hasErrors);

  const book = useMutation({
    mutationFn: (input: { key: string; payload: AppointmentInput }) =>
      createAppointment({ ...input.payload, patientId }, input.key),
    onSuccess: () => client.invalidateQueries({ queryKey: appointmentKeys.all }),
  });

  if (teams.isPending) return <Loading what="teams" />;
  if (teams.isError) return <LoadFailure error={teams.error} />;

  return (
    <>
      <BackLink to={`/patients/${patientId}`}>Back to the patient record</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading>Book an appointment</Heading>
          <p className="nhsuk-body">
            The patient and their carers get an email telling them to sign in. The email does not
            say when or where the appointment is.
          </p>
          <form
            noValidate
            onSubmit={(event) =>
              submitAppointmentForm(event, values, errors, (payload) =>
                book.mutate(
                  { key: idempotency.keyFor(payload), payload },
                  {
                    onSuccess: (appointment) => {
                      idempotency.reset();
                      void navigate(`/appointments/${appointment.id}`, {
                        state: { flash: 'The appointment has been booked' },
                      });
                    },
                    onError: (error) => errors.showApiError(error, appointmentFieldId),
                  },
                ),
              )
            }
          >
            <AppointmentFormFields
              values={values}
              onChange={setValues}
              errors={errors}
              teams={teams.data}
            />
            <button className="nhsuk-button" type="submit" disabled={book.isPending}>
              Book appointment
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
