import { sql, type SQL } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  readSettings as read,
  saveSettings as save,
  settingsAuditOf,
  settingsRowOf,
  settingsVersionOf,
} from '../../../../test/appointment-settings';
import { createOrganisation } from '../../../../test/factories';
import { createPersonaWorld, expectRefused, type PersonaWorld } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { type AppointmentSettings, MAX_CHANGE_CUTOFF_HOURS } from './appointments.contracts';

/**
 * Appointment settings carry a version, as appointments do (decision 0016): of two
 * coordinators saving at once, one wins and the other is told to look again. The database
 * also holds the cut-off to the range the contract allows, whatever writes it.
 */

let t: TestApp;
let p: PersonaWorld;
beforeAll(async () => {
  t = await buildTestApp();
  p = await createPersonaWorld(t.app, t.db);
  const first = await p.clients.coordinatorHere.request(
    save(p.here.id, { appointmentsTeamId: p.team.id, changeCutoffHours: 72, version: 0 }),
  );
  expect(first.statusCode, first.body).toBe(200);
});
afterAll(() => t.close());

const rowOf = (organisationId: string) => settingsRowOf(t.db, organisationId);
const versionOf = (organisationId: string) => settingsVersionOf(t.db, organisationId);
const auditOf = (organisationId: string) => settingsAuditOf(t.db, organisationId);

describe('updateAppointmentSettings names the version it changes: a stale save is refused, not lost', () => {
  it('of two saves naming the same version, the second is 409 appointment_settings.version_conflict: nothing changes, one audit event', async () => {
    const coordinator = p.clients.coordinatorHere;
    const version = await versionOf(p.here.id);
    const audited = (await auditOf(p.here.id)).length;
    const first = await coordinator.request(
      save(p.here.id, { appointmentsTeamId: p.team.id, changeCutoffHours: 24, version }),
    );
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<AppointmentSettings>().version).toBe(version + 1);
    const saved = await rowOf(p.here.id);

    const stale = await expectRefused(
      t.db,
      coordinator,
      save(p.here.id, { appointmentsTeamId: null, changeCutoffHours: 96, version }),
      { status: 409, code: 'appointment_settings.version_conflict' },
    );
    expect(stale.json<{ detail: string }>().detail).toBe(
      'Someone else changed the appointment settings. Look at them again before saving.',
    );
    expect(await rowOf(p.here.id)).toEqual(saved);
    expect(await auditOf(p.here.id)).toHaveLength(audited + 1);
    expect((await coordinator.request(read(p.here.id))).json()).toMatchObject({
      appointmentsTeam: { id: p.team.id },
      changeCutoffHours: 24,
      version: version + 1,
    });
  });

  it('a version not yet reached, or 0 once something is saved, is refused the same way', async () => {
    const version = await versionOf(p.here.id);
    expect(version).toBeGreaterThan(0);
    for (const named of [0, version + 1]) {
      await expectRefused(
        t.db,
        p.clients.coordinatorHere,
        save(p.here.id, { appointmentsTeamId: p.team.id, changeCutoffHours: 12, version: named }),
        { status: 409, code: 'appointment_settings.version_conflict' },
      );
    }
    expect(await versionOf(p.here.id)).toBe(version);
  });

  it('saves sent at once naming one version: exactly one wins and is audited', async () => {
    const version = await versionOf(p.here.id);
    const audited = (await auditOf(p.here.id)).length;
    const responses = await Promise.all(
      [12, 36, 60].map((changeCutoffHours) =>
        p.clients.coordinatorHere.request(
          save(p.here.id, { appointmentsTeamId: p.team.id, changeCutoffHours, version }),
        ),
      ),
    );
    expect(responses.map((r) => r.statusCode).sort()).toEqual([200, 409, 409]);
    const winner = responses.find((r) => r.statusCode === 200)?.json<AppointmentSettings>();
    expect(await rowOf(p.here.id)).toMatchObject([
      { changeCutoffHours: winner?.changeCutoffHours, version: version + 1 },
    ]);
    expect(await auditOf(p.here.id)).toHaveLength(audited + 1);
  });
});

it('the OpenAPI document lists the 409, the version in the body and in the answer', async () => {
  const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
  type Operation = {
    operationId?: string;
    responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
    requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
  };
  const paths = response.json<{ paths: Record<string, Record<string, Operation>> }>().paths;
  const operations = Object.values(paths).flatMap((methods) => Object.values(methods));
  const update = operations.find((o) => o.operationId === 'updateAppointmentSettings');
  expect(Object.keys(update?.responses ?? {})).toContain('409');
  expect(update?.requestBody?.content['application/json']?.schema.required).toContain('version');
  expect(JSON.stringify(update?.responses['200'])).toContain('"version"');
});

/** The SQLSTATE and constraint of a database error from either driver, however wrapped. */
function violation(error: unknown): { code?: unknown; constraint?: unknown } | null {
  for (let e = error; typeof e === 'object' && e !== null; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return { code, constraint };
  }
  return null;
}

describe(`the database refuses a cut-off outside 0 to ${MAX_CHANGE_CUTOFF_HOURS} hours, however written`, () => {
  const refusal = (statement: SQL) =>
    t.db.execute(statement).then(
      () => null,
      (error: unknown) => violation(error),
    );
  const CHECK = { code: '23514', constraint: 'appointment_settings_change_cutoff_hours_check' };

  it.each([-1, MAX_CHANGE_CUTOFF_HOURS + 1, 32767])(
    '%i hours, updated or inserted directly with SQL',
    async (hours) => {
      const before = await rowOf(p.here.id);
      expect(
        await refusal(
          sql`update appointment_settings set change_cutoff_hours = ${hours} where organisation_id = ${p.here.id}`,
        ),
      ).toEqual(CHECK);
      expect(await rowOf(p.here.id)).toEqual(before);
      const org = await createOrganisation(t.db);
      expect(
        await refusal(
          sql`insert into appointment_settings (organisation_id, change_cutoff_hours) values (${org.id}, ${hours})`,
        ),
      ).toEqual(CHECK);
      expect(await rowOf(org.id)).toEqual([]);
    },
  );

  it(`0 and ${MAX_CHANGE_CUTOFF_HOURS} themselves are allowed`, async () => {
    for (const hours of [0, MAX_CHANGE_CUTOFF_HOURS]) {
      const org = await createOrganisation(t.db);
      await t.db.execute(
        sql`insert into appointment_settings (organisation_id, change_cutoff_hours) values (${org.id}, ${hours})`,
      );
      expect(await rowOf(org.id)).toMatchObject([{ changeCutoffHours: hours, version: 1 }]);
    }
  });
});
