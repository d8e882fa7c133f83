import { describe, expect, test } from 'vitest';
import {
  connectFieldId,
  formatDay,
  MAX_NAME_LENGTH,
  notificationState,
  scopeLabels,
  validateConnectSystem,
} from './connectedSystems';

describe('the connect a system form', () => {
  test('a trimmed name and the chosen scopes, in the form’s order, are what the API is sent', () => {
    expect(
      validateConnectSystem({
        name: '  Ward EPR ',
        scopes: ['system/DocumentReference.read', 'system/Patient.read'],
      }),
    ).toEqual({
      input: { name: 'Ward EPR', scopes: ['system/Patient.read', 'system/DocumentReference.read'] },
      problems: [],
    });
  });

  test('an empty form names both fields, top to bottom', () => {
    expect(validateConnectSystem({ name: '   ', scopes: [] })).toEqual({
      input: null,
      problems: [
        { href: 'name', message: 'Enter the name of the system' },
        { href: 'scopes', message: 'Select at least one thing the system may read' },
      ],
    });
  });

  test('a name longer than the server keeps is caught before sending', () => {
    const checked = validateConnectSystem({
      name: 'x'.repeat(MAX_NAME_LENGTH + 1),
      scopes: ['system/Patient.read'],
    });
    expect(checked.problems).toEqual([
      { href: 'name', message: `The name must be ${MAX_NAME_LENGTH} characters or fewer` },
    ]);
  });

  test('the server’s field errors land on their fields', () => {
    expect(connectFieldId('name')).toBe('name');
    expect(connectFieldId('scopes')).toBe('scopes');
    expect(connectFieldId('scopes.1')).toBe('scopes');
    expect(connectFieldId('organisationId')).toBeNull();
  });
});

describe('how a connected system is shown', () => {
  test('scopes in plain words, in the form’s order; an unknown one as it is', () => {
    expect(
      scopeLabels(['system/AuditEvent.read', 'system/Future.read', 'system/Patient.read']),
    ).toEqual(['Patient details', 'Audit trail', 'system/Future.read']);
  });

  test('the day is the day in the UK', () => {
    expect(formatDay('2026-06-30T23:30:00Z')).toBe('1 July 2026');
    expect(formatDay('2026-01-31T23:30:00Z')).toBe('31 January 2026');
  });
});

describe('how a system’s notifications are going', () => {
  test.each([
    ['working', 'Working', 'green'],
    ['retrying', 'Retrying', 'yellow'],
    ['stopped', 'Stopped', 'red'],
    ['ended', 'Ended', 'grey'],
  ] as const)('says %s in words, with its tag', (state, label, tag) => {
    expect(notificationState(state)).toEqual({ label, tag });
  });
});
