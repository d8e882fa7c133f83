import { query, request, setCsrfToken, ApiError } from './client';
import type {
  AccessLogEntry,
  Assignee,
  CapturedEmail,
  DeadLetter,
  NotificationMode,
  NotificationPreferences,
  ConversationDetail,
  EscalationSuggestion,
  InboxSort,
  InboxView,
  Member,
  Message,
  MyConversation,
  MyRecipients,
  Patient,
  PatientConversationInput,
  Recipient,
  RecordConversations,
  StaffConversationInput,
  TeamInbox,
  Organisation,
  Page,
  PathwayStep,
  Professional,
  Role,
  Session,
  StepInput,
  Team,
  TeamDetail,
  TeamInput,
} from './types';

/** When the session ends (getSessionExpiry), asked without counting as activity; null: it has. */
export async function getSessionExpiry(): Promise<{
  now: string;
  idleExpiresAt: string;
  expiresAt: string;
} | null> {
  try {
    return await request('GET', '/session/expiry');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export async function getSession(): Promise<Session | null> {
  try {
    const session = await request<Session>('GET', '/session');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export async function signOut(): Promise<void> {
  await request<void>('DELETE', '/session');
  setCsrfToken(null);
}

export async function listOrganisations(): Promise<Organisation[]> {
  return (await request<{ items: Organisation[] }>('GET', '/organisations')).items;
}

export function listTeams(params: {
  organisationId?: string;
  cursor?: string;
  limit?: number;
}): Promise<Page<Team>> {
  return request('GET', `/teams${query({ ...params })}`);
}

/** Follows cursors so small lists (an organisation's teams) can be shown whole. */
export async function listAllTeams(organisationId?: string): Promise<Team[]> {
  const teams: Team[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < 20; page++) {
    const result = await listTeams({ organisationId, cursor, limit: 100 });
    teams.push(...result.items);
    if (!result.nextCursor) break;
    cursor = result.nextCursor;
  }
  return teams;
}

export function getTeam(teamId: string): Promise<TeamDetail> {
  return request('GET', `/teams/${encodeURIComponent(teamId)}`);
}

export function createTeam(organisationId: string, input: TeamInput): Promise<Team> {
  return request('POST', `/organisations/${encodeURIComponent(organisationId)}/teams`, input);
}

export function updateTeam(
  teamId: string,
  input: Partial<TeamInput> & { active?: boolean },
): Promise<Team> {
  return request('PATCH', `/teams/${encodeURIComponent(teamId)}`, input);
}

export function listProfessionals(params: {
  organisationId?: string;
  q?: string;
}): Promise<Page<Professional>> {
  return request('GET', `/professionals${query({ ...params })}`);
}

export function createProfessional(
  organisationId: string,
  input: { name: string; jobTitle: string; email: string },
): Promise<Professional> {
  return request(
    'POST',
    `/organisations/${encodeURIComponent(organisationId)}/professionals`,
    input,
  );
}

export function addTeamMember(
  teamId: string,
  professionalId: string,
  input: { role: Role; contactable: boolean },
): Promise<Member> {
  return request(
    'PUT',
    `/teams/${encodeURIComponent(teamId)}/members/${encodeURIComponent(professionalId)}`,
    input,
  );
}

export function removeTeamMember(teamId: string, professionalId: string): Promise<void> {
  return request(
    'DELETE',
    `/teams/${encodeURIComponent(teamId)}/members/${encodeURIComponent(professionalId)}`,
  );
}

export function setEscalationPathway(
  teamId: string,
  steps: StepInput[],
): Promise<{ escalationPathway: PathwayStep[] }> {
  return request('PUT', `/teams/${encodeURIComponent(teamId)}/escalation-pathway`, { steps });
}

/** findPatientByNhsNumber: the number goes in the body, never the URL. */
export function findPatientByNhsNumber(nhsNumber: string): Promise<{ patientId: string }> {
  return request('POST', '/patient-lookups', { nhsNumber });
}

export function getPatient(patientId: string): Promise<Patient> {
  return request('GET', `/patients/${encodeURIComponent(patientId)}`);
}

const careRelationshipPath = (teamId: string, patientId: string) =>
  `/teams/${encodeURIComponent(teamId)}/care-relationships/${encodeURIComponent(patientId)}`;

/** addCareRelationship: the team may open the patient's whole record (C2). */
export function addCareRelationship(teamId: string, patientId: string): Promise<void> {
  return request('PUT', careRelationshipPath(teamId, patientId));
}

/** removeCareRelationship: the team keeps only the conversations it takes part in (C2). */
export function removeCareRelationship(teamId: string, patientId: string): Promise<void> {
  return request('DELETE', careRelationshipPath(teamId, patientId));
}

// Conversations. Sends carry an Idempotency-Key chosen per intended send (M5), so a
// retry after a lost response returns the first result instead of sending twice.

const conversationPath = (conversationId: string) =>
  `/conversations/${encodeURIComponent(conversationId)}`;

export function listMyRecipients(): Promise<MyRecipients> {
  return request('GET', '/me/recipients');
}

export function createConversation(
  input: PatientConversationInput | StaffConversationInput,
  idempotencyKey: string,
): Promise<ConversationDetail> {
  return request('POST', '/conversations', input, { 'Idempotency-Key': idempotencyKey });
}

/** Its author says a message was sent in error (markMessageSentInError). */
export function markMessageSentInError(
  conversationId: string,
  messageId: string,
  reason: string,
): Promise<ConversationDetail> {
  return request(
    'POST',
    `${conversationPath(conversationId)}/messages/${encodeURIComponent(messageId)}/entered-in-error`,
    { reason },
  );
}

export function getConversation(conversationId: string): Promise<ConversationDetail> {
  return request('GET', conversationPath(conversationId));
}

export function postMessage(
  conversationId: string,
  body: string,
  idempotencyKey: string,
  documentIds: string[] = [],
): Promise<Message> {
  return request(
    'POST',
    `${conversationPath(conversationId)}/messages`,
    documentIds.length > 0 ? { body, documentIds } : { body },
    { 'Idempotency-Key': idempotencyKey },
  );
}

export function addParticipant(
  conversationId: string,
  recipient: Recipient,
): Promise<ConversationDetail> {
  return request('POST', `${conversationPath(conversationId)}/participants`, recipient);
}

export async function listParticipantSuggestions(
  conversationId: string,
): Promise<EscalationSuggestion[]> {
  const result = await request<{ escalation: EscalationSuggestion[] }>(
    'GET',
    `${conversationPath(conversationId)}/participant-suggestions`,
  );
  return result.escalation;
}

export function joinConversation(conversationId: string): Promise<ConversationDetail> {
  return request('POST', `${conversationPath(conversationId)}/join`, {});
}

/** Leaves as an individual, or with `teamId` takes that whole team out. */
export function leaveConversation(conversationId: string, teamId?: string): Promise<void> {
  return request('POST', `${conversationPath(conversationId)}/leave`, teamId ? { teamId } : {});
}

export function markConversationRead(conversationId: string, seq: number): Promise<void> {
  return request('POST', `${conversationPath(conversationId)}/read`, { seq });
}

export function assignConversation(
  conversationId: string,
  teamId: string,
  assignee: 'me' | null,
): Promise<{ assignee: Assignee | null }> {
  return request(
    'PUT',
    `${conversationPath(conversationId)}/teams/${encodeURIComponent(teamId)}/assignment`,
    { assignee },
  );
}

export function archiveConversation(
  conversationId: string,
  teamId: string,
  seenSeq: number,
): Promise<void> {
  return request(
    'POST',
    `${conversationPath(conversationId)}/teams/${encodeURIComponent(teamId)}/archive?seenSeq=${seenSeq}`,
    {},
  );
}

export function reopenConversation(conversationId: string, teamId: string): Promise<void> {
  return request(
    'POST',
    `${conversationPath(conversationId)}/teams/${encodeURIComponent(teamId)}/reopen`,
    {},
  );
}

export function getTeamInbox(
  teamId: string,
  params: {
    view: InboxView;
    sort: InboxSort;
    patientId?: string;
    cursor?: string;
    limit?: number;
  },
): Promise<TeamInbox> {
  return request('GET', `/teams/${encodeURIComponent(teamId)}/inbox${query({ ...params })}`);
}

export function listMyConversations(params: {
  cursor?: string;
  limit?: number;
}): Promise<Page<MyConversation>> {
  return request('GET', `/me/conversations${query({ ...params })}`);
}

export function listRecordConversations(patientId: string): Promise<RecordConversations> {
  return request('GET', `/patients/${encodeURIComponent(patientId)}/conversations`);
}

export function getAccessLog(params: { cursor?: string }): Promise<Page<AccessLogEntry>> {
  return request('GET', `/me/access-log${query({ ...params })}`);
}

// Notifications

export function getNotificationPreferences(): Promise<NotificationPreferences> {
  return request('GET', '/me/notification-preferences');
}

export function updateNotificationPreferences(
  teams: { teamId: string; mode: NotificationMode }[],
): Promise<NotificationPreferences> {
  return request('PUT', '/me/notification-preferences', { teams });
}

export async function listDeadLetters(organisationId: string): Promise<DeadLetter[]> {
  const result = await request<{ items: DeadLetter[] }>(
    'GET',
    `/organisations/${encodeURIComponent(organisationId)}/dead-letters`,
  );
  return result.items;
}

// Development mailbox: only exists in demo mode (404 elsewhere).

export function listCapturedEmails(params: {
  to?: string;
  cursor?: string;
  limit?: number;
}): Promise<Page<CapturedEmail>> {
  return request('GET', `/dev/mailbox${query({ ...params })}`);
}

export function clearCapturedEmails(): Promise<void> {
  return request('DELETE', '/dev/mailbox');
}
