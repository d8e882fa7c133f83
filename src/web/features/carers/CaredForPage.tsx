import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Radios, Textarea, TextInput } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure, SectionLoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { Cell, Row, Table } from '../../components/Table';
import { useFormErrors } from '../../components/useFormErrors';
import { formatDateTime } from '../conversations/format';
import {
  carerKeys,
  type CaredForConversations,
  LEVEL_LABELS,
  listCaredForConversations,
  listCaredForRecipients,
  startOnBehalf,
} from './carersApi';

/** A cared-for patient's conversations that are not private from carers (C1). */
export function CaredForPage() {
  const { patientId = '' } = useParams();
  const location = useLocation();
  const list = useQuery({
    queryKey: carerKeys.conversations(patientId),
    queryFn: () => listCaredForConversations(patientId),
    retry: false,
  });
  usePageTitle(list.data ? `${list.data.patient.name}’s messages` : 'Messages');
  if (list.isPending) return <Loading what="messages" />;
  if (list.isError) return <LoadFailure error={list.error} />;
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
      headings={['Subject', 'Teams', 'Last message']}
    >
      {data.items.map((item) => (
        <Row key={item.id}>
          <Cell heading="Subject">
            <Link to={`/conversations/${item.id}`}>{item.subject}</Link>
            {item.unreadCount > 0 ? (
              <span className="nhsuk-body-s"> ({item.unreadCount} unread)</span>
            ) : null}
          </Cell>
          <Cell heading="Teams">{item.teams.map((t) => t.name).join(', ')}</Cell>
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
  usePageTitle('Send a message for someone you care for', errors.hasErrors);
  const send = useMutation({ mutationFn: startOnBehalf });

  const onSubmit = (event: React.FormEvent) => {
    event.preventDefault();
    const problems = [];
    if (!teamId) problems.push({ href: 'team', message: 'Choose who to send the message to' });
    if (!subject.trim()) problems.push({ href: 'subject', message: 'Enter a subject' });
    if (!body.trim()) problems.push({ href: 'body', message: 'Enter your message' });
    if (problems.length > 0) return errors.show(problems);
    send.mutate(
      { patientId, subject: subject.trim(), body, recipients: [{ teamId: teamId! }] },
      {
        onSuccess: (conversation) => {
          void client.invalidateQueries({ queryKey: carerKeys.conversations(patientId) });
          void navigate(`/conversations/${conversation.id}`, {
            state: { flash: 'Your message has been sent' },
          });
        },
        onError: (error) => errors.showApiError(error, () => null),
      },
    );
  };

  if (recipients.isPending) return <Loading what="teams" />;
  if (recipients.isError) return <SectionLoadFailure error={recipients.error} what="teams" />;
  return (
    <>
      <BackLink to={`/cared-for/${patientId}`}>Back</BackLink>
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
        <Textarea
          id="body"
          label="Message"
          value={body}
          onChange={setBody}
          error={errors.fields.body}
        />
        <button className="nhsuk-button" type="submit" disabled={send.isPending}>
          Send message
        </button>
      </form>
    </>
  );
}
