import type { AppointmentEvent, AppointmentStatus } from './appointmentsApi';
import { formatDuration, formatWhen } from './appointmentTime';

export const STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
  fulfilled: 'Attended',
  noshow: 'Missed',
};

export const STATUS_TAGS: Record<AppointmentStatus, string> = {
  booked: 'nhsuk-tag--blue',
  cancelled: 'nhsuk-tag--red',
  fulfilled: 'nhsuk-tag--grey',
  noshow: 'nhsuk-tag--orange',
};

const FIELD_WORDS: Record<string, string> = {
  startsAt: 'date and time',
  durationMinutes: 'length',
  location: 'place',
  preparation: 'how to prepare',
  clinicianProfessionalId: 'clinician',
  clinician: 'clinician',
  teamId: 'team',
  status: 'status',
};

function changedFields(event: AppointmentEvent): string[] {
  return Object.keys(event.changes ?? {}).map((field) => FIELD_WORDS[field] ?? field);
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function valueWords(field: string, value: unknown): string | null {
  if (field === 'startsAt' && typeof value === 'string') return formatWhen(value);
  if (field === 'durationMinutes' && typeof value === 'number') return formatDuration(value);
  if (field === 'location' && typeof value === 'string') return value;
  return null;
}

/** One line of an appointment's history in plain words: what happened. */
export function eventWords(event: AppointmentEvent): string {
  switch (event.kind) {
    case 'created':
      return 'Appointment booked';
    case 'rescheduled': {
      const when = event.changes?.startsAt;
      const to = when ? valueWords('startsAt', when.to) : null;
      if (to) return `Moved to ${to}`;
      // Moved to another place at the same time.
      const fields = changedFields(event);
      return fields.length ? `Changed the ${listWords(fields)}` : 'Date, time or place changed';
    }
    case 'updated': {
      const fields = changedFields(event);
      return fields.length ? `Changed the ${listWords(fields)}` : 'Details changed';
    }
    case 'cancelled':
      return 'Appointment cancelled';
    case 'fulfilled':
      return 'Marked as attended';
    case 'noshow':
      return 'Marked as missed';
    case 'change_requested':
      return 'Asked to change the appointment';
    case 'cancel_requested':
      return 'Asked to cancel the appointment';
    default:
      return 'Appointment updated';
  }
}

/** The before-and-after of each changed field that can be shown in words. */
export function changeDetails(event: AppointmentEvent): string[] {
  const lines: string[] = [];
  for (const [field, change] of Object.entries(event.changes ?? {})) {
    const from = valueWords(field, change.from);
    const to = valueWords(field, change.to);
    if (from && to) lines.push(`${FIELD_WORDS[field] ?? field}: was ${from}, now ${to}`);
  }
  return lines;
}
