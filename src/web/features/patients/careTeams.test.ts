import { describe, expect, it } from 'vitest';
import type { Patient, SessionUser } from '../../api/types';
import { managedOrganisations } from './useCareTeams';

const patient = (organisations: { id: string; name: string }[]): Patient => ({
  id: 'p',
  nhsNumber: '9990000034',
  givenName: 'Aisha',
  familyName: 'Khan',
  dateOfBirth: '1990-11-05',
  email: null,
  identityLevel: 'P9',
  organisations,
  careTeams: [],
});

const coordinatorOf = (ids: string[]): SessionUser =>
  ({ coordinatorOf: ids.map((id) => ({ id, name: id })) }) as unknown as SessionUser;

describe('the organisations whose care teams a coordinator chooses for a patient (C2)', () => {
  it('are those the patient is registered with and the user coordinates', () => {
    const registered = [
      { id: 'a', name: 'A Trust' },
      { id: 'b', name: 'B Practice' },
    ];
    expect(managedOrganisations(patient(registered), coordinatorOf(['b', 'c']))).toEqual([
      { id: 'b', name: 'B Practice' },
    ]);
  });

  it('are none for staff who coordinate nothing, or before the patient has loaded', () => {
    expect(managedOrganisations(patient([{ id: 'a', name: 'A' }]), coordinatorOf([]))).toEqual([]);
    expect(managedOrganisations(undefined, coordinatorOf(['a']))).toEqual([]);
  });
});
