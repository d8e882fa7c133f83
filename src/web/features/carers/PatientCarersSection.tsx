import { Link } from 'react-router';
import { Loading } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { formatDateTime } from '../conversations/format';
import { consentEndWords } from './carerWords';
import { LEVEL_LABELS } from './carersApi';
import { recordPaperConsentPath, recordWithdrawalPath, usePatientCarers } from './usePatientCarers';

/**
 * "Carers": the patient's carers whose consent is in force now, for staff with record access
 * (C1, C2), with a way to record the patient's request to end one and to record a new
 * consent from a signed paper form.
 */
export function PatientCarersSection({
  patientId,
  patientName,
}: {
  patientId: string;
  patientName: string;
}) {
  const carers = usePatientCarers(patientId);
  return (
    <section aria-labelledby="patient-carers-heading">
      <h2 className="nhsuk-heading-m" id="patient-carers-heading">
        Carers
      </h2>
      {carers.isPending ? (
        <Loading what="carers" />
      ) : carers.isError ? (
        <SectionLoadFailure error={carers.error} what="carers" />
      ) : carers.data.carers.length === 0 ? (
        <p className="nhsuk-body">{patientName} has no carers at the moment.</p>
      ) : (
        <>
          <p className="nhsuk-body">
            These people may read {patientName}’s messages now. If {patientName} asks you to end a
            carer’s access, record it here: it ends straight away.
          </p>
          <Table
            caption={`${patientName}’s carers`}
            captionHidden
            headings={['Carer', 'What they may do', 'Since', 'Until', hidden('Action')]}
          >
            {carers.data.carers.map((consent) => (
              <Row key={consent.id}>
                <Cell heading="Carer">{consent.carer.name}</Cell>
                <Cell heading="What they may do">{LEVEL_LABELS[consent.level]}</Cell>
                <Cell heading="Since">{formatDateTime(consent.startsAt)}</Cell>
                <Cell heading="Until">
                  {consent.endsAt ? consentEndWords(consent.endsAt) : 'Until the patient ends it'}
                </Cell>
                <Cell>
                  <Link to={recordWithdrawalPath(patientId, consent.id)}>
                    Record that the patient wants this to end
                    {hidden(` (${consent.carer.name})`)}
                  </Link>
                </Cell>
              </Row>
            ))}
          </Table>
        </>
      )}
      <Link className="nhsuk-button nhsuk-button--secondary" to={recordPaperConsentPath(patientId)}>
        Record consent from a paper form
      </Link>
    </section>
  );
}
