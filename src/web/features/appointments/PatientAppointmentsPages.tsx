import { useQuery } from '@tanstack/react-query';
import { Link, useLocation, useParams } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure, SectionLoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { CareEndedPage, careEnded, careEndedTitle } from '../carers/CareEnded';
import { carerKeys, listPeopleICareFor } from '../carers/carersApi';
import { useUser } from '../session/useSession';
import { AppointmentLists } from './AppointmentSummary';
import { usePatientAppointments } from './appointmentsApi';

/** A patient's own appointments, and links to those of the people they care for. */
export function MyAppointmentsPage() {
  const user = useUser();
  const flash = flashFrom(useLocation().state);
  usePageTitle('Your appointments');
  return (
    <>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading caption={user.displayName}>Your appointments</Heading>
      {user.patientId ? <OwnAppointments patientId={user.patientId} /> : null}
      <CaredForAppointmentLinks />
    </>
  );
}

function OwnAppointments({ patientId }: { patientId: string }) {
  const list = usePatientAppointments(patientId);
  if (list.isPending) return <Loading what="appointments" />;
  if (list.isError) return <SectionLoadFailure error={list.error} what="your appointments" />;
  return (
    <>
      <p className="nhsuk-body">
        To ask for a change to an appointment, open it. You can also see any messages about it.
      </p>
      <AppointmentLists upcoming={list.data.upcoming} past={list.data.past} />
    </>
  );
}

function CaredForAppointmentLinks() {
  const people = useQuery({
    queryKey: carerKeys.caredFor,
    queryFn: listPeopleICareFor,
    retry: false,
  });
  const items = people.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <>
      <h2 className="nhsuk-heading-m">People you care for</h2>
      <ul className="nhsuk-list">
        {items.map((person) => (
          <li key={person.consentId}>
            <Link to={`/cared-for/${person.patient.id}/appointments`}>
              {person.patient.name}’s appointments
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}

/**
 * A carer sees the appointments of a person who has consented to them; once that has ended
 * (stopped, or past its last day) they are told so, as on their messages (C1).
 */
export function CaredForAppointmentsPage() {
  const { patientId = '' } = useParams();
  const list = usePatientAppointments(patientId);
  const people = useQuery({
    queryKey: carerKeys.caredFor,
    queryFn: listPeopleICareFor,
    retry: false,
  });
  const name = people.data?.items.find((p) => p.patient.id === patientId)?.patient.name;
  const title = name ? `${name}’s appointments` : 'Appointments';
  const ended = list.isError && careEnded(list.error);
  usePageTitle(ended ? careEndedTitle('appointments') : title);
  if (list.isPending) return <Loading what="appointments" />;
  if (ended) return <CareEndedPage what="appointments" />;
  if (list.isError) return <LoadFailure error={list.error} />;
  return (
    <>
      <BackLink to="/appointments">Back to your appointments</BackLink>
      <Heading caption="You are their carer">{title}</Heading>
      <AppointmentLists
        upcoming={list.data.upcoming}
        past={list.data.past}
        whose={name ? `${name}’s` : 'their'}
      />
    </>
  );
}
