import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { getTeam } from '../../api/endpoints';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { CareEndedPage, careEndedSince, careEndedTitle } from '../carers/CareEnded';
import { useUser } from '../session/useSession';
import {
  AppointmentConversationLink,
  AppointmentDetails,
  AppointmentHistory,
} from './AppointmentSummary';
import { useAppointment, type Appointment } from './appointmentsApi';
import { formatDay, formatWhen } from './appointmentTime';
import { StaffAppointmentView } from './StaffAppointmentView';

/** One appointment: patients and carers may ask to change it; staff change it. */
export function AppointmentPage() {
  const { appointmentId = '' } = useParams();
  const user = useUser();
  const appointment = useAppointment(appointmentId);
  // A carer opening, or looking again at, an appointment they saw before their access ended.
  const ended = careEndedSince(appointment.error, appointment.data?.patientId, user);
  usePageTitle(
    ended
      ? careEndedTitle('appointment')
      : appointment.data
        ? `Appointment on ${formatDay(appointment.data.startsAt)}`
        : 'Appointment',
  );
  if (appointment.isPending) return <Loading what="appointment" />;
  if (ended) return <CareEndedPage what="appointment" />;
  if (appointment.isError) return <LoadFailure error={appointment.error} />;
  return user.kind === 'professional' ? (
    <StaffAppointmentView appointment={appointment.data} />
  ) : (
    <PatientAppointmentView appointment={appointment.data} />
  );
}

function PatientAppointmentView({ appointment }: { appointment: Appointment }) {
  const user = useUser();
  const flash = flashFrom(useLocation().state);
  const own = appointment.patientId === user.patientId;
  return (
    <>
      <BackLink to={own ? '/appointments' : `/cared-for/${appointment.patientId}/appointments`}>
        Back to appointments
      </BackLink>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading caption={`${appointment.team.name} appointment`}>
        {formatWhen(appointment.startsAt)}
      </Heading>
      <AppointmentDetails appointment={appointment} />
      <ChangeOptions appointment={appointment} own={own} />
      <AppointmentConversationLink appointment={appointment} />
      <AppointmentHistory appointment={appointment} />
    </>
  );
}

/** "3 days" or "48 hours": how long before the appointment requests close. */
function cutoffWords(appointment: Appointment): string {
  const hours = Math.round(
    (new Date(appointment.startsAt).getTime() - new Date(appointment.changeCutoffAt).getTime()) /
      3_600_000,
  );
  if (hours % 24 === 0) {
    const days = hours / 24;
    return `${days} ${days === 1 ? 'day' : 'days'}`;
  }
  return `${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}

function ChangeOptions({ appointment, own }: { appointment: Appointment; own: boolean }) {
  const team = useQuery({
    queryKey: ['teams', appointment.team.id],
    queryFn: () => getTeam(appointment.team.id),
    // Only the "call the team" advice needs the team's phone number.
    enabled: appointment.status === 'booked' && !appointment.canAskToChange,
    retry: false,
  });
  if (appointment.status !== 'booked') return null;
  const now = Date.now();
  if (new Date(appointment.startsAt).getTime() <= now) return null;
  // Wait for the team's phone number rather than show the advice without it, then with it.
  if (!appointment.canAskToChange && team.isPending) return null;
  const phone = team.data?.phone;
  const call = phone
    ? `call ${appointment.team.name} on ${phone}`
    : `call ${appointment.team.name}`;

  if (appointment.canAskToChange) {
    return (
      <>
        <h2 className="nhsuk-heading-m">Need to change or cancel?</h2>
        <p className="nhsuk-body">
          You can ask online until {formatWhen(appointment.changeCutoffAt)}. The appointments team
          will reply in your messages.
        </p>
        <div className="app-actions">
          <Link className="nhsuk-button" to={`/appointments/${appointment.id}/ask-to-change`}>
            Ask to change
          </Link>
          <Link
            className="nhsuk-button nhsuk-button--secondary"
            to={`/appointments/${appointment.id}/ask-to-cancel`}
          >
            Ask to cancel
          </Link>
        </div>
      </>
    );
  }
  if (new Date(appointment.changeCutoffAt).getTime() <= now) {
    return (
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>
          It’s less than {cutoffWords(appointment)} until {own ? 'your' : 'the'} appointment. To
          change or cancel it, {call}.
        </p>
        <p>Requests online closed on {formatWhen(appointment.changeCutoffAt)}.</p>
      </div>
    );
  }
  return <p className="nhsuk-body">To change or cancel this appointment, {call}.</p>;
}
