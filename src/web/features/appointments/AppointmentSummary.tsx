import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { formatDateTime } from '../conversations/format';
import type { Appointment } from './appointmentsApi';
import { formatDuration, formatWhen } from './appointmentTime';
import { changeDetails, eventWords, STATUS_LABELS, STATUS_TAGS } from './appointmentWords';

export function StatusTag({ appointment }: { appointment: Appointment }) {
  return (
    <strong className={`nhsuk-tag ${STATUS_TAGS[appointment.status]}`}>
      {STATUS_LABELS[appointment.status]}
    </strong>
  );
}

function SummaryRow({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

/** Text typed with line breaks, shown as paragraphs. */
function Paragraphs({ text }: { text: string }) {
  const lines = text.split(/\n+/).filter((line) => line.trim() !== '');
  if (lines.length === 1) return <>{lines[0]}</>;
  return (
    <>
      {lines.map((line, index) => (
        <p className="nhsuk-body nhsuk-u-margin-bottom-2" key={index}>
          {line}
        </p>
      ))}
    </>
  );
}

/** Everything about one appointment, as a summary list. */
export function AppointmentDetails({ appointment }: { appointment: Appointment }) {
  return (
    <dl className="nhsuk-summary-list">
      <SummaryRow label="When">{formatWhen(appointment.startsAt)}</SummaryRow>
      <SummaryRow label="How long">{formatDuration(appointment.durationMinutes)}</SummaryRow>
      <SummaryRow label="Where">{appointment.location}</SummaryRow>
      <SummaryRow label="Team">
        {appointment.team.name}, {appointment.organisation.name}
      </SummaryRow>
      <SummaryRow label="Clinician">{appointment.clinician?.name ?? 'Not yet known'}</SummaryRow>
      <SummaryRow label="Status">
        <StatusTag appointment={appointment} />
      </SummaryRow>
      <SummaryRow label="How to prepare">
        {appointment.preparation ? (
          <Paragraphs text={appointment.preparation} />
        ) : (
          'Nothing you need to do beforehand'
        )}
      </SummaryRow>
      <SummaryRow label="Booked by">{appointment.bookedBy}</SummaryRow>
    </dl>
  );
}

/** The appointment's own conversation, once someone has asked about it. */
export function AppointmentConversationLink({ appointment }: { appointment: Appointment }) {
  if (!appointment.conversationId) return null;
  return (
    <p className="nhsuk-body">
      <Link to={`/conversations/${appointment.conversationId}`}>
        View messages about this appointment
      </Link>
    </p>
  );
}

/** What happened to the appointment, oldest first, and who did it. */
export function AppointmentHistory({ appointment }: { appointment: Appointment }) {
  if (appointment.history.length === 0) return null;
  return (
    <>
      <h2 className="nhsuk-heading-m">History</h2>
      <ol className="nhsuk-list app-appointment-history" aria-label="History, oldest first">
        {appointment.history.map((event, index) => (
          <li key={`${event.at}-${index}`}>
            <p className="nhsuk-body nhsuk-u-margin-bottom-1">
              <strong>{eventWords(event)}</strong>
            </p>
            {changeDetails(event).map((line) => (
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1" key={line}>
                {line.charAt(0).toUpperCase() + line.slice(1)}
              </p>
            ))}
            {event.reason ? (
              <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">Reason: {event.reason}</p>
            ) : null}
            <p className="nhsuk-body-s nhsuk-u-secondary-text-color">
              {formatDateTime(event.at)} by {event.by}
            </p>
          </li>
        ))}
      </ol>
    </>
  );
}

/** A list of appointments; each links to its own page. */
export function AppointmentsTable({
  caption,
  appointments,
}: {
  caption: string;
  appointments: Appointment[];
}) {
  return (
    <Table
      caption={caption}
      captionHidden
      headings={['When', 'Team', 'Where', 'Status', hidden('Action')]}
    >
      {appointments.map((a) => {
        const when = formatWhen(a.startsAt);
        return (
          <Row key={a.id}>
            <Cell heading="When">{when}</Cell>
            <Cell heading="Team">{a.team.name}</Cell>
            <Cell heading="Where">{a.location}</Cell>
            <Cell heading="Status">
              <StatusTag appointment={a} />
            </Cell>
            <Cell>
              <Link to={`/appointments/${a.id}`}>
                View<span className="nhsuk-u-visually-hidden"> appointment on {when}</span>
              </Link>
            </Cell>
          </Row>
        );
      })}
    </Table>
  );
}

export function AppointmentLists({
  upcoming,
  past,
  whose = 'your',
  nested = false,
}: {
  upcoming: Appointment[];
  past: Appointment[];
  whose?: string;
  /** Inside a page section that has its own h2. */
  nested?: boolean;
}) {
  const H = nested ? 'h3' : 'h2';
  const headingClass = nested ? 'nhsuk-heading-s' : 'nhsuk-heading-m';
  return (
    <>
      <H className={headingClass}>Upcoming appointments</H>
      {upcoming.length === 0 ? (
        <p className="nhsuk-body">There are no upcoming appointments.</p>
      ) : (
        <AppointmentsTable caption="Upcoming appointments, soonest first" appointments={upcoming} />
      )}
      <H className={headingClass}>Past appointments</H>
      {past.length === 0 ? (
        <p className="nhsuk-body">There are no past appointments in {whose} record.</p>
      ) : (
        <AppointmentsTable caption="Past appointments, most recent first" appointments={past} />
      )}
    </>
  );
}
