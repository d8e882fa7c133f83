import { describe, expect, test } from 'vitest';
import type { AppointmentEvent } from './appointmentsApi';
import { changeDetails, eventWords } from './appointmentWords';

const event = (changes: AppointmentEvent['changes']): AppointmentEvent => ({
  kind: 'rescheduled',
  at: '2026-11-25T09:00:00Z',
  by: 'Central Appointments',
  changes,
  reason: null,
});

describe('an appointment’s history in words', () => {
  test('moved in time: the new date and time', () => {
    const moved = event({
      startsAt: { from: '2026-12-08T10:30:00Z', to: '2026-12-09T10:30:00Z' },
    });
    expect(eventWords(moved)).toBe('Moved to Wednesday 9 December 2026 at 10:30am');
  });

  test('moved to another place at the same time: says the place changed, not the time', () => {
    const moved = event({ location: { from: 'Outpatients B', to: 'Outpatients C' } });
    expect(eventWords(moved)).toBe('Changed the place');
    expect(changeDetails(moved)).toEqual(['place: was Outpatients B, now Outpatients C']);
  });
});
