import { Link, useLocation } from 'react-router';
import { ApiError } from '../../api/client';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { useUser } from '../session/useSession';
import {
  AppointmentConversationLink,
  AppointmentDetails,
  AppointmentHistory,
  AppointmentLists,
} from './AppointmentSummary';
import { usePatientAppointments, type Appointment } from './appointmentsApi';
import { formatWhen } from './appointmentTime';

/** An appointment as staff see it: change or cancel it, and who changed what. */
export function StaffAppointmentView({ appointment }: { appointment: Appointment }) {
  const flash = flashFrom(useLocation().state);
  const booked = appointment.status === 'booked';
  return (
    <>
      <BackLink to={`/patients/${appointment.patientId}`}>Back to the patient record</BackLink>
      {flash ? <SuccessBanner message={flash} /> : null}
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
      <AppointmentConversationLink appointment={appointment} />
      <AppointmentHistory appointment={appointment} />
    </>
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
