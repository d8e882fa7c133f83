import { createHash } from 'node:crypto';

/**
 * The seed gives every row a deterministic id, `md5(label)::uuid` in SQL, so the load
 * generator can name conversations and teams without asking the database. This is the
 * same computation in TypeScript.
 */
export function seededId(label: string): string {
  const hex = createHash('md5').update(label).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The shape of the seeded world; the SQL in seed.ts and the load in run.ts both read it. */
export const WORLD = {
  teams: 1_000,
  professionalsPerTeam: 5,
  patients: 100_000,
  /** Ordinary conversations, five messages each; one more conversation has LONG_THREAD. */
  conversations: 200_000,
  messagesPerConversation: 5,
  /** The busy team (team 1) has this many conversations: open, then assigned, then archived. */
  busyTeamConversations: 20_000,
  busyTeamOpen: 10_000,
  busyTeamAssigned: 2_000,
  /** The conversation number and length of the long thread (team 1, patient 1). */
  longThread: 200_001,
  longThreadMessages: 200,
} as const;

export const PASSWORD = 'bench password, not a secret';

export const teamId = (team: number) => seededId(`team:${team}`);
export const conversationId = (n: number) => seededId(`conv:${n}`);
export const professionalEmail = (m: number) => `staff-${m}@bench.test`;
export const patientEmail = (p: number) => `patient-${p}@bench.test`;

/** Conversations of the busy team that its members may reply to without touching Unassigned. */
export function replyTargets(): string[] {
  const ids: string[] = [];
  for (let n = WORLD.busyTeamOpen + 1; n <= WORLD.busyTeamConversations; n += 1) {
    ids.push(conversationId(n));
  }
  return ids;
}
