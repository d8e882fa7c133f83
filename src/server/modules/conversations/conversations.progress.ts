import { inArray, sql } from 'drizzle-orm';
import { queryRows, type Tx } from '../../platform/db/database';

export type Progress = 'sent' | 'read' | 'replied' | 'completed';

/**
 * Where each conversation stands, in the patient's words: completed when every team has
 * archived it; replied when staff wrote last; read when someone in a participating team, or a
 * professional taking part as themselves (a patient may write to one directly, M1), has read
 * the newest message; otherwise sent. Names no one (W2).
 */
export async function progressOf(
  tx: Tx,
  conversationIds: string[],
): Promise<Map<string, Progress>> {
  const rows = await queryRows<{ id: string; completed: boolean; replied: boolean; read: boolean }>(
    tx,
    sql`
    select c.id,
           exists (select 1 from conversation_team_states s where s.conversation_id = c.id)
             and not exists (select 1 from conversation_team_states s
                              where s.conversation_id = c.id and s.archived_at is null) as completed,
           (select m.author_kind from messages m
             where m.conversation_id = c.id and m.seq = c.last_message_seq) = 'professional' as replied,
           exists (select 1 from conversation_reads r
                     join users u on u.id = r.user_id
                     join team_memberships tm on tm.professional_id = u.professional_id
                     join conversation_team_states s on s.team_id = tm.team_id and s.conversation_id = c.id
                    where r.conversation_id = c.id and r.last_read_seq >= c.last_message_seq)
           or exists (select 1 from conversation_reads r
                        join users u on u.id = r.user_id
                        join conversation_participants p
                          on p.conversation_id = c.id and p.professional_id = u.professional_id
                         and p.left_at is null
                       where r.conversation_id = c.id and r.last_read_seq >= c.last_message_seq) as read
      from conversations c
     where ${inArray(sql`c.id`, conversationIds)}`,
  );
  const result = new Map<string, Progress>();
  for (const row of rows) {
    result.set(
      row.id,
      row.completed ? 'completed' : row.replied ? 'replied' : row.read ? 'read' : 'sent',
    );
  }
  return result;
}
