import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useRef } from 'react';
import {
  getConversation,
  listMyConversations,
  listMyRecipients,
  listParticipantSuggestions,
  listRecordConversations,
} from '../../api/endpoints';
import type { ConversationDetail } from '../../api/types';

export const conversationKeys = {
  all: ['conversations'] as const,
  detail: (id: string) => ['conversations', 'detail', id] as const,
  mine: (cursor: string | undefined) => ['conversations', 'mine', cursor ?? 'first'] as const,
  record: (patientId: string) => ['conversations', 'record', patientId] as const,
  suggestions: (id: string) => ['conversations', 'suggestions', id] as const,
};

export const inboxKeys = { all: ['inbox'] as const };

/**
 * Marks a mutation as the person's own change to a conversation, so the live update it
 * causes is not announced to them as news.
 */
export const ownConversationChange = { changesConversation: true } as const;

export function useConversation(conversationId: string) {
  return useQuery({
    queryKey: conversationKeys.detail(conversationId),
    queryFn: () => getConversation(conversationId),
    // An attachment still being checked shows its outcome without a reload.
    refetchInterval: (query) => (hasPendingAttachment(query.state.data) ? 3_000 : false),
  });
}

function hasPendingAttachment(conversation: ConversationDetail | undefined): boolean {
  return !!conversation?.messages.some((m) =>
    (m.attachments ?? []).some((a) => a.status === 'uploading' || a.status === 'checking'),
  );
}

export function useMyConversations(cursor: string | undefined) {
  return useQuery({
    queryKey: conversationKeys.mine(cursor),
    queryFn: () => listMyConversations({ cursor, limit: 25 }),
  });
}

export function useRecordConversations(patientId: string) {
  return useQuery({
    queryKey: conversationKeys.record(patientId),
    queryFn: () => listRecordConversations(patientId),
  });
}

export function useMyRecipients() {
  return useQuery({ queryKey: ['recipients'], queryFn: listMyRecipients });
}

export function useParticipantSuggestions(conversationId: string) {
  return useQuery({
    queryKey: conversationKeys.suggestions(conversationId),
    queryFn: () => listParticipantSuggestions(conversationId),
  });
}

/**
 * Wraps a mutation that returns the updated conversation: caches it and refreshes the
 * lists (inboxes, my conversations, record) that may have changed with it.
 */
export function useConversationMutation<TInput, TResult>(
  mutationFn: (input: TInput) => Promise<TResult>,
) {
  const client = useQueryClient();
  return useMutation({
    mutationFn,
    meta: ownConversationChange,
    onSuccess: async (result) => {
      if (isDetail(result)) client.setQueryData(conversationKeys.detail(result.id), result);
      await Promise.all([
        client.invalidateQueries({ queryKey: conversationKeys.all }),
        client.invalidateQueries({ queryKey: inboxKeys.all }),
      ]);
    },
  });
}

/**
 * One Idempotency-Key per intended send (M5): a retry of the same content reuses the key,
 * so a send whose response was lost is not sent twice; changed content is a new send.
 */
export function useIdempotencyKey() {
  const current = useRef<{ key: string; payload: string } | null>(null);
  const keyFor = useCallback((payload: unknown): string => {
    const text = JSON.stringify(payload);
    if (!current.current || current.current.payload !== text) {
      current.current = { key: crypto.randomUUID(), payload: text };
    }
    return current.current.key;
  }, []);
  const reset = useCallback(() => {
    current.current = null;
  }, []);
  return { keyFor, reset };
}

function isDetail(value: unknown): value is ConversationDetail {
  return !!value && typeof value === 'object' && 'messages' in value && 'id' in value;
}
