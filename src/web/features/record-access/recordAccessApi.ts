import { query, request } from '../../api/client';

export interface Grant {
  id: string;
  team: { id: string; name: string; organisationName: string };
  conversationId: string | null;
  startsAt: string;
  expiresAt: string;
  revokedAt: string | null;
  status: 'active' | 'expired' | 'revoked';
}

export const BREAK_GLASS_REASONS = [
  { value: 'emergency_care', label: 'Emergency care: the patient may come to harm without it' },
  { value: 'urgent_clinical_query', label: 'An urgent clinical question about the patient' },
  { value: 'safeguarding', label: 'A safeguarding concern' },
  { value: 'patient_asked_in_person', label: 'The patient asked me in person' },
  { value: 'other', label: 'Another reason (say below)' },
] as const;
export type BreakGlassReason = (typeof BREAK_GLASS_REASONS)[number]['value'];

export interface BreakGlassReview {
  id: string;
  professional: { id: string; name: string; jobTitle: string };
  patient: { id: string; name: string; nhsNumber: string };
  organisation: { id: string; name: string };
  reason: BreakGlassReason;
  detail: string;
  startedAt: string;
  expiresAt: string;
  reviewedAt: string | null;
  reviewedBy: string | null;
}

export const grantRecordAccess = (input: {
  teamId: string;
  days: number;
  conversationId?: string;
}) => request<Grant>('POST', '/record-access-grants', input);
export const revokeRecordAccess = (grantId: string) =>
  request<Grant>('POST', `/record-access-grants/${grantId}/revoke`);
export const listMyGrants = () => request<{ items: Grant[] }>('GET', '/me/record-access-grants');
export const breakGlass = (input: {
  nhsNumber: string;
  reason: BreakGlassReason;
  detail: string;
}) => request<{ id: string; patientId: string; expiresAt: string }>('POST', '/break-glass', input);
/** A page of the review list; `nextCursor` leads to the next, null after the last. */
export const listBreakGlassReviews = (cursor?: string) =>
  request<{ items: BreakGlassReview[]; nextCursor: string | null }>(
    'GET',
    `/break-glass${query({ cursor })}`,
  );
export const reviewBreakGlass = (id: string) => request<void>('POST', `/break-glass/${id}/review`);

export const grantKeys = { mine: ['record-access', 'mine'] as const };
export const breakGlassKeys = { reviews: ['break-glass', 'reviews'] as const };
