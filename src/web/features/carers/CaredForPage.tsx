import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { ApiError } from '../../api/client';
import { CharacterCount } from '../../components/CharacterCount';
import { Radios, TextInput } from '../../components/fields';
import { LeaveDialog } from '../../components/LeaveDialog';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure, SectionLoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { Cell, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { hasUnsentText } from '../../components/unsentText';
import { useUnsentWarning } from '../../components/useUnsentWarning';
import { formatDateTime } from '../conversations/format';
import { showNewMessageError } from '../conversations/newMessageErrors';
import { MAX_MESSAGE, messageProblem, subjectProblem } from '../conversations/validation';
import { ownConversationChange, useIdempotencyKey } from '../conversations/useConversations';
import { AttachmentPicker } from '../documents/AttachmentPicker';
import { useAttachments } from '../documents/useAttachments';
import {
  carerKeys,
  type CaredForConversations,
  LEVEL_LABELS,
  listCaredForConversations,
  listCaredForRecipients,
  type OnBehalfInput,
  startOnBehalf,
} from './carersApi';
import { useCaredFor } from './useCaredFor';
import {
  CARE_ENDED_NOT_SENT,
  CareEndedPage,
  careEnded,
  careEndedTitle,
  useForgetCaredFor,
} from './CareEnded';
import { closedNow, UrgentHelpCard } from '../public-team/UrgentHelpCard';

/** A cared-for patient's conversations that are not private from carers (C1). */
export function CaredForPage() {
  const { patientId = '' } = useParams();
  const location = useLocation();
  const list = useQuery({
    queryKey: carerKeys.conversations(patientId),
    queryFn: () => listCaredForConversations(patientId),
    retry: false,
  });
  usePageTitle(
    list.isError && careEnded(list.error)
      ? careEndedTitle('messages')
      : list.data
        ? `${list.data.patient.name}’s messages`
        : 'Messages',
  );
  if (list.isPending) return <Loading what="messages" />;
  if (list.isError) {
    return careEnded(list.error) ? <CareEndedPage /> : <LoadFailure error={list.error} />;
  }
  const flash = flashFrom(location.state);
  const { data } = list;
  return (
    <>
      <BackLink to="/cared-for">Back to people you care for</BackLink>
      {flash ? <SuccessBanner message={flash} /> : null}
      <Heading caption="You are their carer">{data.patient.name}’s messages</Heading>
      <p className="nhsuk-body">You may: {LEVEL_LABELS[data.level].toLowerCase()}.</p>
      {data.level === 'message' ? (
        <Link className="nhsuk-button" to={`/cared-for/${patientId}/new`}>
          Send a message for {data.patient.name}
        </Link>
      ) : null}
      <ConversationTable data={data} />
      <p className="nhsuk-body">
        <Link to={`/cared-for/${patientId}/documents`}>{data.patient.name}’s documents</Link>
      </p>
    </>
  );
}

function ConversationTable({ data }: { data: CaredForConversations }) {
  if (data.items.length === 0) return <p className="nhsuk-body">There are no messages to show.</p>;
  return (
    <Table
      caption={`${data.patient.name}’s conversations, newest first`}
      captionHidden
      headings={['Subject', 'Sent to', 'Last message']}
    >
      {data.items.map((item) => (
        <Row key={item.id}>
          <Cell heading="Subject">
            <Link to={`/conversations/${item.id}`}>{item.subject}</Link>
            {item.unreadCount > 0 ? (
              <span className="nhsuk-body-s"> ({item.unreadCount} unread)</span>
            ) : null}
          </Cell>
          <Cell heading="Sent to">
            {[...item.teams, ...item.professionals].map((to) => to.name).join(', ') || 'None'}
          </Cell>
          <Cell heading="Last message">{formatDateTime(item.lastMessageAt)}</Cell>
        </Row>
      ))}
    </Table>
  );
}

/** A carer with message consent writes to one of the patient's teams, as themselves (M1). */
export function CarerComposePage() {
  const { patientId = '' } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const errors = useFormErrors();
  const recipients = useQuery({
    queryKey: ['carers', 'recipients', patientId],
    queryFn: () => listCaredForRecipients(patientId),
    retry: false,
  });
  const [teamId, setTeamId] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const attachments = useAttachments('attachment');
  // Files go into the patient's record as they are chosen, which takes message consent.
  const caredFor = useCaredFor(patientId);
  const mayAttach = caredFor.person?.level === 'message';
  const idempotency = useIdempotencyKey();
  const forgetCaredFor = useForgetCaredFor();
  const unsent = useUnsentWarning(hasUnsentText([subject, body], attachments.chosen));
  usePageTitle('Send a message for someone you care for', errors.hasErrors);
  const send = useMutation({
    mutationFn: (input: { key: string; payload: OnBehalfInput }) =>
      startOnBehalf(input.payload, input.key),
    meta: ownConversationChange,
  });

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    const problems = [];
    if (!teamId) problems.push({ href: 'team', message: 'Choose who to send the message to' });
    const subjectError = subjectProblem(subject);
    if (subjectError) problems.push({ href: 'subject', message: subjectError });
    const bodyError = messageProblem(body, 'message');
    if (bodyError) problems.push({ href: 'body', message: bodyError });
    if (attachments.problem) problems.push(attachments.problem);
    if (problems.length > 0) return errors.show(problems);
    const payload: OnBehalfInput = {
      patientId,
      subject: subject.trim(),
      body: body.trim(),
      recipients: [{ teamId: teamId! }],
      ...attachments.payload,
    };
    send.mutate(
      { key: idempotency.keyFor(payload), payload },
      {
        onSuccess: (conversation) => {
          idempotency.reset();
          unsent.markSent();
          void client.invalidateQueries({ queryKey: carerKeys.conversations(patientId) });
          void navigate(`/conversations/${conversation.id}`, {
            state: { flash: 'Your message has been sent' },
          });
        },
        onError: (error) => {
          if (!careEnded(error)) return showNewMessageError(errors, error, 'team');
          // Access ended while they wrote: what they wrote stays on the page to keep.
          forgetCaredFor();
          errors.show([{ href: null, message: CARE_ENDED_NOT_SENT }]);
        },
      },
    );
  };

  if (recipients.isPending || caredFor.isPending) return <Loading what="teams" />;
  if (recipients.isError) {
    if (careEnded(recipients.error)) return <CareEndedPage />;
    const viewOnly =
      recipients.error instanceof ApiError &&
      recipients.error.code === 'conversation.carer_view_only';
    if (!viewOnly) return <SectionLoadFailure error={recipients.error} what="teams" />;
    const name = caredFor.person?.patient.name ?? 'this person';
    return (
      <>
        <BackLink to={`/cared-for/${patientId}`}>Back</BackLink>
        <Heading caption="You are their carer">Send a message</Heading>
        <p className="nhsuk-body">
          You can read {name}’s messages but not send them. Only {name} can change what you can do
          for them.
        </p>
      </>
    );
  }
  return (
    <>
      <BackLink to={`/cared-for/${patientId}`}>Back</BackLink>
      <LeaveDialog blocker={unsent.blocker} />
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption="You are writing as their carer">Send a message</Heading>
      <form noValidate onSubmit={onSubmit}>
        <Radios
          id="team"
          legend="Who do you want to send the message to?"
          options={recipients.data.teams.map((t) => ({
            value: t.id,
            label: `${t.name}, ${t.organisationName}`,
          }))}
          value={teamId}
          onChange={setTeamId}
          error={errors.fields.team}
        />
        <TextInput
          id="subject"
          label="Subject"
          value={subject}
          onChange={setSubject}
          error={errors.fields.subject}
        />
        <CharacterCount
          id="body"
          label="Message"
          value={body}
          onChange={setBody}
          maxLength={MAX_MESSAGE}
          error={errors.fields.body}
        />
        {mayAttach ? <AttachmentPicker {...attachments.picker} patientId={patientId} /> : null}
        {/* Always on the page, so a screen reader hears the card when a closed team is chosen. */}
        <div aria-live="polite">
          <UrgentHelpCard
            closed={closedNow(recipients.data.teams, (id) => id === teamId)}
            id="closed-notice"
          />
        </div>
        <button className="nhsuk-button" type="submit" disabled={send.isPending}>
          Send message
        </button>
      </form>
    </>
  );
}
