import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { leaveConversation } from '../../api/endpoints';
import type { ConversationDetail, SessionUser } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Radios } from '../../components/fields';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import {
  conversationKeys,
  inboxKeys,
  ownConversationChange,
  useConversation,
} from './useConversations';

export function LeaveConversationPage() {
  const { conversationId = '' } = useParams();
  const conversation = useConversation(conversationId);
  const user = useUser();
  usePageTitle('Leave conversation');
  if (conversation.isPending) return <Loading />;
  if (conversation.isError) return <LoadFailure error={conversation.error} />;
  if (!conversation.data.actions.leave)
    return <LoadFailure error={new ApiError({ status: 404 })} />;
  return <LeaveForm conversation={conversation.data} user={user} />;
}

/** '' stands for "just me"; otherwise the id of one of the viewer's teams to take out. */
function leaveOptions(conversation: ConversationDetail, user: SessionUser) {
  // Leaving "just me" ends an individual place and any assignment the person holds here.
  const individual =
    conversation.participants.some(
      (p) => p.kind === 'professional' && p.active && p.you === true,
    ) || conversation.teamWorkflow.some((t) => t.assignee?.professionalId === user.professionalId);
  const teams = conversation.teamWorkflow.map((t) => ({
    value: t.teamId,
    label: `Take ${t.teamName} out of the conversation`,
  }));
  const options = individual || teams.length === 0 ? [{ value: '', label: 'Just me' }] : [];
  return [...options, ...teams];
}

function LeaveForm({
  conversation,
  user,
}: {
  conversation: ConversationDetail;
  user: SessionUser;
}) {
  const options = leaveOptions(conversation, user);
  const [choice, setChoice] = useState<string | null>(
    options.length === 1 ? (options[0]?.value ?? null) : null,
  );
  const errors = useFormErrors();
  const navigate = useNavigate();
  const client = useQueryClient();
  const threadPath = `/conversations/${conversation.id}`;
  usePageTitle('Leave conversation', errors.hasErrors);

  const leave = useMutation({
    mutationFn: (teamId: string) => leaveConversation(conversation.id, teamId || undefined),
    meta: ownConversationChange,
    onSuccess: async (_result, teamId) => {
      client.removeQueries({ queryKey: conversationKeys.detail(conversation.id) });
      await Promise.all([
        client.invalidateQueries({ queryKey: conversationKeys.all }),
        client.invalidateQueries({ queryKey: inboxKeys.all }),
      ]);
      const team = conversation.teamWorkflow.find((t) => t.teamId === teamId);
      void navigate(team ? `/inbox/${team.teamId}` : '/conversations', {
        state: {
          flash: team
            ? `${team.teamName} has left “${conversation.subject}”`
            : `You have left “${conversation.subject}”`,
        },
      });
    },
    onError: (error) => errors.showApiError(error, () => null),
  });

  const onLeave = () => {
    if (choice === null) {
      return errors.show([{ href: 'leave-as', message: 'Select who is leaving the conversation' }]);
    }
    leave.mutate(choice);
  };

  return (
    <>
      <BackLink to={threadPath}>Back to the conversation</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={conversation.subject}>Leave this conversation?</Heading>
          <p className="nhsuk-body">
            You will keep seeing the messages sent until you leave, but not new ones. Messages are
            never deleted.
          </p>
          {options.length > 1 ? (
            <Radios
              id="leave-as"
              legend="Who is leaving?"
              legendClassName="nhsuk-fieldset__legend--m"
              options={options}
              value={choice}
              onChange={setChoice}
              error={errors.fields['leave-as']}
            />
          ) : options[0]?.value ? (
            <p className="nhsuk-body">
              {options[0].label}. Everyone in the team will stop seeing new messages.
            </p>
          ) : null}
          <div className="app-actions">
            <button
              className="nhsuk-button nhsuk-button--warning"
              type="button"
              disabled={leave.isPending}
              onClick={onLeave}
            >
              Leave conversation
            </button>
            <Link to={threadPath}>No, stay in the conversation</Link>
          </div>
        </div>
      </div>
    </>
  );
}
