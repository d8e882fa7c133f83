import { forbidden } from '../../platform/http/problem';
import type { Tx } from '../../platform/db/database';
import type { SignedInActor } from '../identity/actor';
import { conversationNotFound, loadConversation } from './conversations.facts';
import { can, type ConversationAction } from './conversations.policy';

/**
 * Loads a conversation and checks an action: invisible → 404, visible but not allowed → 403.
 * `at` is the request's clock: carers' consents, record grants and break-glass are judged
 * against it on every request, never cached (C1, C2).
 */
export async function authorise(
  tx: Tx,
  actor: SignedInActor,
  conversationId: string,
  action: ConversationAction,
  options: { at: Date; lock?: boolean },
) {
  const loaded = await loadConversation(tx, conversationId, options.lock ?? false, options.at);
  if (!can(actor, 'conversation.read', loaded.facts)) throw conversationNotFound();
  if (!can(actor, action, loaded.facts)) {
    throw forbidden(
      `conversation.${action.split('.')[1]}_forbidden`,
      'You cannot do this in this conversation.',
    );
  }
  return loaded;
}
