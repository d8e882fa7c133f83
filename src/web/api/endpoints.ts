import { query, request, setCsrfToken, ApiError } from './client';
import type {
  Member,
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

export async function signInWithPassword(email: string, password: string): Promise<Session> {
  const session = await request<Session>('POST', '/session', { email, password });
  setCsrfToken(session.csrfToken);
  return session;
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
