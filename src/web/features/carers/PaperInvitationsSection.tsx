import { Link } from 'react-router';
import { Loading } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { formatDateTime } from '../conversations/format';
import { LEVEL_LABELS } from './carersApi';
import { cancelPaperInvitationPath, usePatientCarers } from './usePatientCarers';

/**
 * "Carer invitations from paper forms": what staff recorded for a patient who signed a
 * consent form and nobody has accepted yet, each with a way to cancel it (C1) — the letter
 * went astray, or the patient changed their mind.
 */
export function PaperInvitationsSection({
  patientId,
  patientName,
}: {
  patientId: string;
  patientName: string;
}) {
  const carers = usePatientCarers(patientId);
  return (
    <section aria-labelledby="paper-invitations-heading">
      <h2 className="nhsuk-heading-m" id="paper-invitations-heading">
        Carer invitations from paper forms
      </h2>
      {carers.isPending ? (
        <Loading what="carer invitations" />
      ) : carers.isError ? (
        <SectionLoadFailure error={carers.error} what="carer invitations" />
      ) : carers.data.paperInvitations.length === 0 ? (
        <p className="nhsuk-body">
          No invitations recorded from {patientName}’s paper forms are waiting to be accepted.
        </p>
      ) : (
        <>
          <p className="nhsuk-body">
            Not accepted yet. If a letter went to the wrong person or {patientName} has changed
            their mind, cancel the invitation so that its code stops working.
          </p>
          <Table
            caption={`Carer invitations from ${patientName}’s paper forms, waiting to be accepted`}
            captionHidden
            headings={['Carer’s email', 'What they may do', 'Code works until', hidden('Action')]}
          >
            {carers.data.paperInvitations.map((invitation) => (
              <Row key={invitation.id}>
                <Cell heading="Carer’s email">
                  <span className="app-break-word">{invitation.email}</span>
                </Cell>
                <Cell heading="What they may do">{LEVEL_LABELS[invitation.level]}</Cell>
                <Cell heading="Code works until">{formatDateTime(invitation.expiresAt)}</Cell>
                <Cell>
                  <Link to={cancelPaperInvitationPath(patientId, invitation.id)}>
                    Cancel invitation{hidden(` to ${invitation.email}`)}
                  </Link>
                </Cell>
              </Row>
            ))}
          </Table>
        </>
      )}
    </section>
  );
}
