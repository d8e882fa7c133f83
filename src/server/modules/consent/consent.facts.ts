import { sql, type SQL } from 'drizzle-orm';
import { SESSION_IDLE_MS } from '../identity/identity.queries';
import { sessions } from '../identity/identity.schema';
import type {
  BreakGlassFacts,
  CarerConsentFacts,
  RecordGrantFacts,
} from '../conversations/conversations.policy';
import {
  breakGlassSessions,
  carerConsents,
  privateConversations,
  recordAccessGrants,
} from './consent.schema';

/** The time-limited access to one conversation's record, as one json column. */
export interface AccessJson {
  consents:
    | {
        carer_user_id: string;
        level: 'view' | 'message';
        starts_at: string;
        ends_at: string | null;
      }[]
    | null;
  grants: { team_id: string; starts_at: string; expires_at: string }[] | null;
  break_glass: { professional_id: string; expires_at: string }[] | null;
  private: boolean;
}

/**
 * A select column (for a query over `conversations`) with the carers, grants and
 * break-glass sessions in force at `at`, and whether the conversation is private from carers.
 * Folded into the conversation's one query, so the access check costs no extra round trip.
 */
export function accessColumns(at: Date | undefined): SQL<AccessJson | null> {
  if (!at) return sql<AccessJson | null>`null::json`;
  const when = at.toISOString();
  const idleSince = new Date(at.getTime() - SESSION_IDLE_MS).toISOString();
  return sql<AccessJson | null>`json_build_object(
    'consents', (select json_agg(json_build_object('carer_user_id', cc.carer_user_id,
                   'level', cc.level, 'starts_at', cc.starts_at, 'ends_at', cc.ends_at))
                   from ${carerConsents} cc
                  where cc.patient_id = "conversations"."patient_id" and cc.revoked_at is null
                    and cc.starts_at <= ${when}::timestamptz
                    and (cc.ends_at is null or cc.ends_at > ${when}::timestamptz)),
    'grants', (select json_agg(json_build_object('team_id', g.team_id, 'starts_at', g.starts_at,
                 'expires_at', g.expires_at))
                 from ${recordAccessGrants} g
                where g.patient_id = "conversations"."patient_id" and g.revoked_at is null
                  and g.starts_at <= ${when}::timestamptz and g.expires_at > ${when}::timestamptz),
    'break_glass', (select json_agg(json_build_object('professional_id', b.professional_id,
                      'expires_at', b.expires_at))
                      from ${breakGlassSessions} b
                      join ${sessions} s on s.token_hash = b.session_token_hash
                     where b.patient_id = "conversations"."patient_id"
                       and b.expires_at > ${when}::timestamptz
                       and s.expires_at > ${when}::timestamptz
                       and s.last_seen_at > ${idleSince}::timestamptz),
    'private', exists (select 1 from ${privateConversations} pc
                        where pc.conversation_id = "conversations"."id"))`;
}

export function accessFactsOf(
  json: AccessJson | null,
  at: Date,
): {
  at: Date;
  carerConsents: CarerConsentFacts[];
  recordGrants: RecordGrantFacts[];
  breakGlass: BreakGlassFacts[];
  privateFromCarers: boolean;
} {
  return {
    at,
    carerConsents: (json?.consents ?? []).map((c) => ({
      carerUserId: c.carer_user_id,
      level: c.level,
      startsAt: new Date(c.starts_at),
      endsAt: c.ends_at === null ? null : new Date(c.ends_at),
      revokedAt: null,
    })),
    recordGrants: (json?.grants ?? []).map((g) => ({
      teamId: g.team_id,
      startsAt: new Date(g.starts_at),
      expiresAt: new Date(g.expires_at),
      revokedAt: null,
    })),
    breakGlass: (json?.break_glass ?? []).map((b) => ({
      professionalId: b.professional_id,
      expiresAt: new Date(b.expires_at),
    })),
    privateFromCarers: json?.private ?? false,
  };
}
