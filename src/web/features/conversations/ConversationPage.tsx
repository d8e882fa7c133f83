import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { joinConversation, markConversationRead } from '../../api/endpoints';
import type { ConversationDetail, SessionUser } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { flashFrom, SuccessBanner } from '../../components/SuccessBanner';
import { useFormErrors } from '../../components/useFormErrors';
import { CareEndedPage, careEndedForItem, careEndedTitle } from '../carers/CareEnded';
import { ConversationCarersPanel } from '../carers/ConversationCarersPanel';
import { ShareRecordPanel } from '../record-access/ShareRecordPanel';
import { useUser } from '../session/useSession';
import { MessageList } from './MessageList';
import { ParticipantsList } from './ParticipantsList';
import { formatDate, formatNhsNumber } from './format';
import { ReadOnlyBanner } from './ReadOnlyBanner';
import { ReplyForm } from './ReplyForm';
import { TakenOutNotice, useTakenOut } from './TakenOutNotice';
import { TeamWorkflowPanel } from './TeamWorkflowPanel';
import { UnsentReply } from './UnsentReply';
import {
  conversationKeys,
  inboxKeys,
  useConversation,
  useConversationMutation,
} from './useConversations';

export function ConversationPage() {
  const { conversationId = '' } = useParams();
  const conversation = useConversation(conversationId);
  // A carer whose access has ended, opening (or still on) one of that person's conversations.
  const ended = careEndedForItem(conversation.error);
  usePageTitle(
    ended ? careEndedTitle('conversation') : (conversation.data?.subject ?? 'Conversation'),
  );
  if (conversation.isPending) return <Loading what="conversation" />;
  if (ended) return <CareEndedPage what="conversation" />;
  if (conversation.isError) return <LoadFailure error={conversation.error} />;
  return <ConversationView conversation={conversation.data} />;
}

/** Whether the page is on screen: a thread left open in a background tab is not being read. */
function useDocumentVisible(): boolean {
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => setVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return visible;
}

/**
 * Marks the thread read up to its newest message once it is on screen (W6: not handling).
 * Live updates bring new messages into an open thread, so a hidden tab waits until it is
 * looked at: marking read too early would also cancel the person's email about it.
 */
function useMarkRead(conversation: ConversationDetail) {
  const client = useQueryClient();
  const marked = useRef(0);
  const visible = useDocumentVisible();
  const { id, lastMessageSeq, myLastReadSeq, readOnly } = conversation;
  useEffect(() => {
    if (!visible) return;
    if (readOnly || lastMessageSeq <= myLastReadSeq || marked.current >= lastMessageSeq) return;
    marked.current = lastMessageSeq;
    markConversationRead(id, lastMessageSeq).then(
      () =>
        Promise.all([
          client.invalidateQueries({ queryKey: ['conversations', 'mine'] }),
          client.invalidateQueries({ queryKey: inboxKeys.all }),
        ]),
      () => {
        marked.current = 0;
      },
    );
  }, [client, id, lastMessageSeq, myLastReadSeq, readOnly, visible]);
}

function backLink(user: SessionUser, conversation: ConversationDetail) {
  if (user.kind === 'patient' && user.patientId !== conversation.patient.id) {
    return (
      <BackLink to={`/cared-for/${conversation.patient.id}`}>
        Back to {conversation.patient.name}’s messages
      </BackLink>
    );
  }
  if (user.kind === 'patient') return <BackLink to="/">Back to your messages</BackLink>;
  const [only] = conversation.teamWorkflow;
  if (conversation.teamWorkflow.length === 1 && only) {
    return <BackLink to={`/inbox/${only.teamId}`}>Back to {only.teamName} inbox</BackLink>;
  }
  if (conversation.readOnly) {
    return (
      <BackLink to={`/patients/${conversation.patient.id}`}>Back to the patient record</BackLink>
    );
  }
  return <BackLink to="/conversations">Back to my conversations</BackLink>;
}

function ConversationView({ conversation }: { conversation: ConversationDetail }) {
  const user = useUser();
  const location = useLocation();
  const client = useQueryClient();
  // undefined: show any message passed in by the page before; null: show none.
  const [done, setDone] = useState<{ message: string; at: number } | null | undefined>(undefined);
  const [replySent, setReplySent] = useState(0);
  const errors = useFormErrors();
  const isPatient = user.kind === 'patient';
  const flash = done === undefined ? flashFrom(location.state) : (done?.message ?? null);
  usePageTitle(conversation.subject, errors.hasErrors);
  useMarkRead(conversation);
  // Staff whose team was taken out while the thread was open are told so (live updates).
  const takenOut = useTakenOut(conversation, user);
  // What the reply box holds: taken out, the box goes but what they wrote stays. A ref, not
  // state, so a key pressed does not redraw the whole thread. It is read only once the box has
  // gone: the render that shows the notice comes after the last key, and nothing changes it
  // after that.
  const draft = useRef({ id: conversation.id, text: '' });
  // A reply box that appears again (her team added back) starts empty, and so does what is
  // kept: taken out a second time, only what that box held is shown, not the earlier reply.
  const replyBoxShown = conversation.actions.reply;
  useEffect(() => {
    if (replyBoxShown) draft.current = { id: conversation.id, text: '' };
  }, [replyBoxShown, conversation.id]);
  const unsentReply =
    takenOut && draft.current.id === conversation.id && draft.current.text.trim() !== ''
      ? draft.current.text
      : null;

  const succeed = (message: string) => {
    errors.clear();
    setReplySent(0);
    setDone({ message, at: Date.now() });
  };

  const join = useConversationMutation(() => joinConversation(conversation.id));
  const onJoin = () =>
    join.mutate(undefined, {
      onSuccess: () => succeed('You have joined this conversation'),
      onError: (error) => errors.showApiError(error, () => null),
    });

  return (
    <>
      {backLink(user, conversation)}
      {flash ? <SuccessBanner key={done?.at ?? 0} message={flash} focus={!!done} /> : null}
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption="Conversation">{conversation.subject}</Heading>

      {takenOut ? (
        <>
          <TakenOutNotice teams={takenOut} />
          {unsentReply !== null ? <UnsentReply text={unsentReply} /> : null}
        </>
      ) : conversation.readOnly ? (
        <ReadOnlyBanner
          conversation={conversation}
          isPatient={isPatient}
          joining={join.isPending}
          onJoin={onJoin}
        />
      ) : null}

      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {!isPatient ? <PatientIdentity patient={conversation.patient} /> : null}
          {conversation.appointmentId ? (
            <p className="nhsuk-body">
              <Link to={`/appointments/${conversation.appointmentId}`}>
                View the appointment this conversation is about
              </Link>
            </p>
          ) : null}
          <ParticipantsList conversation={conversation} isPatient={isPatient} />

          {conversation.teamWorkflow.map((workflow) => (
            <TeamWorkflowPanel
              key={workflow.teamId}
              conversation={conversation}
              workflow={workflow}
              several={conversation.teamWorkflow.length > 1}
              me={user.professionalId}
              onDone={succeed}
              onError={(error) => {
                errors.showApiError(error, () => null);
                // Refresh after a refused workflow action, so the page shows who won (W1).
                void client.invalidateQueries({
                  queryKey: conversationKeys.detail(conversation.id),
                });
              }}
            />
          ))}

          {conversation.actions.addParticipant || conversation.actions.leave ? (
            <div className="app-actions nhsuk-u-margin-bottom-5">
              {conversation.actions.addParticipant ? (
                <Link
                  className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
                  to={`/conversations/${conversation.id}/add-people`}
                >
                  Add people
                </Link>
              ) : null}
              {conversation.actions.leave ? (
                <Link to={`/conversations/${conversation.id}/leave`}>Leave conversation</Link>
              ) : null}
            </div>
          ) : null}

          <h2 className="nhsuk-heading-m">Messages</h2>
          <MessageList
            messages={conversation.messages}
            lastReadSeq={conversation.myLastReadSeq}
            removable={{
              conversationId: conversation.id,
              own: conversation.actions.reply,
              anyone: conversation.actions.removeAnyMessage === true,
            }}
          />

          {replySent > 0 ? (
            // Beside the thread, not at the top: focus moves here (the Send button was
            // disabled while sending) and the reader stays by the message they sent.
            <SuccessBanner key={replySent} message="Your reply has been sent" focus />
          ) : null}
          {conversation.actions.reply ? (
            <ReplyForm
              // Another conversation opened in place starts with an empty box.
              key={conversation.id}
              conversationId={conversation.id}
              patientId={conversation.patient.id}
              errors={errors}
              isPatient={isPatient}
              onDraft={(text) => {
                draft.current = { id: conversation.id, text };
              }}
              onSent={() => {
                setDone(null);
                setReplySent((n) => n + 1);
              }}
            />
          ) : isPatient && conversation.nobodyToRead ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                The staff in this conversation no longer use Carethread, so nobody would read a
                reply here.{' '}
                {user.patientId === conversation.patient.id ? (
                  <Link to="/messages/new">Send a new message to a team that looks after you</Link>
                ) : (
                  <Link to={`/cared-for/${conversation.patient.id}/new`}>
                    Send a new message to a team that looks after them
                  </Link>
                )}
                .
              </p>
            </div>
          ) : null}

          {/* The patient's own controls come after the messages, so a phone shows those first. */}
          <ConversationCarersPanel
            conversation={conversation}
            onDone={succeed}
            onError={(error) => errors.showApiError(error, () => null)}
          />
          <ShareRecordPanel
            conversation={conversation}
            onDone={succeed}
            onError={(error) => errors.showApiError(error, () => null)}
          />
        </div>
      </div>
    </>
  );
}

/**
 * Staff only: who the patient is, with a second identifier (NHS number, date of birth) to
 * check before giving clinical advice. The server sends those to staff alone.
 */
function PatientIdentity({ patient }: { patient: ConversationDetail['patient'] }) {
  return (
    <p className="nhsuk-body">
      Patient: <Link to={`/patients/${patient.id}`}>{patient.name}</Link>
      {patient.nhsNumber ? (
        <>
          <br />
          NHS number: <span className="app-nowrap">{formatNhsNumber(patient.nhsNumber)}</span>
        </>
      ) : null}
      {patient.dateOfBirth ? (
        <>
          <br />
          Date of birth: <span className="app-nowrap">{formatDate(patient.dateOfBirth)}</span>
        </>
      ) : null}
    </p>
  );
}
