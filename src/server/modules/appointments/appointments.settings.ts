import { eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { withTransaction, type Tx } from '../../platform/db/database';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden, invalid, notFound } from '../../platform/http/problem';
import { lockOrganisation } from '../directory/directory.queries';
import { organisations, teams } from '../directory/directory.schema';
import { inTransaction, type Actor, type RequestFacts } from '../identity/actor';
import type { AppointmentSettings, UpdateAppointmentSettingsInput } from './appointments.contracts';
import { type OrganisationSettings, settingsOf } from './appointments.facts';
import { type AppointmentSettingsAction, canConfigure } from './appointments.policy';
import { appointmentSettings } from './appointments.schema';

const notCoordinator = () =>
  forbidden(
    'appointment_settings.forbidden',
    'Only a coordinator of this organisation can see or change its appointment settings.',
  );

const teamProblem = (code: string, message: string) =>
  invalid([{ field: 'body/appointmentsTeamId', code, message }]);

/**
 * Loads the organisation (locking it for a change, so saves follow one another and each
 * audit event's "before" is what the save replaced), then checks the actor may act on it:
 * an unknown organisation is 404, anyone but its coordinators 403.
 */
async function authoriseSettings(
  tx: Tx,
  actor: Actor,
  organisationId: string,
  action: AppointmentSettingsAction,
): Promise<void> {
  const query = tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  const [organisation] =
    action === 'appointmentSettings.update' ? await query.for('update') : await query;
  if (!organisation) throw notFound('organisation.not_found', 'Organisation not found');
  if (!canConfigure(actor, action, { organisationId })) throw notCoordinator();
}

async function present(
  tx: Tx,
  organisationId: string,
  settings: OrganisationSettings,
): Promise<AppointmentSettings> {
  const teamId = settings.appointmentsTeamId;
  const [team] = teamId
    ? await tx
        .select({ id: teams.id, name: teams.name, active: teams.active })
        .from(teams)
        .where(eq(teams.id, teamId))
    : [];
  return {
    organisationId,
    appointmentsTeam: team ?? null,
    changeCutoffHours: settings.changeCutoffHours,
    version: settings.version,
  };
}

/**
 * The organisation's appointment settings, for its coordinators. Before any has been saved
 * there is no appointments team and the cut-off is the default: "not set", not an error.
 */
export async function getAppointmentSettings(
  deps: AppDeps,
  actor: Actor,
  organisationId: string,
): Promise<AppointmentSettings> {
  return withTransaction(deps.db, async (tx) => {
    await authoriseSettings(tx, actor, organisationId, 'appointmentSettings.read');
    return present(tx, organisationId, await settingsOf(tx, organisationId));
  });
}

/** A team that is to answer appointments must be an active team of the organisation. */
async function checkAppointmentsTeam(tx: Tx, organisationId: string, teamId: string) {
  const [team] = await tx
    .select({ organisationId: teams.organisationId, active: teams.active })
    .from(teams)
    .where(eq(teams.id, teamId));
  if (team?.organisationId !== organisationId) {
    throw teamProblem(
      'appointment_settings.team_not_in_organisation',
      'Choose one of this organisation’s teams',
    );
  }
  if (!team.active) {
    throw teamProblem('appointment_settings.team_inactive', 'Choose an active team');
  }
}

/**
 * Chooses the team that answers appointment conversations, or none (each appointment's own
 * team answers and alone books), and the cut-off for patients' requests; the first save
 * creates the row. The save names the version it was made against: of two coordinators
 * saving at once, the second is refused (409) and told to look again rather than silently
 * overwriting. Appointments are left as they are: the cut-off is worked out when each is
 * read, and conversations already started stay with their team.
 */
export async function updateAppointmentSettings(
  deps: AppDeps,
  actor: Actor,
  organisationId: string,
  input: UpdateAppointmentSettingsInput,
  request: RequestFacts,
): Promise<AppointmentSettings> {
  return inTransaction(deps, actor, request, async (tx, audit) => {
    await authoriseSettings(tx, actor, organisationId, 'appointmentSettings.update');
    // Read after the organisation's lock, so the version compared is the latest saved.
    const [previous] = await tx
      .select()
      .from(appointmentSettings)
      .where(eq(appointmentSettings.organisationId, organisationId));
    if ((previous?.version ?? 0) !== input.version) {
      throw conflict(
        'appointment_settings.version_conflict',
        'Someone else changed the appointment settings. Look at them again before saving.',
      );
    }
    if (input.appointmentsTeamId !== null) {
      await checkAppointmentsTeam(tx, organisationId, input.appointmentsTeamId);
    }

    const after = {
      appointmentsTeamId: input.appointmentsTeamId,
      changeCutoffHours: input.changeCutoffHours,
    };
    const version = input.version + 1;
    if (previous) {
      await tx
        .update(appointmentSettings)
        .set({ ...after, version })
        .where(eq(appointmentSettings.organisationId, organisationId));
    } else {
      await tx.insert(appointmentSettings).values({ organisationId, ...after, version });
    }
    await recordAudit(tx, audit, {
      action: 'organisation.appointment_settings_updated',
      entityType: 'organisation',
      entityId: organisationId,
      organisationId,
      details: {
        before: previous
          ? {
              appointmentsTeamId: previous.appointmentsTeamId,
              changeCutoffHours: previous.changeCutoffHours,
            }
          : null,
        after,
      },
    });
    return present(tx, organisationId, { ...after, version });
  });
}

/**
 * Refuses to make inactive the team that answers appointment conversations: patients'
 * questions about their appointments would go to a team nobody works. It locks the
 * organisation's row, as a save of the settings does, so the two cannot cross.
 */
export async function ensureNotAppointmentsTeam(
  tx: Tx,
  organisationId: string,
  teamId: string,
): Promise<void> {
  await lockOrganisation(tx, organisationId);
  const [settings] = await tx
    .select({ organisationId: appointmentSettings.organisationId })
    .from(appointmentSettings)
    .where(eq(appointmentSettings.appointmentsTeamId, teamId));
  if (settings) {
    throw conflict(
      'team.answers_appointments',
      'This team answers patients’ questions about appointments. Choose another team in Appointment settings before you make it inactive.',
    );
  }
}
