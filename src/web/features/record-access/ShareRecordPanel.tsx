import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConversationDetail } from '../../api/types';
import { Select } from '../../components/fields';
import { Loading } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { formatDateTime } from '../conversations/format';
import { grantKeys, grantRecordAccess, listMyGrants, revokeRecordAccess } from './recordAccessApi';
import { teamLabels } from './teamLabels';

const PERIODS = [
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
];

/**
 * "Share my record with this team" (C2), for each team in the patient's conversation: for a
 * period they choose, 7 days unless they say otherwise; it ends by itself or when they stop it.
 * The forms wait for the shares in force, so none is offered for a team that already has one.
 * Two teams of the same name are told apart by their organisation or what they do.
 */
export function ShareRecordPanel({
  conversation,
  onDone,
  onError,
}: {
  conversation: ConversationDetail;
  onDone: (message: string) => void;
  onError: (error: unknown) => void;
}) {
  const client = useQueryClient();
  const enabled = conversation.actions.setPrivacy && conversation.handlingTeams.length > 0;
  const grants = useQuery({ queryKey: grantKeys.mine, queryFn: listMyGrants, enabled });
  const refresh = () => client.invalidateQueries({ queryKey: grantKeys.mine });
  const revoke = useMutation({ mutationFn: revokeRecordAccess, onSettled: refresh });
  if (!enabled) return null;
  const labels = teamLabels(conversation.handlingTeams);

  return (
    <section className="nhsuk-card" aria-labelledby="share-record-title">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-s" id="share-record-title">
          Sharing your record
        </h2>
        <p className="nhsuk-body">
          A team in this conversation sees only this conversation unless it looks after you or you
          share your record with it. Sharing lets them read all your conversations for the time you
          choose.
        </p>
        {grants.isPending ? (
          <Loading what="who can see your record" />
        ) : grants.isError ? (
          <SectionLoadFailure error={grants.error} what="who can see your record" />
        ) : (
          conversation.handlingTeams.map((team) => {
            const name = labels.get(team.teamId) ?? team.teamName;
            const current = grants.data.items.find(
              (g) => g.status === 'active' && g.team.id === team.teamId,
            );
            return current ? (
              <div key={team.teamId} className="nhsuk-u-margin-bottom-4">
                <p className="nhsuk-body">
                  {name} can see your record until {formatDateTime(current.expiresAt)}.
                </p>
                <button
                  className="nhsuk-button nhsuk-button--warning"
                  type="button"
                  disabled={revoke.isPending}
                  onClick={() =>
                    revoke.mutate(current.id, {
                      onSuccess: () => onDone(`${name} can no longer see your record`),
                      onError,
                    })
                  }
                >
                  Stop sharing with {name}
                </button>
              </div>
            ) : (
              <ShareWithTeamForm
                key={team.teamId}
                team={team}
                name={name}
                conversationId={conversation.id}
                onDone={onDone}
                onError={onError}
              />
            );
          })
        )}
      </div>
    </section>
  );
}

/** One team's form: its own period, so choosing one for a team leaves the others as they were. */
function ShareWithTeamForm({
  team,
  name,
  conversationId,
  onDone,
  onError,
}: {
  team: ConversationDetail['handlingTeams'][number];
  /** The team as the patient can tell it from the others here. */
  name: string;
  conversationId: string;
  onDone: (message: string) => void;
  onError: (error: unknown) => void;
}) {
  const client = useQueryClient();
  const [days, setDays] = useState('7');
  const grant = useMutation({
    mutationFn: grantRecordAccess,
    onSettled: () => client.invalidateQueries({ queryKey: grantKeys.mine }),
  });
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        grant.mutate(
          { teamId: team.teamId, days: Number(days), conversationId },
          {
            onSuccess: (g) =>
              onDone(`${name} can see your record until ${formatDateTime(g.expiresAt)}`),
            onError,
          },
        );
      }}
    >
      <Select
        id={`share-days-${team.teamId}`}
        label={`How long may ${name} see your record?`}
        options={PERIODS}
        value={days}
        onChange={setDays}
      />
      <button
        className="nhsuk-button nhsuk-button--secondary"
        type="submit"
        disabled={grant.isPending}
      >
        Share my record with {name}
      </button>
    </form>
  );
}
