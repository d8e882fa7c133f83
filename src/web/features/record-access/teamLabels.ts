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
  const labels = new Map<string, string>();
  for (const team of teams) {
    const namesakes = teams.filter(
      (other) => other.teamId !== team.teamId && other.teamName === team.teamName,
    );
    const organisation = sentence(team.organisationName);
    const description = sentence(team.description);
    const parts = [
      namesakes.some((o) => sentence(o.organisationName) !== organisation) ? organisation : '',
      namesakes.some(
        (o) =>
          sentence(o.organisationName) === organisation && sentence(o.description) !== description,
      )
        ? description
        : '',
    ].filter((part) => part !== '');
    labels.set(
      team.teamId,
      parts.length > 0 ? `${team.teamName} (${parts.join(': ')})` : team.teamName,
    );
  }
  return labels;
}
