import { describe, expect, it } from 'vitest';
import { nhsNumberProblem } from './FindPatientPage';

describe('the NHS number typed into "Find a patient"', () => {
  it('takes the ways people write it', () => {
    for (const typed of ['9990000018', '999 000 0018', ' 999-000-0018 ']) {
      expect(nhsNumberProblem(typed), typed).toBeNull();
    }
  });

  it('asks for one when empty, and for 10 digits otherwise (the server checks the rest)', () => {
    expect(nhsNumberProblem('  ')).toBe('Enter the patient’s NHS number');
    expect(nhsNumberProblem('999 000 001')).toBe('NHS number must be 10 digits');
    expect(nhsNumberProblem('999 000 0018 1')).toBe('NHS number must be 10 digits');
    expect(nhsNumberProblem('999 OOO 0018')).toBe('NHS number must be 10 digits');
  });
});
