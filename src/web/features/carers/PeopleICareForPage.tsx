import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, Row, Table } from '../../components/Table';
import { consentEndWords } from './carerWords';
import { carerKeys, LEVEL_LABELS, listPeopleICareFor } from './carersApi';

/** The people the signed-in carer cares for, while each one's consent lasts (C1). */
export function PeopleICareForPage() {
  const people = useQuery({ queryKey: carerKeys.caredFor, queryFn: listPeopleICareFor });
  usePageTitle('People you care for');
  return (
    <>
      <BackLink to="/">Back to your messages</BackLink>
      <Heading>People you care for</Heading>
      {people.isPending ? (
        <Loading what="people you care for" />
      ) : people.isError ? (
        <SectionLoadFailure error={people.error} what="people you care for" />
      ) : people.data.items.length === 0 ? (
        <p className="nhsuk-body">You do not care for anyone at the moment.</p>
      ) : (
        <Table caption="People you care for" captionHidden headings={['Name', 'You may', 'Until']}>
          {people.data.items.map((p) => (
            <Row key={p.consentId}>
              <Cell heading="Name">
                <Link to={`/cared-for/${p.patient.id}`}>{p.patient.name}</Link>
              </Cell>
              <Cell heading="You may">{LEVEL_LABELS[p.level]}</Cell>
              <Cell heading="Until">{p.endsAt ? consentEndWords(p.endsAt) : 'They stop it'}</Cell>
            </Row>
          ))}
        </Table>
      )}
      <p className="nhsuk-body">
        <Link to="/carers/accept">Accept a carer invitation</Link>
      </p>
    </>
  );
}
