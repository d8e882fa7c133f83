import { useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { createConversation } from '../../api/endpoints';
import type { Membership, StaffConversationInput } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { CharacterCount } from '../../components/CharacterCount';
import { ErrorSummary, type SummaryError } from '../../components/ErrorSummary';
import { Select, TextInput } from '../../components/fields';
import { LeaveDialog } from '../../components/LeaveDialog';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { hasUnsentText } from '../../components/unsentText';
import { useUnsentWarning } from '../../components/useUnsentWarning';
import { AttachmentPicker } from '../documents/AttachmentPicker';
import { useAttachments } from '../documents/useAttachments';
import {
  useConversationMutation,
  useIdempotencyKey,
  useRecordConversations,
} from '../conversations/useConversations';
import { MAX_MESSAGE, messageProblem, subjectProblem } from '../conversations/validation';
import { useUser } from '../session/useSession';
import { usePatient, writingTeams } from './usePatient';

/** Staff start a conversation in a patient's record, writing for one of their teams (M2). */
export function StartConversationPage() {
  const { patientId = '' } = useParams();
  const user = useUser();
  const record = useRecordConversations(patientId);
  const patient = usePatient(patientId);
  usePageTitle('Start a conversation');
  if (record.isPending || patient.isPending) return <Loading />;
  if (record.isError) return <LoadFailure error={record.error} />;
  // Without the record details, offer every team and let the server check access.
  const teams = patient.isError ? user.memberships : writingTeams(patient.data, user.memberships);
  if (teams.length === 0)
    return (
      <LoadFailure
        error={
          new ApiError({ status: 403, detail: 'None of your teams looks after this patient.' })
        }
      />
    );
  return (
    <StartForm
      patientId={patientId}
      patientName={record.data.patient.name}
      teams={teams}
      // A file goes into the record as it is chosen, which only a team that looks after the
      // patient may do: offer it only when the record shows the teams above do.
      mayAttach={!patient.isError}
    />
  );
}

function StartForm({
  patientId,
  patientName,
  teams,
  mayAttach,
}: {
  patientId: string;
  patientName: string;
  teams: Membership[];
  mayAttach: boolean;
}) {
  const [asTeamId, setAsTeamId] = useState(teams.length === 1 ? (teams[0]?.teamId ?? '') : '');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const attachments = useAttachments('attachment');
  const errors = useFormErrors();
  const navigate = useNavigate();
  const idempotency = useIdempotencyKey();
  const recordPath = `/patients/${patientId}`;
  const unsent = useUnsentWarning(hasUnsentText([subject, body], attachments.chosen));
  usePageTitle('Start a conversation', errors.hasErrors);

  const send = useConversationMutation((input: { key: string; payload: StaffConversationInput }) =>
    createConversation(input.payload, input.key),
  );

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const list: SummaryError[] = [];
    if (!asTeamId) list.push({ href: 'asTeamId', message: 'Select the team you are writing for' });
    const subjectError = subjectProblem(subject);
    if (subjectError) list.push({ href: 'subject', message: subjectError });
    const bodyError = messageProblem(body, 'message');
    if (bodyError) list.push({ href: 'body', message: bodyError });
    if (attachments.problem) list.push(attachments.problem);
    if (list.length) return errors.show(list);
    const payload: StaffConversationInput = {
      patientId,
      asTeamId,
      subject: subject.trim(),
      body: body.trim(),
      ...attachments.payload,
    };
    send.mutate(
      { key: idempotency.keyFor(payload), payload },
      {
        onSuccess: (conversation) => {
          idempotency.reset();
          unsent.markSent();
          void navigate(`/conversations/${conversation.id}`, {
            state: { flash: `Your message has been sent to ${patientName}` },
          });
        },
        onError: (error) => {
          if (error instanceof ApiError && error.code === 'conversation.no_record_access') {
            errors.show([
              {
                href: teams.length > 1 ? 'asTeamId' : null,
                message: 'Your team does not look after this patient, so it cannot write to them',
              },
            ]);
          } else {
            errors.showApiError(error, (key) =>
              ['asTeamId', 'subject', 'body'].includes(key) ? key : null,
            );
          }
        },
      },
    );
  };

  const [only] = teams;
  return (
    <>
      <BackLink to={recordPath}>Back to the patient record</BackLink>
      <LeaveDialog blocker={unsent.blocker} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={patientName}>Start a conversation</Heading>
          <form noValidate onSubmit={onSubmit}>
            {teams.length > 1 ? (
              <Select
                id="asTeamId"
                label="Which team are you writing for?"
                labelClassName="nhsuk-label--s"
                options={[
                  { value: '', label: 'Select a team' },
                  ...teams.map((t) => ({ value: t.teamId, label: t.teamName })),
                ]}
                value={asTeamId}
                onChange={setAsTeamId}
                error={errors.fields.asTeamId}
              />
            ) : only ? (
              <p className="nhsuk-body">You are writing for {only.teamName}.</p>
            ) : null}
            <TextInput
              id="subject"
              label="Subject"
              labelClassName="nhsuk-label--s"
              hint="The patient sees this in their list of messages"
              value={subject}
              onChange={setSubject}
              error={errors.fields.subject}
            />
            <CharacterCount
              id="body"
              label="Message"
              labelClassName="nhsuk-label--s"
              value={body}
              onChange={setBody}
              maxLength={MAX_MESSAGE}
              error={errors.fields.body}
            />
            {mayAttach ? (
              <AttachmentPicker
                {...attachments.picker}
                patientId={patientId}
                teamId={asTeamId || undefined}
              />
            ) : null}
            <button className="nhsuk-button" type="submit" disabled={send.isPending}>
              Send message
            </button>
          </form>
        </div>
      </div>
    </>
  );
}
