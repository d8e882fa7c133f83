import { describe, expect, test } from 'vitest';
import { appointmentFieldId } from './AppointmentForm';
import { readDateTime } from './appointmentTime';

/**
 * The booking and change forms put the server's problems (API field, code) on the box the
 * form's own checks would have marked, so the error summary's link lands on the same input
 * whoever found the problem (decision 0016; NHS.UK error summary).
 */
describe('where a server problem lands on the appointment form', () => {
  const now = new Date('2026-11-25T12:00:00.000Z');

  test('too far ahead (appointment.too_far_ahead on body/startsAt) lands on the year, as the form’s own check does', () => {
    const own = readDateTime({ day: '25', month: '11', year: '2062', time: '10:00' }, now);
    expect(own.problems).toEqual([expect.objectContaining({ field: 'date', part: 'year' })]);
    expect(appointmentFieldId('startsAt', 'appointment.too_far_ahead')).toBe('date-year');
  });

  test('in the past (appointment.starts_in_past) lands on the day, as the form’s own check does', () => {
    const own = readDateTime({ day: '1', month: '1', year: '2025', time: '10:00' }, now);
    expect(own.problems).toEqual([expect.objectContaining({ field: 'date', part: 'day' })]);
    expect(appointmentFieldId('startsAt', 'appointment.starts_in_past')).toBe('date-day');
  });

  test.each([
    ['teamId', 'team'],
    ['clinicianProfessionalId', 'clinician'],
    ['durationMinutes', 'duration'],
    ['location', 'location'],
    ['preparation', 'preparation'],
    ['startsAt', 'date-day'],
  ])('%s lands on #%s', (key, id) => {
    expect(appointmentFieldId(key, 'request.invalid')).toBe(id);
  });

  test('a field not on the form goes to the summary only', () => {
    expect(appointmentFieldId('version', 'appointment.version_conflict')).toBeNull();
  });
});
