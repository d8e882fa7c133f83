import { forbidden } from '../../platform/http/problem';
import { type Tx, withTransaction } from '../../platform/db/database';
import type { AuditContext } from '../../platform/audit/audit';
import type { AppDeps } from '../../platform/deps';
import { auditContextFor, type Actor, type RequestFacts } from '../identity/actor';
import { conversationNotFound, loadConversation } from './conversations.facts';
import { can, type ConversationAction } from './conversations.policy';

type Author = Exclude<Actor, { kind: 'anonymous' }>;

/** Loads a conversation and checks an action: invisible → 404, visible but not allowed → 403. */
export async function authorise(
  tx: Tx,
  actor: Author,
  conversationId: string,
  action: ConversationAction,
  lock = false,
) {
  const loaded = await loadConversation(tx, conversationId, lock);
  if (!can(actor, 'conversation.read', loaded.facts)) throw conversationNotFound();
  if (!can(actor, action, loaded.facts)) {
    throw forbidden(
      `conversation.${action.split('.')[1]}_forbidden`,
      'You cannot do this in this conversation.',
    );
  }
  return loaded;
}

/** Runs a conversation command in one transaction, with its audit context. */
export async function inTransaction<T>(
  deps: AppDeps,
  actor: Author,
  request: RequestFacts,
  work: (tx: Tx, audit: AuditContext) => Promise<T>,
) {
  return withTransaction(deps.db, (tx) => work(tx, auditContextFor(actor, request, deps.clock())));
}
