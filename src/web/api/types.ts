export type Role = 'member' | 'manager' | 'coordinator';
export type Line = 2 | 3;
export type Day =
  'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export const DAYS: readonly Day[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

export interface Membership {
  teamId: string;
  teamName: string;
  organisationId: string;
  organisationName: string;
  role: Role;
}

export interface SessionUser {
  id: string;
  kind: 'professional' | 'patient';
  displayName: string;
  identityLevel: 'P5' | 'P9' | null;
  professionalId: string | null;
  patientId: string | null;
  memberships: Membership[];
  coordinatorOf: { id: string; name: string }[];
}

export interface Session {
  user: SessionUser;
  csrfToken: string;
  /** The organisation requires an authenticator app and this user has none yet (C5). */
  totpSetupRequired: boolean;
}

export interface Organisation {
  id: string;
  name: string;
  slug: string;
}

export interface OpeningHours {
  day: Day;
  opens: string;
  closes: string;
}

export interface Team {
  id: string;
  organisationId: string;
  organisationName: string;
  name: string;
  slug: string;
  description: string;
  contactable: boolean;
  phone: string | null;
  openingHours: OpeningHours[];
  /** The reply the team's page promises, in working days; null says nothing. */
  replyWithinWorkingDays: number | null;
  active: boolean;
}

/** Open now, or when next (the server works it out in UK time). */
export interface Availability {
  openNow: boolean;
  closesAt: string | null;
  nextOpening: { at: string; day: Day; time: string } | null;
}

export interface Member {
  professionalId: string;
  name: string;
  jobTitle: string;
  email: string;
  role: Role;
  contactable: boolean;
}

export type PathwayTarget =
  | { kind: 'team'; id: string; name: string; organisationName: string }
  | { kind: 'professional'; id: string; name: string; jobTitle: string; organisationName: string };

export interface PathwayStep {
  line: Line;
  target: PathwayTarget;
  /** false: made inactive, so not offered to staff; only those who change the pathway see it. */
  active?: boolean;
}

export interface TeamDetail extends Team {
  members: Member[];
  escalationPathway: PathwayStep[];
  actions: { update: boolean; manageMembers: boolean; setEscalationPathway: boolean };
}

export interface Professional {
  id: string;
  organisationId: string;
  organisationName: string;
  name: string;
  jobTitle: string;
  email: string;
  active: boolean;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface TeamInput {
  name: string;
  slug: string;
  description: string;
  contactable: boolean;
  phone: string | null;
  openingHours: OpeningHours[];
  replyWithinWorkingDays: number | null;
}

export type StepInput = { line: Line; teamId: string } | { line: Line; professionalId: string };

// Conversations and team inbox

export type Recipient = { teamId: string } | { professionalId: string };

export interface ContactableTeam {
  id: string;
  name: string;
  organisationName: string;
  description: string;
  slug: string;
  /** Null when the team has not given its opening hours. */
  availability: Availability | null;
}

export interface ContactableProfessional {
  id: string;
  name: string;
  jobTitle: string;
  teamName: string;
  organisationName: string;
}

export interface MyRecipients {
  teams: ContactableTeam[];
  professionals: ContactableProfessional[];
}

export type ParticipantKind = 'patient' | 'team' | 'professional' | 'carer';
export type AuthorKind = 'patient' | 'professional' | 'carer';

export interface Participant {
  id: string;
  kind: ParticipantKind;
  name: string;
  detail: string | null;
  active: boolean;
  /** The reader's own place; absent (false) in answers replayed from before it existed. */
  you?: boolean;
}

export interface Message {
  id: string;
  seq: number;
  authorKind: AuthorKind;
  authorName: string;
  authorIsMe: boolean;
  body: string;
  createdAt: string;
  /** Documents sent with the message (may be absent from older servers' answers). */
  attachments?: MessageAttachment[];
  /** Its author said it was sent in error: when and by whom (its text is gone). */
  enteredInError?: { at: string; by: string } | null;
}

/** A document's life (the server's DOCUMENT_STATUSES). */
export type DocumentStatus =
  | 'uploading'
  | 'checking'
  | 'available'
  | 'rejected'
  | 'quarantined'
  | 'withdrawn'
  | 'entered_in_error';

export interface MessageAttachment {
  id: string;
  title: string;
  fileName: string;
  kind: 'pdf' | 'image' | 'zip' | 'dicom' | null;
  status: DocumentStatus;
  sizeBytes: number | null;
}

export interface Assignee {
  professionalId: string;
  name: string;
}

export interface TeamWorkflow {
  teamId: string;
  teamName: string;
  assignee: Assignee | null;
  archived: boolean;
  waitingSince: string | null;
  actions: { assignToMe: boolean; unassign: boolean; archive: boolean; reopen?: boolean };
}

export interface ConversationDetail {
  id: string;
  subject: string;
  /** NHS number and date of birth (YYYY-MM-DD) come to staff only. */
  patient: { id: string; name: string; nhsNumber?: string; dateOfBirth?: string };
  createdAt: string;
  lastMessageSeq: number;
  myLastReadSeq: number;
  readOnly: boolean;
  /** The patient marked it private from carers (C1). */
  privateFromCarers: boolean;
  /** The appointment this conversation is about ("Ask to change"), if any. */
  appointmentId: string | null;
  /** No active team or professional takes part any more: patients and carers cannot write. */
  nobodyToRead?: boolean;
  /** Staff reading without taking part: why they may (absent in answers replayed from before). */
  readingAs?: 'record_access' | 'break_glass' | 'former_participant' | null;
  /** Staff only: the reader's own teams that took part here and no longer do. */
  myFormerTeams?: { teamId: string; teamName: string }[];
  participants: Participant[];
  messages: Message[];
  /**
   * Teams in the conversation; two can share a name, so where each is and what it does too
   * (absent in answers replayed from before they existed).
   */
  handlingTeams: {
    teamId: string;
    teamName: string;
    organisationName?: string;
    description?: string;
  }[];
  teamWorkflow: TeamWorkflow[];
  actions: {
    reply: boolean;
    join: boolean;
    leave: boolean;
    addParticipant: boolean;
    setPrivacy: boolean;
    copyInCarer: boolean;
    /** A manager of a team taking part may remove anyone's message sent in error. */
    removeAnyMessage?: boolean;
  };
}

export interface PatientConversationInput {
  subject: string;
  body: string;
  recipients: Recipient[];
  /** Documents the sender uploaded into their record for this message. */
  documentIds?: string[];
}

export interface StaffConversationInput {
  patientId: string;
  asTeamId: string;
  subject: string;
  body: string;
  recipients?: Recipient[];
  /** Documents the professional uploaded into the patient's record for this message. */
  documentIds?: string[];
}

export interface EscalationSuggestion {
  line: Line;
  fromTeamName: string;
  target: {
    kind: 'team' | 'professional';
    id: string;
    name: string;
    organisationName: string;
    jobTitle?: string;
  };
}

export type InboxView = 'unassigned' | 'mine' | 'others' | 'archived';
export type InboxSort = 'waiting' | 'newest';

export interface InboxItem {
  conversationId: string;
  subject: string;
  patient: { id: string; name: string; nhsNumber: string };
  waitingSince: string | null;
  lastActivityAt: string;
  unreadCount: number;
  assignee: Assignee | null;
}

export interface TeamInbox {
  counts: Record<InboxView, number>;
  items: InboxItem[];
  nextCursor: string | null;
}

export type Progress = 'sent' | 'read' | 'replied' | 'completed';

export interface MyConversation {
  id: string;
  subject: string;
  patient: { id: string; name: string };
  teams: { id: string; name: string }[];
  /** Professionals the patient or a carer wrote to by name, still taking part. */
  professionals: { id: string; name: string }[];
  lastMessageAt: string;
  lastMessageFrom: string;
  unreadCount: number;
  progress: Progress | null;
}

export interface RecordConversations {
  patient: { id: string; name: string; nhsNumber: string; dateOfBirth: string };
  /** Why the viewer sees this record (C2); `participant`: only their team's conversations. */
  access: {
    basis: 'patient' | 'care_relationship' | 'record_grant' | 'break_glass' | 'participant';
    until: string | null;
  };
  items: {
    id: string;
    subject: string;
    teams: { id: string; name: string }[];
    lastMessageAt: string;
    joined: boolean;
  }[];
}

export interface AccessLogEntry {
  at: string;
  who: string;
  team: string | null;
  what: string;
  why: string;
  /** The subject of the conversation it was about, if any. */
  subject: string | null;
}

export interface Patient {
  id: string;
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  email: string | null;
  identityLevel: 'P5' | 'P9';
  organisations: { id: string; name: string }[];
  careTeams: { id: string; name: string }[];
}

// Notifications

export type NotificationMode = 'immediate' | 'digest' | 'off';

export interface NotificationPreferences {
  teams: { teamId: string; teamName: string; mode: NotificationMode }[];
}

export interface DeadLetter {
  id: number;
  kind: string;
  recipient: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

/** An email the demo's capture received (development mailbox, demo mode only). */
export interface CapturedEmail {
  id: string;
  messageId: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  receivedAt: string;
}
