import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { joinConversation } from '../../api/endpoints';
import type { RecordConversations } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate, formatDateTime, formatNhsNumber } from '../conversations/format';
import { useConversationMutation, useRecordConversations } from '../conversations/useConversations';
import { RecordDocumentsSection } from '../documents/RecordDocumentsSection';
import { RecordAccessNote } from '../record-access/RecordAccessNote';
import { RecordAppointments } from '../appointments/StaffAppointmentView';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { useUser } from '../session/useSession';

/** A patient's record as staff with record access see it: every conversation (C3). */
export function PatientRecordPage() {
  const { patientId = '' } = useParams();
  const record = useRecordConversations(patientId);
  usePageTitle(record.data ? `${record.data.patient.name} – patient record` : 'Patient record');
  if (record.isPending) return <Loading what="patient record" />;
  if (record.isError) return <LoadFailure error={record.error} />;
  return <RecordView record={record.data} />;
}

function RecordView({ record }: { record: RecordConversations }) {
  const user = useUser();
  const flash = flashFrom(useLocation().state);
  const navigate = useNavigate();
  const errors = useFormErrors();
  usePageTitle(`${record.patient.name} – patient record`, errors.hasErrors);

  const join = useConversationMutation((conversationId: string) =>
    joinConversation(conversationId),
  );

  return (
    <>
      {flash ? <SuccessBanner message={flash} /> : null}
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption="Patient record">{record.patient.name}</Heading>
      <RecordAccessNote access={record.access} />
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">NHS number</dt>
          <dd className="nhsuk-summary-list__value">{formatNhsNumber(record.patient.nhsNumber)}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Date of birth</dt>
          <dd className="nhsuk-summary-list__value">{formatDate(record.patient.dateOfBirth)}</dd>
        </div>
      </dl>
      {/* Which of the viewer's teams may write is settled on the next page, which reads the
          record's care teams; reading them here too would log a second record view (C4). */}
      {user.memberships.length > 0 ? (
        <Link className="nhsuk-button" to={`/patients/${record.patient.id}/conversations/new`}>
          Start a conversation
        </Link>
      ) : null}
      <h2 className="nhsuk-heading-m">Conversations</h2>
      {record.items.length === 0 ? (
        <p className="nhsuk-body">There are no conversations in this record.</p>
      ) : (
        <Table
          caption={`Conversations in ${record.patient.name}'s record, newest first`}
          captionHidden
          headings={['Subject', 'Teams', 'Last message', hidden('Action')]}
        >
          {record.items.map((item) => (
            <Row key={item.id}>
              <Cell heading="Subject">
                {item.subject}
                {item.joined ? null : (
                  <>
                    <br />
                    <span className="nhsuk-body-s">You are not in this conversation</span>
                  </>
                )}
              </Cell>
              <Cell heading="Teams">{item.teams.map((t) => t.name).join(', ') || 'None'}</Cell>
              <Cell heading="Last message">{formatDateTime(item.lastMessageAt)}</Cell>
              <Cell>
                <div className="app-actions">
                  {item.joined ? (
                    <Link to={`/conversations/${item.id}`}>
                      Open<span className="nhsuk-u-visually-hidden"> {item.subject}</span>
                    </Link>
                  ) : (
                    <>
                      <button
                        className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                        type="button"
                        disabled={join.isPending}
                        onClick={() =>
                          join.mutate(item.id, {
                            onSuccess: () =>
                              void navigate(`/conversations/${item.id}`, {
                                state: { flash: 'You have joined this conversation' },
                              }),
                            onError: (error) => errors.showApiError(error, () => null),
                          })
                        }
                      >
                        Join<span className="nhsuk-u-visually-hidden"> {item.subject}</span>
                      </button>
                      <Link to={`/conversations/${item.id}`}>
                        Read<span className="nhsuk-u-visually-hidden"> {item.subject}</span>
                      </Link>
                    </>
                  )}
                </div>
              </Cell>
            </Row>
          ))}
        </Table>
      )}
      <RecordAppointments patientId={record.patient.id} />
      <RecordDocumentsSection patientId={record.patient.id} patientName={record.patient.name} />
    </>
  );
}
