import { eq } from 'drizzle-orm';
import type { Database, Tx } from '../../platform/db/database';
import { privateConversations } from './consent.schema';

/** Whether the patient marked the conversation private from carers (C1). */
export async function isPrivateFromCarers(
  db: Database | Tx,
  conversationId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ id: privateConversations.conversationId })
    .from(privateConversations)
    .where(eq(privateConversations.conversationId, conversationId));
  return row !== undefined;
}
