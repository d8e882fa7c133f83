import { describe, expect, it } from 'vitest';
import { teamLabels, type TeamToName } from './teamLabels';

const team = (teamId: string, teamName: string, organisationName: string, description = '') =>
  ({ teamId, teamName, organisationName, description }) satisfies TeamToName;

const labelsOf = (teams: TeamToName[]) => [...teamLabels(teams).values()];

describe('what the share form calls each team (C2)', () => {
  it('names a team by its name alone when no other team here has it', () => {
    expect(labelsOf([team('a', 'PALS', 'Leeds'), team('b', 'Medical Records', 'Leeds')])).toEqual([
      'PALS',
      'Medical Records',
    ]);
  });

  it('adds the organisation when another team of that name is in another organisation', () => {
    expect(
      labelsOf([
        team('a', 'PALS', 'Leeds Teaching Hospitals', 'Concerns and complaints.'),
        team('b', 'PALS', 'York and Scarborough Hospitals'),
        team('c', 'Medical Records', 'Leeds Teaching Hospitals'),
      ]),
    ).toEqual([
      'PALS (Leeds Teaching Hospitals)',
      'PALS (York and Scarborough Hospitals)',
      'Medical Records',
    ]);
  });

  it('adds what the team does when another of that name is in the same organisation', () => {
    expect(
      labelsOf([
        team('a', 'Wound Clinic', 'Leeds', 'Dressings at St James’s.'),
        team('b', 'Wound Clinic', 'Leeds', 'Dressings at Chapel Allerton'),
      ]),
    ).toEqual([
      'Wound Clinic (Dressings at St James’s)',
      'Wound Clinic (Dressings at Chapel Allerton)',
    ]);
  });

  it('tells three apart: organisation and what it does where both are needed', () => {
    const labels = labelsOf([
      team('a', 'PALS', 'Leeds', 'At St James’s'),
      team('b', 'PALS', 'York'),
      team('c', 'PALS', 'Leeds', 'At the General Infirmary'),
    ]);
    expect(labels).toEqual([
      'PALS (Leeds: At St James’s)',
      'PALS (York)',
      'PALS (Leeds: At the General Infirmary)',
    ]);
    expect(new Set(labels).size).toBe(3);
  });

  it('keeps the name as it is when nothing here tells two teams apart, or in an answer without the details', () => {
    expect(labelsOf([team('a', 'PALS', 'Leeds'), team('b', 'PALS', 'Leeds')])).toEqual([
      'PALS',
      'PALS',
    ]);
    expect(
      labelsOf([
        { teamId: 'a', teamName: 'PALS' },
        { teamId: 'b', teamName: 'PALS' },
      ]),
    ).toEqual(['PALS', 'PALS']);
  });
});
