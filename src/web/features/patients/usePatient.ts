import { useQuery } from '@tanstack/react-query';
import { getPatient } from '../../api/endpoints';
import type { Membership, Patient } from '../../api/types';

export function usePatient(patientId: string) {
  return useQuery({
    queryKey: ['patients', patientId],
    queryFn: () => getPatient(patientId),
    retry: false,
  });
}

/** The viewer's teams that look after this patient: the teams they may write for. */
export function writingTeams(
  patient: Patient | undefined,
  memberships: Membership[],
): Membership[] {
  if (!patient) return [];
  const care = new Set(patient.careTeams.map((t) => t.id));
  return memberships.filter((m) => care.has(m.teamId));
}
