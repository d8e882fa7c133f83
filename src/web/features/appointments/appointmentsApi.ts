import { useQuery } from '@tanstack/react-query';
import { request } from '../../api/client';

export type AppointmentStatus = 'booked' | 'cancelled' | 'fulfilled' | 'noshow';

export type AppointmentEventKind =
  | 'created'
  | 'rescheduled'
  | 'updated'
  | 'cancelled'
  | 'fulfilled'
  | 'noshow'
  | 'change_requested'
  | 'cancel_requested';

export interface AppointmentEvent {
  kind: AppointmentEventKind;
  at: string;
  /** A team name for patients and carers; "name, team" for staff. */
  by: string;
  changes: Record<string, { from: unknown; to: unknown }> | null;
  reason: string | null;
}

export interface Appointment {
  id: string;
  patientId: string;
  organisation: { id: string; name: string };
  team: { id: string; name: string };
  clinician: { id: string; name: string } | null;
  startsAt: string;
  endsAt: string;
  durationMinutes: number;
  location: string;
  preparation: string;
  status: AppointmentStatus;
  version: number;
  conversationId: string | null;
  changeCutoffAt: string;
  canAskToChange: boolean;
  canChange: boolean;
  canRecordAttendance: boolean;
  bookedBy: string;
  history: AppointmentEvent[];
}

export interface PatientAppointments {
  upcoming: Appointment[];
  past: Appointment[];
}

export interface AppointmentInput {
  teamId: string;
  clinicianProfessionalId: string | null;
  startsAt: string;
  durationMinutes: number;
  location: string;
  preparation: string;
}

export type AppointmentChange = Partial<Omit<AppointmentInput, 'teamId'>> & {
  version: number;
  status?: 'cancelled' | 'fulfilled' | 'noshow';
  reason?: string;
};

export type ChangeRequestKind = 'change' | 'cancel';

const appointmentPath = (appointmentId: string) =>
  `/appointments/${encodeURIComponent(appointmentId)}`;

export const createAppointment = (
  input: AppointmentInput & { patientId: string },
  idempotencyKey: string,
) => request<Appointment>('POST', '/appointments', input, { 'Idempotency-Key': idempotencyKey });

export const updateAppointment = (appointmentId: string, change: AppointmentChange) =>
  request<Appointment>('PATCH', appointmentPath(appointmentId), change);

export const getAppointment = (appointmentId: string) =>
  request<Appointment>('GET', appointmentPath(appointmentId));

export const listPatientAppointments = (patientId: string) =>
  request<PatientAppointments>('GET', `/patients/${encodeURIComponent(patientId)}/appointments`);

export const requestAppointmentChange = (
  appointmentId: string,
  input: { kind: ChangeRequestKind; message: string },
  idempotencyKey: string,
) =>
  request<{ conversationId: string }>('POST', `${appointmentPath(appointmentId)}/requests`, input, {
    'Idempotency-Key': idempotencyKey,
  });

/** An organisation's appointment settings, for its coordinators. */
export interface AppointmentSettings {
  organisationId: string;
  /** null while there is none: each clinic answers questions about its own appointments. */
  appointmentsTeam: { id: string; name: string; active: boolean } | null;
  changeCutoffHours: number;
  /** How many times they have been saved (0 before any save); a save names it. */
  version: number;
}

/** What a coordinator chooses: a team, or null for no central team. */
export interface AppointmentSettingsChoice {
  appointmentsTeamId: string | null;
  changeCutoffHours: number;
}

/** A save names the version it was made against: a stale one is 409 version_conflict. */
export interface AppointmentSettingsInput extends AppointmentSettingsChoice {
  version: number;
}

const settingsPath = (organisationId: string) =>
  `/organisations/${encodeURIComponent(organisationId)}/appointment-settings`;

export const getAppointmentSettings = (organisationId: string) =>
  request<AppointmentSettings>('GET', settingsPath(organisationId));

export const updateAppointmentSettings = (
  organisationId: string,
  input: AppointmentSettingsInput,
) => request<AppointmentSettings>('PUT', settingsPath(organisationId), input);

export const appointmentKeys = {
  all: ['appointments'] as const,
  detail: (id: string) => ['appointments', 'detail', id] as const,
  patient: (patientId: string) => ['appointments', 'patient', patientId] as const,
  settings: (organisationId: string) => ['appointments', 'settings', organisationId] as const,
};

export function useAppointment(appointmentId: string) {
  return useQuery({
    queryKey: appointmentKeys.detail(appointmentId),
    queryFn: () => getAppointment(appointmentId),
    retry: false,
  });
}

export function usePatientAppointments(patientId: string) {
  return useQuery({
    queryKey: appointmentKeys.patient(patientId),
    queryFn: () => listPatientAppointments(patientId),
    retry: false,
  });
}

export function useAppointmentSettings(organisationId: string, enabled = true) {
  return useQuery({
    queryKey: appointmentKeys.settings(organisationId),
    queryFn: () => getAppointmentSettings(organisationId),
    retry: false,
    enabled,
  });
}
