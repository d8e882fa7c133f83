import { request } from '../../api/client';
import type { ConversationDetail, MyRecipients } from '../../api/types';

export type CarerLevel = 'view' | 'message';

export interface Invitation {
  id: string;
  email: string;
  level: CarerLevel;
  consentEndsAt: string | null;
  expiresAt: string;
  createdAt: string;
  recordedOnBehalf: boolean;
}

export interface CarerConsent {
  id: string;
  carer: { name: string };
  level: CarerLevel;
  startsAt: string;
  endsAt: string | null;
  revokedAt: string | null;
  status: 'active' | 'ended' | 'revoked' | 'not_started';
  recordedOnBehalf: boolean;
}

export interface CaredFor {
  consentId: string;
  patient: { id: string; name: string };
  level: CarerLevel;
  endsAt: string | null;
}

export interface CaredForConversations {
  patient: { id: string; name: string };
  level: CarerLevel;
  items: {
    id: string;
    subject: string;
    teams: { id: string; name: string }[];
    /** Professionals the patient or a carer wrote to by name, still taking part. */
    professionals: { id: string; name: string }[];
    lastMessageAt: string;
    unreadCount: number;
  }[];
}

export interface InviteCarerInput {
  email: string;
  level: CarerLevel;
  endsOn?: string;
  /** Staff recording a witnessed paper form: whose record, and who saw the patient sign. */
  patientId?: string;
  witnessedBy?: string;
}

/** A patient's carers as staff with record access see them. */
export interface PatientCarers {
  carers: CarerConsent[];
  paperInvitations: Invitation[];
}

export const inviteCarer = (input: InviteCarerInput) =>
  request<{ invitation: Invitation; code: string }>('POST', '/carer-invitations', input);
export const cancelInvitation = (id: string) => request<void>('DELETE', `/carer-invitations/${id}`);
/** Staff with record access: the carers in force and invitations from paper forms waiting. */
export const listPatientCarers = (patientId: string) =>
  request<PatientCarers>('GET', `/patients/${patientId}/carers`);
/** Staff with record access record the patient's request to end a carer's consent. */
export const recordConsentWithdrawal = (consentId: string, witnessedBy: string) =>
  request<CarerConsent>('POST', `/carer-consents/${consentId}/recorded-withdrawal`, {
    witnessedBy,
  });
export const acceptInvitation = (code: string) =>
  request<CaredFor>('POST', '/carer-invitations/accept', { code });
export const revokeConsent = (consentId: string) =>
  request<CarerConsent>('POST', `/carer-consents/${consentId}/revoke`);
export const listMyCarers = () =>
  request<{ invitations: Invitation[]; carers: CarerConsent[] }>('GET', '/me/carers');
export const listPeopleICareFor = () => request<{ items: CaredFor[] }>('GET', '/me/cared-for');
export const listCaredForConversations = (patientId: string) =>
  request<CaredForConversations>('GET', `/me/cared-for/${patientId}/conversations`);
export const listCaredForRecipients = (patientId: string) =>
  request<MyRecipients>('GET', `/me/cared-for/${patientId}/recipients`);
export interface OnBehalfInput {
  patientId: string;
  subject: string;
  body: string;
  recipients: { teamId: string }[];
  documentIds?: string[];
}
export const startOnBehalf = (input: OnBehalfInput, idempotencyKey: string) =>
  request<ConversationDetail>('POST', '/conversations', input, {
    'Idempotency-Key': idempotencyKey,
  });
export const setPrivacy = (conversationId: string, privateFromCarers: boolean) =>
  request<ConversationDetail>('PUT', `/conversations/${conversationId}/privacy`, {
    privateFromCarers,
  });
export const copyInCarer = (conversationId: string, consentId: string) =>
  request<ConversationDetail>('POST', `/conversations/${conversationId}/carers`, { consentId });

export const carerKeys = {
  mine: ['carers', 'mine'] as const,
  caredFor: ['carers', 'cared-for'] as const,
  conversations: (patientId: string) => ['carers', 'cared-for', patientId] as const,
  /** The record page's carers: in force, and invitations from paper forms waiting. */
  patient: (patientId: string) => ['carers', 'patient', patientId] as const,
};

export const LEVEL_LABELS: Record<CarerLevel, string> = {
  view: 'View messages',
  message: 'View and send messages',
};
