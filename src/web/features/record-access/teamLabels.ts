export interface TeamToName {
  teamId: string;
  teamName: string;
  organisationName?: string;
  description?: string;
}

const sentence = (text: string | undefined) => (text ?? '').trim().replace(/[.\s]+$/, '');

/**
 * What to call each team so that a patient can tell them apart: its name alone when no other
 * team here has it; otherwise with its organisation when another of that name is in another
 * organisation, and what it does (its description) when another of that name is in the same
 * one — "PALS (Leeds Teaching Hospitals)", "Wound Clinic (Dressings at St James’s)".
 */
export function teamLabels(teams: readonly TeamToName[]): Map<string, string> {
  const told = teams.map((t) => ({
    id: t.teamId,
    name: t.teamName,
    organisation: sentence(t.organisationName),
    description: sentence(t.description),
  }));
  return new Map(
    told.map((team) => {
      const namesakes = told.filter((o) => o.id !== team.id && o.name === team.name);
      const parts: string[] = [];
      if (namesakes.some((o) => o.organisation !== team.organisation)) {
        parts.push(team.organisation);
      }
      if (
        namesakes.some(
          (o) => o.organisation === team.organisation && o.description !== team.description,
        )
      ) {
        parts.push(team.description);
      }
      const shown = parts.filter((part) => part !== '');
      return [team.id, shown.length > 0 ? `${team.name} (${shown.join(': ')})` : team.name];
    }),
  );
}
