import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { getAccessLog } from '../../api/endpoints';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, Row, Table } from '../../components/Table';
import { foldRepeats } from './accessLogRows';
import { formatDateTime } from './format';

/** "Who has seen my record": the patient's view of the audit trail (C4), in plain words. */
export function AccessLogPage() {
  const [params] = useSearchParams();
  const cursor = params.get('cursor') ?? undefined;
  const log = useQuery({
    queryKey: ['access-log', cursor ?? 'first'],
    queryFn: () => getAccessLog({ cursor }),
  });
  usePageTitle('Who has seen my record');
  return (
    <>
      <BackLink to="/">Back to your messages</BackLink>
      <Heading>Who has seen my record</Heading>
      <p className="nhsuk-body">
        Every time someone reads or changes your messages or your record, and every change to who
        may see it, is written down here, with why they could. The newest is first.
      </p>
      <p className="nhsuk-body">
        If you see something you do not expect, contact the Patient Advice and Liaison Service
        (PALS).
      </p>
      {log.isPending ? (
        <Loading what="your record’s history" />
      ) : log.isError ? (
        <SectionLoadFailure error={log.error} what="your record’s history" />
      ) : log.data.items.length === 0 ? (
        cursor ? (
          // A later page can be empty (a link past the oldest entry, altered by hand): the
          // record has been seen, there is just nothing older.
          <>
            <p className="nhsuk-body">There is nothing more to show.</p>
            <p className="nhsuk-body">
              <Link to="/access-log">Go to the first page</Link>
            </p>
          </>
        ) : (
          <p className="nhsuk-body">No one has seen your record yet.</p>
        )
      ) : (
        <>
          <p className="nhsuk-body">
            <a href="/api/v1/me/access-log.csv" download>
              Download the whole list (CSV)
            </a>
          </p>
          <Table
            caption="Who has seen my record, newest first"
            captionHidden
            headings={['When', 'Who', 'What they did', 'Why they could']}
          >
            {foldRepeats(log.data.items).map((row, index) => (
              <Row key={`${row.at}-${index}`}>
                <Cell heading="When">
                  <time dateTime={row.at}>{formatDateTime(row.at)}</time>
                </Cell>
                <Cell heading="Who">
                  {row.who}
                  {row.team && !row.who.includes(row.team) ? (
                    <>
                      <br />
                      <span className="nhsuk-body-s">{row.team}</span>
                    </>
                  ) : null}
                </Cell>
                <Cell heading="What they did">
                  {row.what}
                  {row.subject ? <>: “{row.subject}”</> : null}
                  {row.times > 1 ? (
                    <>
                      <br />
                      <span className="nhsuk-body-s">
                        {row.times} times, the first {formatDateTime(row.firstAt)}
                      </span>
                    </>
                  ) : null}
                </Cell>
                <Cell heading="Why they could">{row.why || '–'}</Cell>
              </Row>
            ))}
          </Table>
          <nav className="app-pager" aria-label="Pages">
            {cursor ? <Link to="/access-log">First page</Link> : null}
            {log.data.nextCursor ? (
              <Link to={`/access-log?cursor=${encodeURIComponent(log.data.nextCursor)}`}>
                Next page
              </Link>
            ) : null}
          </nav>
        </>
      )}
    </>
  );
}
