import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { joinConversation } from '../../api/endpoints';
import type { RecordConversations } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { Cell, hidden, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDate, formatDateTime, formatNhsNumber } from '../conversations/format';
import { useConversationMutation, useRecordConversations } from '../conversations/useConversations';
import { PaperInvitationsSection } from '../carers/PaperInvitationsSection';
import { PatientCarersSection } from '../carers/PatientCarersSection';
import { RecordDocumentsSection } from '../documents/RecordDocumentsSection';
import { RecordAccessNote } from '../record-access/RecordAccessNote';
import { RecordAppointments } from '../appointments/StaffAppointmentView';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { useUser } from '../session/useSession';
import { CareTeamsSection, patientFullName } from './CareTeamsSection';
import { usePatient } from './usePatient';

/** A patient's record as staff with record access see it: every conversation (C3). */
export function PatientRecordPage() {
  const { patientId = '' } = useParams();
  const user = useUser();
  const record = useRecordConversations(patientId);
  // A coordinator of the patient's organisation may not read the record, but chooses the
  // teams that do (C2); the server says so with this code, and only to them.
  const coordinating =
    record.error instanceof ApiError &&
    record.error.code === 'conversation.no_record_access' &&
    user.coordinatorOf.length > 0;
  // Read again after a care team changes, the record has no data and is pending: keep the
  // coordinator's view (and its form) in place until the answer comes.
  const [coordinatorViewOf, setCoordinatorViewOf] = useState<string | null>(null);
  if (coordinating && coordinatorViewOf !== patientId) setCoordinatorViewOf(patientId);
  if (record.isSuccess && coordinatorViewOf !== null) setCoordinatorViewOf(null);
  usePageTitle(record.data ? `${record.data.patient.name} – patient record` : 'Patient record');
  if (coordinating || (record.isPending && coordinatorViewOf === patientId)) {
    return <CoordinatorView patientId={patientId} />;
  }
  if (record.isPending) return <Loading what="patient record" />;
  if (record.isError) return <LoadFailure error={record.error} />;
  return <RecordView record={record.data} />;
}

/** What a coordinator without record access sees: who the patient is and their care teams. */
function CoordinatorView({ patientId }: { patientId: string }) {
  const patient = usePatient(patientId);
  const flash = flashFrom(useLocation().state);
  const errors = useFormErrors();
  const name = patient.data ? patientFullName(patient.data) : null;
  usePageTitle(name ? `${name} – patient` : 'Patient', errors.hasErrors);
  if (patient.isPending) return <Loading what="patient" />;
  if (patient.isError) return <LoadFailure error={patient.error} />;
  return (
    <>
      {flash ? <SuccessBanner message={flash} /> : null}
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption="Patient">{name}</Heading>
      <div className="nhsuk-inset-text">
        <span className="nhsuk-u-visually-hidden">Information: </span>
        <p>
          Your teams do not look after {name}, so you cannot open their record. As a coordinator you
          can choose the teams that do.
        </p>
      </div>
      <PatientDetails nhsNumber={patient.data.nhsNumber} dateOfBirth={patient.data.dateOfBirth} />
      <CareTeamsSection patientId={patientId} errors={errors} />
    </>
  );
}

function PatientDetails({ nhsNumber, dateOfBirth }: { nhsNumber: string; dateOfBirth: string }) {
  return (
    <dl className="nhsuk-summary-list">
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">NHS number</dt>
        <dd className="nhsuk-summary-list__value">{formatNhsNumber(nhsNumber)}</dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Date of birth</dt>
        <dd className="nhsuk-summary-list__value">{formatDate(dateOfBirth)}</dd>
      </div>
    </dl>
  );
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
      <PatientDetails
        nhsNumber={record.patient.nhsNumber}
        dateOfBirth={record.patient.dateOfBirth}
      />
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
      {/* Carers and paper forms are for staff with record access; a participant team has
          none (C2). Both sections share one audited read (C4). */}
      {record.access.basis !== 'participant' ? (
        <>
          <PatientCarersSection patientId={record.patient.id} patientName={record.patient.name} />
          <PaperInvitationsSection
            patientId={record.patient.id}
            patientName={record.patient.name}
          />
        </>
      ) : null}
      {/* Only coordinators read the patient's details for this (an audited read, C4). */}
      {user.coordinatorOf.length > 0 ? (
        <CareTeamsSection patientId={record.patient.id} errors={errors} />
      ) : null}
    </>
  );
}
