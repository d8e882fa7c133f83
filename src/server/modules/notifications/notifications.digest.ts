import { sql } from 'drizzle-orm';
import { queryRows } from '../../platform/db/database';
import { notificationMessageId } from '../../platform/mail/mailer';
import { digestEmail, signInLink } from '../../platform/mail/templates';
import type { Delivery, Handler } from '../../platform/outbox/relay';
import { type DeliveryDeps, organisationFooter } from './notifications.delivery';

/**
 * The daily digest: for each team the professional chose a digest for, how many messages in
 * its open conversations they have not read. Counts only (N2); nothing new, no email.
 */
export function digestHandler(deps: DeliveryDeps): Handler {
  return async (row): Promise<Delivery> => {
    const counts = await queryRows<{
      team_name: string;
      organisation_name: string;
      email: string;
      unread: number;
    }>(
      deps.db,
      sql`
        select t.name as team_name, o.name as organisation_name, p.email,
               -- Unread messages, counted as the team inbox counts them.
               coalesce(sum(greatest(c.last_message_seq - coalesce(r.last_read_seq, 0), 0)), 0)::int
                 as unread
          from users u
          join professionals p on p.id = u.professional_id and p.active
          join notification_preferences np on np.professional_id = p.id and np.mode = 'digest'
          join team_memberships tm on tm.professional_id = p.id and tm.team_id = np.team_id
          join teams t on t.id = np.team_id and t.active
          join organisations o on o.id = t.organisation_id
          left join conversation_team_states s on s.team_id = t.id and s.archived_at is null
          left join conversations c on c.id = s.conversation_id
          left join conversation_reads r on r.conversation_id = s.conversation_id and r.user_id = u.id
         where u.id = ${row.recipientUserId}
         group by t.name, o.name, p.email
         order by t.name`,
    );
    const first = counts[0];
    if (!first) return { outcome: 'dropped', reason: 'no_digest_teams' };
    if (counts.every((c) => c.unread === 0)) return { outcome: 'dropped', reason: 'nothing_new' };
    await deps.mailer.send({
      to: first.email,
      ...digestEmail({
        organisationName: first.organisation_name,
        signInUrl: signInLink(deps.publicUrl),
        footer: organisationFooter(first.organisation_name),
        counts: counts.map((c) => ({ teamName: c.team_name, unread: c.unread })),
      }),
      messageId: notificationMessageId(
        [row.kind, row.eventKey, row.recipientUserId],
        deps.mailFrom,
      ),
    });
    return { outcome: 'sent' };
  };
}
