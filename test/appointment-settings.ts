import { and, eq } from 'drizzle-orm';
import { appointmentSettings } from '../src/server/modules/appointments/appointments.schema';
import { auditEvents } from '../src/server/platform/audit/audit.schema';
import type { Database } from '../src/server/platform/db/database';
import type { Client } from './http';

/** Helpers for tests of an organisation's appointment settings. */

const settingsUrl = (organisationId: string) =>
  `/api/v1/organisations/${organisationId}/appointment-settings`;

export const readSettings = (organisationId: string) =>
  ({ method: 'GET', url: settingsUrl(organisationId) }) as const;

export const saveSettings = (organisationId: string, payload: Record<string, unknown>) =>
  ({ method: 'PUT', url: settingsUrl(organisationId), payload }) as const;

/** The organisation's settings row as stored: none until the first save. */
export const settingsRowOf = (db: Database, organisationId: string) =>
  db
    .select()
    .from(appointmentSettings)
    .where(eq(appointmentSettings.organisationId, organisationId));

/** The version a coordinator looking now would see: 0 before any save. */
export const settingsVersionOf = async (db: Database, organisationId: string) =>
  (await settingsRowOf(db, organisationId))[0]?.version ?? 0;

/** A coordinator saves what they chose against the settings as they are now. */
export const saveSettingsNow = async (
  db: Database,
  client: Client,
  organisationId: string,
  payload: Record<string, unknown>,
) =>
  client.request(
    saveSettings(organisationId, {
      ...payload,
      version: await settingsVersionOf(db, organisationId),
    }),
  );

/** The organisation's `organisation.appointment_settings_updated` audit events, oldest first. */
export const settingsAuditOf = (db: Database, organisationId: string) =>
  db
    .select()
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.action, 'organisation.appointment_settings_updated'),
        eq(auditEvents.organisationId, organisationId),
      ),
    )
    .orderBy(auditEvents.seq);
