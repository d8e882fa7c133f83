import { Link, Navigate, useLocation, useParams } from 'react-router';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { composePathFor, type PublicTeam, usePublicTeam } from './api';
import { formatNextOpening, formatTime, openingHoursLines, replyPromise } from './format';
import { NoLongerTakingMessages } from './NoLongerTakingMessages';

/**
 * A team's public web page (/t/<slug>): anyone may read it, signed in or not. The phone
 * number is always there for people who cannot use the internet.
 */
export function PublicTeamPage() {
  const { slug: asWritten = '' } = useParams();
  const location = useLocation();
  // A leaflet may print the address with capitals (/t/Cardiology-Nurses): it names the same
  // team, so the page moves to the address as the team has it, replacing it in the history
  // so Back does not return to a page that only moves on again.
  const slug = asWritten.toLowerCase();
  const team = usePublicTeam(slug);
  usePageTitle(team.data ? `${team.data.name}, ${team.data.organisationName}` : 'Team');
  if (slug !== asWritten) {
    const { search, hash } = location;
    return <Navigate replace to={{ pathname: `/t/${encodeURIComponent(slug)}`, search, hash }} />;
  }
  if (team.isPending) return <Loading what="team" />;
  if (team.isError) return <LoadFailure error={team.error} />;
  return <PublicTeamView team={team.data} />;
}

function OpenNow({ team }: { team: PublicTeam }) {
  const { availability } = team;
  if (!availability) return null;
  if (availability.openNow) {
    const closes = availability.closesAt
      ? new Intl.DateTimeFormat('en-GB', {
          timeZone: 'Europe/London',
          hour: '2-digit',
          minute: '2-digit',
          hourCycle: 'h23',
        }).format(new Date(availability.closesAt))
      : null;
    return (
      <p className="nhsuk-body">
        <strong>Open now</strong>
        {closes ? `, until ${formatTime(closes)}` : ''}.
      </p>
    );
  }
  return (
    <p className="nhsuk-body">
      <strong>Closed now</strong>
      {availability.nextOpening
        ? `. Opens at ${formatNextOpening(availability.nextOpening)}.`
        : '.'}
    </p>
  );
}

/** How to write to a team that takes messages, or why patients cannot write to this one. */
function SendUsAMessage({ team }: { team: PublicTeam }) {
  const reply = replyPromise(team.replyWithinWorkingDays);
  return (
    <>
      <h2 className="nhsuk-heading-m">Send us a secure message</h2>
      {team.canMessage ? (
        <>
          <p className="nhsuk-body">
            Sign in to Carethread to send us a message. Your message is kept in your record, where
            only the people looking after you can read it.
          </p>
          {reply ? <p className="nhsuk-body">{reply}</p> : null}
          <OpenNow team={team} />
          <Link className="nhsuk-button" to={composePathFor(team.slug)}>
            Message us securely
          </Link>
        </>
      ) : (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            You cannot send {team.name} a message through Carethread.
            {/* No number to call: "Call us instead" would send them nowhere. */}
            {team.phone ? ' Call us instead.' : ''}
          </p>
        </div>
      )}
    </>
  );
}

function PublicTeamView({ team }: { team: PublicTeam }) {
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Heading caption={team.organisationName}>{team.name}</Heading>
        {team.description ? <p className="nhsuk-body-l">{team.description}</p> : null}

        {team.active ? <SendUsAMessage team={team} /> : <NoLongerTakingMessages team={team} />}

        <h2 className="nhsuk-heading-m">Call us</h2>
        {team.phone ? (
          <p className="nhsuk-body">
            If you cannot use the internet, call us on{' '}
            <a href={`tel:${team.phone.replace(/[^0-9+]/g, '')}`}>{team.phone}</a>.
          </p>
        ) : (
          <p className="nhsuk-body">This team has not given a phone number.</p>
        )}

        {team.openingHours.length > 0 ? (
          <>
            <h2 className="nhsuk-heading-m">Opening hours</h2>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">
                Opening hours, UK time
              </caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th scope="col" className="nhsuk-table__header">
                    Day
                  </th>
                  <th scope="col" className="nhsuk-table__header">
                    Hours
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {openingHoursLines(team.openingHours).map((line) => (
                  <tr className="nhsuk-table__row" key={line.day}>
                    <th scope="row" className="nhsuk-table__header">
                      {line.day}
                    </th>
                    <td className="nhsuk-table__cell">{line.times}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}

        <div className="nhsuk-card nhsuk-card--care nhsuk-card--care--urgent">
          <div className="nhsuk-card__heading-container">
            <h2 className="nhsuk-card__heading">
              <span className="nhsuk-u-visually-hidden">Urgent advice: </span>
              Do not use messages for urgent problems
            </h2>
            <span className="nhsuk-card--care__arrow" aria-hidden="true"></span>
          </div>
          <div className="nhsuk-card__content">
            <ul>
              <li>
                if you need help now, go to <a href="https://111.nhs.uk">111.nhs.uk</a> or call 111
              </li>
              <li>call 999 in an emergency, if someone is seriously ill or injured</li>
            </ul>
          </div>
        </div>
      </div>
    </div>
  );
}
