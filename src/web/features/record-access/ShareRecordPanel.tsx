import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConversationDetail } from '../../api/types';
import { Select } from '../../components/fields';
import { formatDateTime } from '../conversations/format';
import { grantKeys, grantRecordAccess, listMyGrants, revokeRecordAccess } from './recordAccessApi';

const PERIODS = [
  { value: '1', label: '1 day' },
  { value: '7', label: '7 days' },
  { value: '30', label: '30 days' },
  { value: '90', label: '90 days' },
];

/**
 * "Share my record with this team" (C2), for each team in the patient's conversation: for a
 * period they choose, 7 days unless they say otherwise; it ends by itself or when they stop it.
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
  const [days, setDays] = useState('7');
  const refresh = () => client.invalidateQueries({ queryKey: grantKeys.mine });
  const grant = useMutation({ mutationFn: grantRecordAccess, onSettled: refresh });
  const revoke = useMutation({ mutationFn: revokeRecordAccess, onSettled: refresh });
  if (!enabled) return null;
  const active = (grants.data?.items ?? []).filter((g) => g.status === 'active');

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
        {conversation.handlingTeams.map((team) => {
          const current = active.find((g) => g.team.id === team.teamId);
          return current ? (
            <div key={team.teamId} className="nhsuk-u-margin-bottom-4">
              <p className="nhsuk-body">
                {team.teamName} can see your record until {formatDateTime(current.expiresAt)}.
              </p>
              <button
                className="nhsuk-button nhsuk-button--warning"
                type="button"
                disabled={revoke.isPending}
                onClick={() =>
                  revoke.mutate(current.id, {
                    onSuccess: () => onDone(`${team.teamName} can no longer see your record`),
                    onError,
                  })
                }
              >
                Stop sharing with {team.teamName}
              </button>
            </div>
          ) : (
            <form
              key={team.teamId}
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                grant.mutate(
                  { teamId: team.teamId, days: Number(days), conversationId: conversation.id },
                  {
                    onSuccess: (g) =>
                      onDone(
                        `${team.teamName} can see your record until ${formatDateTime(g.expiresAt)}`,
                      ),
                    onError,
                  },
                );
              }}
            >
              <Select
                id={`share-days-${team.teamId}`}
                label={`How long may ${team.teamName} see your record?`}
                options={PERIODS}
                value={days}
                onChange={setDays}
              />
              <button
                className="nhsuk-button nhsuk-button--secondary"
                type="submit"
                disabled={grant.isPending}
              >
                Share my record with {team.teamName}
              </button>
            </form>
          );
        })}
      </div>
    </section>
  );
}
