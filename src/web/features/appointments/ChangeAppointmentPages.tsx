import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { CharacterCount } from '../../components/CharacterCount';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import {
  appointmentFieldId,
  AppointmentFormFields,
  formValuesOf,
  submitAppointmentForm,
} from './AppointmentForm';
import {
  appointmentKeys,
  getAppointment,
  updateAppointment,
  useAppointment,
  type Appointment,
  type AppointmentChange,
  type AppointmentInput,
} from './appointmentsApi';
import { formatWhen } from './appointmentTime';

const MAX_REASON = 500;

const CONFLICT =
  'Someone else changed this appointment while you were working on it. The page now shows their changes: check them and make your change again.';
const CANCELLED = 'This appointment has been cancelled, so it cannot be changed.';

/** Only what differs from the appointment as loaded, with the version it was loaded at. */
function changesFrom(appointment: Appointment, input: AppointmentInput): AppointmentChange {
  const change: AppointmentChange = { version: appointment.version };
  if (new Date(input.startsAt).getTime() !== new Date(appointment.startsAt).getTime())
    change.startsAt = input.startsAt;
  if (input.durationMinutes !== appointment.durationMinutes)
    change.durationMinutes = input.durationMinutes;
  if (input.location !== appointment.location) change.location = input.location;
  if (input.preparation !== appointment.preparation) change.preparation = input.preparation;
  if (input.clinicianProfessionalId !== (appointment.clinician?.id ?? null))
    change.clinicianProfessionalId = input.clinicianProfessionalId;
  return change;
}

/**
 * A change that raced another one (409 appointment.version_conflict) reloads the
 * appointment and says so; a cancelled one cannot be changed.
 */
export function useAppointmentUpdate(appointmentId: string) {
  const client = useQueryClient();
  const update = useMutation({
    mutationFn: (change: AppointmentChange) => updateAppointment(appointmentId, change),
    onSuccess: async (appointment) => {
      client.setQueryData(appointmentKeys.detail(appointment.id), appointment);
      await client.invalidateQueries({ queryKey: appointmentKeys.all });
    },
  });
  const reload = async (): Promise<Appointment> => {
    const fresh = await getAppointment(appointmentId);
    client.setQueryData(appointmentKeys.detail(appointmentId), fresh);
    await client.invalidateQueries({ queryKey: appointmentKeys.patient(fresh.patientId) });
    return fresh;
  };
  return { update, reload };
}

function useLoadedAppointment() {
  const { appointmentId = '' } = useParams();
  return useAppointment(appointmentId);
}

/** Staff change the date, time, place, clinician or preparation of a booked appointment. */
export function ChangeAppointmentPage() {
  const appointment = useLoadedAppointment();
  usePageTitle('Change appointment');
  if (appointment.isPending) return <Loading what="appointment" />;
  if (appointment.isError) return <LoadFailure error={appointment.error} />;
  return <ChangeForm loaded={appointment.data} />;
}

function ChangeForm({ loaded }: { loaded: Appointment }) {
  const [base, setBase] = useState(loaded);
  const [values, setValues] = useState(() => formValuesOf(loaded));
  const errors = useFormErrors();
  const navigate = useNavigate();
  const { update, reload } = useAppointmentUpdate(loaded.id);
  usePageTitle('Change appointment', errors.hasErrors);
  const back = `/appointments/${loaded.id}`;

  const onConflict = async (message: string) => {
    try {
      const fresh = await reload();
      setBase(fresh);
      setValues(formValuesOf(fresh));
    } finally {
      errors.show([{ href: null, message }]);
    }
  };

  const onSubmit = (event: FormEvent) =>
    submitAppointmentForm(
      event,
      values,
      errors,
      (input) => {
        const change = changesFrom(base, input);
        if (Object.keys(change).length === 1) {
          errors.show([{ href: null, message: 'You have not changed anything' }]);
          return;
        }
        update.mutate(change, {
          onSuccess: () =>
            void navigate(back, { state: { flash: 'The appointment has been changed' } }),
          onError: (error) => {
            if (error instanceof ApiError && error.code === 'appointment.version_conflict')
              void onConflict(CONFLICT);
            else if (error instanceof ApiError && error.code === 'appointment.cancelled')
              void onConflict(CANCELLED);
            else errors.showApiError(error, appointmentFieldId);
          },
        });
      },
      base.startsAt,
    );

  return (
    <>
      <BackLink to={back}>Back to the appointment</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={`${base.team.name}, ${formatWhen(base.startsAt)}`}>
            Change appointment
          </Heading>
          <p className="nhsuk-body">
            If you change the date, time or place, the patient and their carers get an email telling
            them to sign in.
          </p>
          <form noValidate onSubmit={onSubmit}>
            <AppointmentFormFields
              values={values}
              onChange={setValues}
              errors={errors}
              fixedTeam={
                <p className="nhsuk-body">
                  <strong>Team:</strong> {base.team.name}
                </p>
              }
            />
            <button
              className="nhsuk-button"
              type="submit"
              disabled={update.isPending || base.status === 'cancelled'}
            >
              Save changes
            </button>
          </form>
        </div>
      </div>
    </>
  );
}

/** Staff cancel an appointment, giving a reason the patient will see. */
export function CancelAppointmentPage() {
  const appointment = useLoadedAppointment();
  usePageTitle('Cancel appointment');
  if (appointment.isPending) return <Loading what="appointment" />;
  if (appointment.isError) return <LoadFailure error={appointment.error} />;
  return <CancelForm loaded={appointment.data} />;
}

function CancelForm({ loaded }: { loaded: Appointment }) {
  const [base, setBase] = useState(loaded);
  const [reason, setReason] = useState('');
  const errors = useFormErrors();
  const navigate = useNavigate();
  const { update, reload } = useAppointmentUpdate(loaded.id);
  const when = formatWhen(base.startsAt);
  usePageTitle('Cancel appointment', errors.hasErrors);
  const back = `/appointments/${loaded.id}`;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const text = reason.trim();
    if (!text) return errors.show([{ href: 'reason', message: 'Enter why it is cancelled' }]);
    if (text.length > MAX_REASON)
      return errors.show([{ href: 'reason', message: 'Reason must be 500 characters or fewer' }]);
    update.mutate(
      { version: base.version, status: 'cancelled', reason: text },
      {
        onSuccess: () =>
          void navigate(back, { state: { flash: 'The appointment has been cancelled' } }),
        onError: (error) => {
          if (
            error instanceof ApiError &&
            (error.code === 'appointment.version_conflict' ||
              error.code === 'appointment.cancelled')
          ) {
            void reload()
              .then(setBase)
              .finally(() =>
                errors.show([
                  {
                    href: null,
                    message: error.code === 'appointment.cancelled' ? CANCELLED : CONFLICT,
                  },
                ]),
              );
          } else {
            errors.showApiError(error, (field) => (field === 'reason' ? 'reason' : null));
          }
        },
      },
    );
  };

  return (
    <>
      <BackLink to={back}>Back to the appointment</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={`${base.team.name}, ${when}`}>Cancel appointment</Heading>
          <p className="nhsuk-body">
            The patient and their carers get an email telling them to sign in, and see the reason
            you give.
          </p>
          <form noValidate onSubmit={onSubmit}>
            <CharacterCount
              id="reason"
              label="Why is it cancelled?"
              labelClassName="nhsuk-label--s"
              value={reason}
              onChange={setReason}
              maxLength={MAX_REASON}
              rows={3}
              error={errors.fields.reason}
            />
            <button
              className="nhsuk-button nhsuk-button--warning"
              type="submit"
              disabled={update.isPending || base.status === 'cancelled'}
            >
              Cancel appointment
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
