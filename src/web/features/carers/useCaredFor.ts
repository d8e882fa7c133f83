import { useQuery } from '@tanstack/react-query';
import { carerKeys, listPeopleICareFor } from './carersApi';

/** One person the signed-in carer cares for, with the consent's level; none: not (or no longer). */
export function useCaredFor(patientId: string) {
  const people = useQuery({ queryKey: carerKeys.caredFor, queryFn: listPeopleICareFor });
  return { ...people, person: people.data?.items.find((p) => p.patient.id === patientId) };
}
