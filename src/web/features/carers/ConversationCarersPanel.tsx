import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ConversationDetail } from '../../api/types';
import { Select } from '../../components/fields';
import { conversationKeys, ownConversationChange } from '../conversations/useConversations';
import { carerKeys, copyInCarer, listMyCarers, setPrivacy } from './carersApi';
import { carersPanelWords, privacyChangedWords } from './carerWords';

/**
 * On the patient's own conversation: "Private from carers" and "Copy in a carer" (C1, M1).
 * Shown only when the server says the actions are allowed.
 */
export function ConversationCarersPanel({
  conversation,
  onDone,
  onError,
}: {
  conversation: ConversationDetail;
  onDone: (message: string) => void;
  onError: (error: unknown) => void;
}) {
  const client = useQueryClient();
  const carers = useQuery({
    queryKey: carerKeys.mine,
    queryFn: listMyCarers,
    enabled: conversation.actions.setPrivacy,
  });
  const [consentId, setConsentId] = useState<string>('');
  const refresh = () =>
    client.invalidateQueries({ queryKey: conversationKeys.detail(conversation.id) });
  const privacy = useMutation({
    mutationFn: (value: boolean) => setPrivacy(conversation.id, value),
    meta: ownConversationChange,
    onSettled: refresh,
  });
  const copy = useMutation({
    mutationFn: (id: string) => copyInCarer(conversation.id, id),
    meta: ownConversationChange,
    onSettled: refresh,
  });
  if (!conversation.actions.setPrivacy) return null;
  // Carers in force now: consents started, not ended and not stopped (the server's 'active').
  const active = (carers.data?.carers ?? []).filter((c) => c.status === 'active');
  const carerNames = carers.data ? active.map((c) => c.carer.name) : null;
  const copied = new Set(
    conversation.participants.filter((p) => p.kind === 'carer' && p.active).map((p) => p.name),
  );
  const choices = active.filter((c) => !copied.has(c.carer.name));

  return (
    <section className="nhsuk-card" aria-labelledby="carers-panel-title">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-s" id="carers-panel-title">
          Your carers and this conversation
        </h2>
        <p className="nhsuk-body">{carersPanelWords(conversation.privateFromCarers, carerNames)}</p>
        <button
          className="nhsuk-button nhsuk-button--secondary"
          type="button"
          disabled={privacy.isPending}
          onClick={() =>
            privacy.mutate(!conversation.privateFromCarers, {
              onSuccess: (detail) =>
                onDone(privacyChangedWords(detail.privateFromCarers, carerNames)),
              onError,
            })
          }
        >
          {conversation.privateFromCarers ? 'Let my carers see this' : 'Make private from carers'}
        </button>
        {conversation.actions.copyInCarer && choices.length > 0 ? (
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              const chosen = consentId || choices[0]?.id;
              if (!chosen) return;
              copy.mutate(chosen, {
                onSuccess: () => onDone('Your carer has been copied in'),
                onError,
              });
            }}
          >
            <Select
              id="copy-carer"
              label="Copy in a carer"
              options={choices.map((c) => ({ value: c.id, label: c.carer.name }))}
              value={consentId || choices[0]?.id || ''}
              onChange={setConsentId}
            />
            <button
              className="nhsuk-button nhsuk-button--secondary"
              type="submit"
              disabled={copy.isPending}
            >
              Copy in
            </button>
          </form>
        ) : null}
      </div>
    </section>
  );
}
