import type { SummaryError } from '../../components/ErrorSummary';
import type { ConnectSystemInput, IntegrationScope, NotificationTarget } from './integrationsApi';

export const connectedSystemsPath = (organisationId: string) =>
  `/organisations/${encodeURIComponent(organisationId)}/connected-systems`;

export const disconnectPath = (organisationId: string, clientId: string) =>
  `${connectedSystemsPath(organisationId)}/${encodeURIComponent(clientId)}/disconnect`;

/** The longest name the server accepts. */
export const MAX_NAME_LENGTH = 100;

/** Each scope in plain words, in the order the form offers them. */
export const SCOPES: { value: IntegrationScope; label: string; hint: string }[] = [
  {
    value: 'system/Patient.read',
    label: 'Patient details',
    hint: 'Name, date of birth and NHS number. Needed to find a patient by NHS number.',
  },
  {
    value: 'system/Communication.read',
    label: 'Conversations and messages',
    hint: 'What patients, carers and staff have written to each other.',
  },
  {
    value: 'system/Task.read',
    label: 'Team work on conversations',
    hint: 'Which team is dealing with each conversation, whether someone has picked it up, and whether it is done.',
  },
  { value: 'system/Appointment.read', label: 'Appointments', hint: 'Booked, changed and past.' },
  {
    value: 'system/RelatedPerson.read',
    label: 'Carers',
    hint: 'Who the patient has agreed may see or send messages for them.',
  },
  {
    value: 'system/Consent.read',
    label: 'Carers’ consent',
    hint: 'What each carer may do, since when and until when, and whether it has ended.',
  },
  {
    value: 'system/CareTeam.read',
    label: 'Care teams',
    hint: 'Which of your teams look after each patient, and which a patient has shared their record with, until when.',
  },
  {
    value: 'system/DocumentReference.read',
    label: 'Documents',
    hint: 'Files in patients’ records, such as letters and photos.',
  },
  {
    value: 'system/AuditEvent.read',
    label: 'Audit trail',
    hint: 'Who has seen or changed each patient’s record, and when.',
  },
  {
    value: 'system/Subscription.*',
    label: 'Notifications of new messages',
    hint: 'The system may ask to be told at its own address when a message arrives in a record your organisation looks after. It is told which message, never what it says; it reads that with the scopes above.',
  },
];

/** A scope in plain words; one this page does not know yet is shown as it is. */
export function scopeLabel(scope: string): string {
  return SCOPES.find((s) => s.value === scope)?.label ?? scope;
}

/** The scopes in the form's order, so every row of the list reads the same way. */
export function scopeLabels(scopes: readonly string[]): string[] {
  const known = SCOPES.filter((s) => scopes.includes(s.value)).map((s) => s.label);
  return [...known, ...scopes.filter((s) => !SCOPES.some((k) => k.value === s))];
}

const dayInLondon = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "3 March 2026", the day in UK time. */
export function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dayInLondon.format(date);
}

const NOTIFICATION_STATES = {
  working: { label: 'Working', tag: 'green' },
  retrying: { label: 'Retrying', tag: 'yellow' },
  stopped: { label: 'Stopped', tag: 'red' },
  ended: { label: 'Ended', tag: 'grey' },
} as const;

/** How a system's notifications are going, in words and a tag colour. */
export function notificationState(state: NotificationTarget['state']) {
  return NOTIFICATION_STATES[state];
}

/** Where the hospital's IT team points its system: this server's own addresses. */
export function fhirAddresses(origin: string) {
  return {
    fhirBase: `${origin}/fhir/R4`,
    metadata: `${origin}/fhir/R4/metadata`,
    token: `${origin}/oauth2/token`,
  };
}

export interface ConnectSystemValues {
  name: string;
  scopes: string[];
}

/** Checks the form top to bottom, as NHS.UK forms do; the field ids are the API's field names. */
export function validateConnectSystem(
  values: ConnectSystemValues,
): { input: ConnectSystemInput; problems: [] } | { input: null; problems: SummaryError[] } {
  const problems: SummaryError[] = [];
  const name = values.name.trim();
  if (name === '') {
    problems.push({ href: 'name', message: 'Enter the name of the system' });
  } else if (name.length > MAX_NAME_LENGTH) {
    problems.push({
      href: 'name',
      message: `The name must be ${MAX_NAME_LENGTH} characters or fewer`,
    });
  }
  const scopes = SCOPES.map((s) => s.value).filter((scope) => values.scopes.includes(scope));
  if (scopes.length === 0) {
    problems.push({ href: 'scopes', message: 'Select at least one thing the system may read' });
  }
  if (problems.length > 0) return { input: null, problems };
  return { input: { name, scopes }, problems: [] };
}

/** Where a field named in an API problem (`name`, `scopes`, `scopes.0`) lives on this form. */
export function connectFieldId(key: string): string | null {
  if (key === 'name') return 'name';
  if (key === 'scopes' || key.startsWith('scopes.')) return 'scopes';
  return null;
}
