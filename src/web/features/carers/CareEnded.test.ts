import { describe, expect, test } from 'vitest';
import { ApiError } from '../../api/client';
import type { SessionUser } from '../../api/types';
import { careEndedForItem, careEndedSince, careEndedTitle } from './CareEnded';

const problem = (status: number, code: string) => new ApiError({ status, code });

describe('when a carer is told their access has ended, not "Page not found" (C1)', () => {
  test('one conversation, appointment or document: only when the API says so', () => {
    expect(careEndedForItem(problem(404, 'carer.access_ended'))).toBe(true);
    // A wrong link, or someone who never cared for the person: "Page not found".
    for (const code of ['conversation.not_found', 'appointment.not_found', 'document.not_found']) {
      expect(careEndedForItem(problem(404, code))).toBe(false);
    }
    expect(careEndedForItem(problem(403, 'carer.access_ended'))).toBe(false);
    expect(careEndedForItem(new Error('offline'))).toBe(false);
  });

  test('an appointment shown a moment ago, or opened afresh', () => {
    const carer = { kind: 'patient', patientId: 'carer' } as SessionUser;
    expect(careEndedSince(problem(404, 'carer.access_ended'), undefined, carer)).toBe(true);
    expect(careEndedSince(problem(404, 'appointment.not_found'), 'cared-for', carer)).toBe(true);
    expect(careEndedSince(problem(404, 'appointment.not_found'), undefined, carer)).toBe(false);
    expect(careEndedSince(problem(404, 'appointment.not_found'), 'carer', carer)).toBe(false);
  });

  test('the title names one thing, or the list', () => {
    expect(careEndedTitle('conversation')).toBe('You cannot see this conversation');
    expect(careEndedTitle('document')).toBe('You cannot see this document');
    expect(careEndedTitle('appointment')).toBe('You cannot see this appointment');
    expect(careEndedTitle('messages')).toBe('You cannot see these messages');
    expect(careEndedTitle('appointments')).toBe('You cannot see these appointments');
  });
});
