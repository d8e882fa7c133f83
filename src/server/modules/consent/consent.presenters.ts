import type { carerConsents, carerInvitations } from './consent.schema';

type InvitationRow = typeof carerInvitations.$inferSelect;
type ConsentRow = typeof carerConsents.$inferSelect;

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

/** An invitation as the patient sees it; never the code or its hash. */
export function presentInvitation(row: InvitationRow) {
  return {
    id: row.id,
    email: row.email,
    level: row.level,
    consentEndsAt: iso(row.consentEndsAt),
    expiresAt: row.expiresAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    recordedOnBehalf: row.recordedByProfessionalId !== null,
  };
}

/** Where a consent stands at `now` (C1): judged on every request, never stored. */
export function consentStatus(row: ConsentRow, now: Date) {
  if (row.revokedAt !== null) return 'revoked' as const;
  if (row.endsAt !== null && row.endsAt <= now) return 'ended' as const;
  if (row.startsAt > now) return 'not_started' as const;
  return 'active' as const;
}

/**
 * When a consent or a grant stopped counting: the first of its ends (the end the patient
 * chose, an expiry, a revocation), and never before it started (one revoked before it began
 * lasted no time). Null while it has no end.
 */
export function endOfPeriod(startsAt: Date, ends: (Date | null)[]): Date | null {
  const known = ends.filter((d): d is Date => d !== null);
  if (known.length === 0) return null;
  const earliest = Math.min(...known.map((d) => d.getTime()));
  return new Date(Math.max(earliest, startsAt.getTime()));
}

export function presentConsent(row: ConsentRow, carerName: string, now: Date) {
  return {
    id: row.id,
    carer: { name: carerName },
    level: row.level,
    startsAt: row.startsAt.toISOString(),
    endsAt: iso(row.endsAt),
    revokedAt: iso(row.revokedAt),
    status: consentStatus(row, now),
    recordedOnBehalf: row.recordedByProfessionalId !== null,
  };
}
