import { useState } from 'react';
import { Link, useLocation } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading } from '../../components/Page';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { useUser } from '../session/useSession';
import {
  AppointmentConversationLink,
  AppointmentDetails,
  AppointmentHistory,
  AppointmentLists,
} from './AppointmentSummary';
import { usePatientAppointments, type Appointment } from './appointmentsApi';
import { useAppointmentUpdate } from './ChangeAppointmentPages';
import { formatWhen } from './appointmentTime';

/** An appointment as staff see it: change or cancel it, and who changed what. */
export function StaffAppointmentView({ appointment }: { appointment: Appointment }) {
  const flash = flashFrom(useLocation().state);
  const [recorded, setRecorded] = useState<string | null>(null);
  const booked = appointment.status === 'booked';
  return (
    <>
      <BackLink to={`/patients/${appointment.patientId}`}>Back to the patient record</BackLink>
      {recorded ? <SuccessBanner message={recorded} focus /> : null}
      {flash && !recorded ? <SuccessBanner message={flash} /> : null}
      <Heading caption={`${appointment.team.name} appointment`}>
        {formatWhen(appointment.startsAt)}
      </Heading>
      <AppointmentDetails appointment={appointment} />
      {booked && appointment.canChange ? (
        <div className="app-actions nhsuk-u-margin-bottom-5">
          <Link className="nhsuk-button" to={`/appointments/${appointment.id}/change`}>
            Change appointment
          </Link>
          <Link
            className="nhsuk-button nhsuk-button--warning"
            to={`/appointments/${appointment.id}/cancel`}
          >
            Cancel appointment
          </Link>
        </div>
      ) : null}
      {appointment.canRecordAttendance ? (
        <AttendanceActions appointment={appointment} onRecorded={setRecorded} />
      ) : null}
      <AppointmentConversationLink appointment={appointment} />
      <AppointmentHistory appointment={appointment} />
    </>
  );
}

/**
 * Once an appointment has started, staff record whether the patient came. The server
 * refuses it before the start (appointment.not_started) and after someone else's change.
 */
function AttendanceActions({
  appointment,
  onRecorded,
}: {
  appointment: Appointment;
  onRecorded: (message: string) => void;
}) {
  const errors = useFormErrors();
  const { update, reload } = useAppointmentUpdate(appointment.id);
  const record = (status: 'fulfilled' | 'noshow', said: string) => {
    errors.clear();
    // mutateAsync, not mutate's callbacks: the new status unmounts this section before
    // the mutation's own callbacks would run.
    update.mutateAsync({ version: appointment.version, status }).then(
      () => onRecorded(said),
      (error: unknown) => {
        errors.showApiError(error, () => null);
        void reload();
      },
    );
  };
  return (
    <section aria-labelledby="attendance-heading" className="nhsuk-u-margin-bottom-5">
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <h2 className="nhsuk-heading-m" id="attendance-heading">
        Did the patient come?
      </h2>
      <div className="app-actions">
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
          disabled={update.isPending}
          onClick={() => record('fulfilled', 'Recorded as attended')}
        >
          Mark as attended
        </button>
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
          disabled={update.isPending}
          onClick={() => record('noshow', 'Recorded as did not attend')}
        >
          Mark as did not attend
        </button>
      </div>
    </section>
  );
}

/** The appointments section of a patient's record, with "Book an appointment". */
export function RecordAppointments({ patientId }: { patientId: string }) {
  const user = useUser();
  const list = usePatientAppointments(patientId);
  const hidden =
    list.error instanceof ApiError && (list.error.status === 403 || list.error.status === 404);
  return (
    <section aria-labelledby="appointments-heading">
      <h2 className="nhsuk-heading-m" id="appointments-heading">
        Appointments
      </h2>
      {/* Whether the viewer's team may book for this patient is the server's to say. */}
      {user.memberships.length > 0 ? (
        <Link
          className="nhsuk-button nhsuk-button--secondary"
          to={`/patients/${patientId}/appointments/new`}
        >
          Book an appointment
        </Link>
      ) : null}
      {list.isPending ? (
        <Loading what="appointments" />
      ) : hidden ? (
        <p className="nhsuk-body">Your team cannot see this patient’s appointments.</p>
      ) : list.isError ? (
        <SectionLoadFailure error={list.error} what="the appointments" />
      ) : (
        <AppointmentLists upcoming={list.data.upcoming} past={list.data.past} whose="this" nested />
      )}
    </section>
  );
}
