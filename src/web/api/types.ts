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
  active: boolean;
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
}

export type StepInput = { line: Line; teamId: string } | { line: Line; professionalId: string };
