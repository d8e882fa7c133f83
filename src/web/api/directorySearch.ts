import { listAllTeams, listProfessionals } from './endpoints';
import type { PathwayTarget } from './types';

/**
 * Active teams whose name holds `q`, then active professionals the directory finds for `q`,
 * of one organisation or (without one) of all: whom staff may bring into a conversation or
 * put on an escalation pathway (M2).
 */
export async function findTeamsAndPeople(search: {
  organisationId?: string;
  q: string;
}): Promise<PathwayTarget[]> {
  const q = search.q.toLowerCase();
  const [teams, professionals] = await Promise.all([
    listAllTeams(search.organisationId),
    listProfessionals({ organisationId: search.organisationId, q: search.q || undefined }),
  ]);
  return [
    ...teams
      .filter((t) => t.active && (!q || t.name.toLowerCase().includes(q)))
      .map((t): PathwayTarget => ({
        kind: 'team',
        id: t.id,
        name: t.name,
        organisationName: t.organisationName,
      })),
    ...professionals.items
      .filter((p) => p.active)
      .map((p): PathwayTarget => ({
        kind: 'professional',
        id: p.id,
        name: p.name,
        jobTitle: p.jobTitle,
        organisationName: p.organisationName,
      })),
  ];
}
