import { sql } from 'drizzle-orm';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Role } from '../src/server/modules/directory/directory.schema';
import { queryRows, type Database } from '../src/server/platform/db/database';
import { createPatient, createProfessional } from './factories';
import type { Client } from './http';
import { signInAs } from './personas';

/** Helpers for conversation and inbox tests: people who are signed in, and the API in short. */

export interface Person {
  id: string;
  name: string;
  email: string;
  client: Client;
}

export async function staff(
  app: FastifyInstance,
  db: Database,
  organisationId: string,
  memberships: { teamId: string; role: Role; contactable?: boolean }[],
  fields: { name?: string } = {},
): Promise<Person> {
  const row = await createProfessional(db, organisationId, memberships, fields);
  return { id: row.id, name: row.name, email: row.email, client: await signInAs(app, row.email) };
}

export async function patient(
  app: FastifyInstance,
  db: Database,
  organisationIds: string[],
  fields: Parameters<typeof createPatient>[2] = {},
): Promise<Person> {
  const row = await createPatient(db, organisationIds, fields);
  return {
    id: row.id,
    name: `${row.givenName} ${row.familyName}`,
    email: row.email,
    client: await signInAs(app, row.email),
  };
}

export const url = {
  conversations: '/api/v1/conversations',
  conversation: (id: string) => `/api/v1/conversations/${id}`,
  messages: (id: string) => `/api/v1/conversations/${id}/messages`,
  participants: (id: string) => `/api/v1/conversations/${id}/participants`,
  join: (id: string) => `/api/v1/conversations/${id}/join`,
  leave: (id: string) => `/api/v1/conversations/${id}/leave`,
  read: (id: string) => `/api/v1/conversations/${id}/read`,
  assignment: (id: string, teamId: string) =>
    `/api/v1/conversations/${id}/teams/${teamId}/assignment`,
  archive: (id: string, teamId: string) => `/api/v1/conversations/${id}/teams/${teamId}/archive`,
  reopen: (id: string, teamId: string) => `/api/v1/conversations/${id}/teams/${teamId}/reopen`,
  inbox: (teamId: string) => `/api/v1/teams/${teamId}/inbox`,
  record: (patientId: string) => `/api/v1/patients/${patientId}/conversations`,
  mine: '/api/v1/me/conversations',
  recipients: '/api/v1/me/recipients',
  accessLog: '/api/v1/me/access-log',
  member: (teamId: string, professionalId: string) =>
    `/api/v1/teams/${teamId}/members/${professionalId}`,
};

/** Sends a request and insists on the status, showing the body when it differs. */
export async function expectStatus(
  client: Client,
  request: InjectOptions,
  status: number,
): Promise<LightMyRequestResponse> {
  const response = await client.request(request);
  expect(
    response.statusCode,
    `${request.method} ${JSON.stringify(request.url)}: ${response.body}`,
  ).toBe(status);
  return response;
}

export function problemOf(response: LightMyRequestResponse): { code: string; detail?: string } {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  return response.json<{ code: string; detail?: string }>();
}

/** A patient writes to teams (or professionals); returns the new conversation's id. */
export async function startConversation(
  writer: Client,
  recipients: ({ teamId: string } | { professionalId: string })[],
  fields: { subject?: string; body?: string } = {},
): Promise<string> {
  const response = await expectStatus(
    writer,
    {
      method: 'POST',
      url: url.conversations,
      payload: {
        subject: fields.subject ?? 'A question',
        body: fields.body ?? 'Hello, I have a question.',
        recipients,
      },
    },
    201,
  );
  return response.json<{ id: string }>().id;
}

export const send = (client: Client, conversationId: string, body: string) =>
  client.request({ method: 'POST', url: url.messages(conversationId), payload: { body } });

export const assign = (
  client: Client,
  conversationId: string,
  teamId: string,
  assignee: 'me' | null = 'me',
) =>
  client.request({
    method: 'PUT',
    url: url.assignment(conversationId, teamId),
    payload: { assignee },
  });

export const archive = (client: Client, conversationId: string, teamId: string) =>
  client.request({ method: 'POST', url: url.archive(conversationId, teamId) });
export const reopen = (client: Client, conversationId: string, teamId: string) =>
  client.request({ method: 'POST', url: url.reopen(conversationId, teamId) });

export interface InboxPage {
  counts: { unassigned: number; mine: number; others: number; archived: number };
  items: {
    conversationId: string;
    subject: string;
    patient: { id: string; name: string };
    waitingSince: string | null;
    lastActivityAt: string;
    unreadCount: number;
    assignee: { professionalId: string; name: string } | null;
  }[];
  nextCursor: string | null;
}

export async function inbox(
  client: Client,
  teamId: string,
  query: Record<string, string> = {},
): Promise<InboxPage> {
  const search = new URLSearchParams(query).toString();
  const response = await expectStatus(
    client,
    { method: 'GET', url: `${url.inbox(teamId)}${search ? `?${search}` : ''}` },
    200,
  );
  return response.json<InboxPage>();
}

export interface ConversationView {
  id: string;
  subject: string;
  lastMessageSeq: number;
  myLastReadSeq: number;
  readOnly: boolean;
  messages: { seq: number; body: string; authorName: string; authorKind: string }[];
  participants: {
    kind: string;
    name: string;
    detail: string | null;
    active: boolean;
    you?: boolean;
  }[];
  appointmentId: string | null;
  teamWorkflow: {
    teamId: string;
    assignee: { professionalId: string; name: string } | null;
    archived: boolean;
    actions: { assignToMe: boolean; unassign: boolean; archive: boolean; reopen: boolean };
  }[];
  actions: { reply: boolean; join: boolean; leave: boolean; addParticipant: boolean };
}

export async function open(client: Client, conversationId: string): Promise<ConversationView> {
  const response = await expectStatus(
    client,
    { method: 'GET', url: url.conversation(conversationId) },
    200,
  );
  return response.json<ConversationView>();
}

export interface MyConversation {
  id: string;
  subject: string;
  teams: { id: string; name: string }[];
  professionals: { id: string; name: string }[];
  lastMessageFrom: string;
  unreadCount: number;
  progress: 'sent' | 'read' | 'replied' | 'completed' | null;
}

export async function myConversations(client: Client): Promise<MyConversation[]> {
  const response = await expectStatus(client, { method: 'GET', url: url.mine }, 200);
  return response.json<{ items: MyConversation[] }>().items;
}

/**
 * Everything stored about one conversation — header, messages, participants, team work and
 * read marks — so a refused request can be shown to have changed none of it.
 */
export async function conversationState(
  db: Database,
  conversationId: string,
): Promise<Record<string, unknown>> {
  const tables = [
    ['conversations', 'id'],
    ['messages', 'conversation_id'],
    ['conversation_participants', 'conversation_id'],
    ['conversation_team_states', 'conversation_id'],
    ['conversation_reads', 'conversation_id'],
  ] as const;
  const result: Record<string, unknown> = {};
  for (const [table, column] of tables) {
    const rows = await queryRows<{ rows: unknown }>(
      db,
      sql`select coalesce(json_agg(t order by t::text), '[]'::json) as rows
            from ${sql.identifier(table)} t where ${sql.identifier(column)} = ${conversationId}`,
    );
    result[table] = rows[0]?.rows;
  }
  return result;
}

export async function count(db: Database, query: ReturnType<typeof sql>): Promise<number> {
  const rows = await queryRows<{ n: number }>(db, query);
  return Number(rows[0]?.n ?? 0);
}

/** The team's work row as stored: the source of truth for assignment and archive. */
export async function teamState(db: Database, conversationId: string, teamId: string) {
  const rows = await queryRows<{
    assignee_professional_id: string | null;
    archived_at: string | null;
  }>(
    db,
    sql`select assignee_professional_id, archived_at from conversation_team_states
         where conversation_id = ${conversationId} and team_id = ${teamId}`,
  );
  return rows[0] ?? null;
}
