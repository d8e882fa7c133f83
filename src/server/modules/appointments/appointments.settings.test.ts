import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appointmentWorld,
  type AppointmentWorld,
  ask,
  book,
  booking,
  HOUR_MS,
  view,
} from '../../../../test/appointment-world';
import {
  readSettings,
  saveSettings,
  saveSettingsNow,
  settingsAuditOf,
  settingsRowOf,
  settingsVersionOf,
} from '../../../../test/appointment-settings';
import { open } from '../../../../test/conversation-world';
import { createTeam } from '../../../../test/factories';
import {
  createPersonaWorld,
  expectRefused,
  PERSONAS,
  type PersonaName,
  type PersonaWorld,
} from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { teams } from '../directory/directory.schema';
import type { AppointmentSettings } from './appointments.contracts';
import type { Client } from '../../../../test/http';
import { appointments, appointmentSettings } from './appointments.schema';

let t: TestApp;
let p: PersonaWorld;
let w: AppointmentWorld;
beforeAll(async () => {
  t = await buildTestApp();
  p = await createPersonaWorld(t.app, t.db);
  w = await appointmentWorld(t.app, t.db);
  // This hospital starts as a new one would: nobody has chosen its appointments team yet.
  await t.db.delete(appointmentSettings).where(eq(appointmentSettings.organisationId, w.org.id));
});
afterAll(() => t.close());

const read = readSettings;
const save = saveSettings;
const rowOf = (organisationId: string) => settingsRowOf(t.db, organisationId);
const versionOf = (organisationId: string) => settingsVersionOf(t.db, organisationId);
const auditOf = (organisationId: string) => settingsAuditOf(t.db, organisationId);
const saveNow = (client: Client, organisationId: string, payload: Record<string, unknown>) =>
  saveSettingsNow(t.db, client, organisationId, payload);

// prettier-ignore
const REFUSED: Record<Exclude<PersonaName, 'coordinatorHere'>, { status: number; code: string }> = {
  coordinatorElsewhere: { status: 403, code: 'appointment_settings.forbidden' },
  manager:              { status: 403, code: 'appointment_settings.forbidden' },
  member:               { status: 403, code: 'appointment_settings.forbidden' },
  patientRegistered:    { status: 403, code: 'appointment_settings.forbidden' },
  patientNotRegistered: { status: 403, code: 'appointment_settings.forbidden' },
  anonymous:            { status: 401, code: 'auth.unauthenticated' },
};

describe('getAppointmentSettings and updateAppointmentSettings: the organisation’s coordinators only (DESIGN §1, §4)', () => {
  it('has a refusal for every persona but the coordinator here', () => {
    expect([...Object.keys(REFUSED), 'coordinatorHere'].sort()).toEqual([...PERSONAS].sort());
  });

  it.each(Object.entries(REFUSED))(
    '%s is refused, and nothing is written',
    async (name, expected) => {
      const client = p.clients[name as PersonaName];
      await expectRefused(t.db, client, read(p.here.id), expected);
      await expectRefused(
        t.db,
        client,
        save(p.here.id, { appointmentsTeamId: p.team.id, changeCutoffHours: 24, version: 0 }),
        expected,
      );
      expect(await rowOf(p.here.id)).toEqual([]);
      expect(await auditOf(p.here.id)).toEqual([]);
    },
  );

  it('an organisation that does not exist is 404 organisation.not_found; a malformed id 400', async () => {
    const coordinator = p.clients.coordinatorHere;
    const missing = crypto.randomUUID();
    await expectRefused(t.db, coordinator, read(missing), {
      status: 404,
      code: 'organisation.not_found',
    });
    await expectRefused(
      t.db,
      coordinator,
      save(missing, { appointmentsTeamId: p.team.id, changeCutoffHours: 24, version: 0 }),
      { status: 404, code: 'organisation.not_found' },
    );
    await expectRefused(t.db, coordinator, read('not-a-uuid'), {
      status: 400,
      code: 'request.invalid',
    });
  });

  it('the coordinator reads "not set" (no team, the default 72 hours, version 0), and the first save creates the row at version 1, audited (C4)', async () => {
    const coordinator = p.clients.coordinatorHere;
    const before = await coordinator.request(read(p.here.id));
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toEqual({
      organisationId: p.here.id,
      appointmentsTeam: null,
      changeCutoffHours: 72,
      version: 0,
    });

    const saved = await coordinator.request(
      save(p.here.id, { appointmentsTeamId: p.team.id, changeCutoffHours: 48, version: 0 }),
    );
    expect(saved.statusCode, saved.body).toBe(200);
    const expected: AppointmentSettings = {
      organisationId: p.here.id,
      appointmentsTeam: { id: p.team.id, name: 'Care team', active: true },
      changeCutoffHours: 48,
      version: 1,
    };
    expect(saved.json()).toEqual(expected);
    expect((await coordinator.request(read(p.here.id))).json()).toEqual(expected);
    expect(await rowOf(p.here.id)).toEqual([
      {
        organisationId: p.here.id,
        appointmentsTeamId: p.team.id,
        changeCutoffHours: 48,
        version: 1,
      },
    ]);

    const again = await coordinator.request(
      save(p.here.id, { appointmentsTeamId: p.adminTeam.id, changeCutoffHours: 0, version: 1 }),
    );
    expect(again.json<AppointmentSettings>().version).toBe(2);
    const events = await auditOf(p.here.id);
    expect(events.map((e) => [e.entityType, e.entityId, e.outcome, e.details])).toEqual([
      [
        'organisation',
        p.here.id,
        'success',
        { before: null, after: { appointmentsTeamId: p.team.id, changeCutoffHours: 48 } },
      ],
      [
        'organisation',
        p.here.id,
        'success',
        {
          before: { appointmentsTeamId: p.team.id, changeCutoffHours: 48 },
          after: { appointmentsTeamId: p.adminTeam.id, changeCutoffHours: 0 },
        },
      ],
    ]);
  });
});

describe('updateAppointmentSettings: what is refused changes nothing', () => {
  const invalidBodies: [string, Record<string, unknown>, string, string?][] = [
    ['a negative cut-off', { changeCutoffHours: -1 }, 'body/changeCutoffHours'],
    ['a cut-off over 720 hours', { changeCutoffHours: 721 }, 'body/changeCutoffHours'],
    ['a cut-off that is not whole', { changeCutoffHours: 1.5 }, 'body/changeCutoffHours'],
    ['a cut-off as text', { changeCutoffHours: '72' }, 'body/changeCutoffHours'],
    ['no cut-off', { changeCutoffHours: undefined }, 'body/changeCutoffHours', 'field.required'],
    [
      'no team (none is null)',
      { appointmentsTeamId: undefined },
      'body/appointmentsTeamId',
      'field.required',
    ],
    ['a team that is not an id', { appointmentsTeamId: 'pals' }, 'body/appointmentsTeamId'],
    ['no version', { version: undefined }, 'body/version', 'field.required'],
    ['a negative version', { version: -1 }, 'body/version'],
    ['a version as text', { version: '1' }, 'body/version'],
    ['an unknown field', { extra: true }, 'body/extra', 'field.unknown'],
  ];

  it.each(invalidBodies)('%s: 400 request.invalid on the field', async (_, change, field, code) => {
    const valid = { appointmentsTeamId: p.team.id, changeCutoffHours: 24, version: 2 };
    const before = await rowOf(p.here.id);
    await expectRefused(t.db, p.clients.coordinatorHere, save(p.here.id, { ...valid, ...change }), {
      status: 400,
      code: 'request.invalid',
      errors: [{ field, ...(code ? { code } : {}) }],
    });
    expect(await rowOf(p.here.id)).toEqual(before);
  });

  it('the team must be an active team of this organisation: stable codes on the field', async () => {
    const inactive = await createTeam(t.db, p.here.id, { name: 'Closed clinic', active: false });
    const cases: [string, string][] = [
      [p.otherTeam.id, 'appointment_settings.team_not_in_organisation'],
      [crypto.randomUUID(), 'appointment_settings.team_not_in_organisation'],
      [inactive.id, 'appointment_settings.team_inactive'],
    ];
    const before = await rowOf(p.here.id);
    const audited = (await auditOf(p.here.id)).length;
    const version = await versionOf(p.here.id);
    for (const [appointmentsTeamId, code] of cases) {
      await expectRefused(
        t.db,
        p.clients.coordinatorHere,
        save(p.here.id, { appointmentsTeamId, changeCutoffHours: 24, version }),
        {
          status: 400,
          code: 'request.invalid',
          errors: [{ field: 'body/appointmentsTeamId', code }],
        },
      );
    }
    expect(await rowOf(p.here.id)).toEqual(before);
    expect(await auditOf(p.here.id)).toHaveLength(audited);
  });
});

describe('what the settings change, and what they leave alone', () => {
  let first: Awaited<ReturnType<typeof book>>;
  let second: Awaited<ReturnType<typeof book>>;

  it('not set: the appointment’s own team alone books, and patients’ questions go to it', async () => {
    const settings = await w.coordinator.client.request(read(w.org.id));
    expect(settings.json()).toMatchObject({ appointmentsTeam: null, changeCutoffHours: 72 });
    const refused = await w.clerk.client.request({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: booking(w, t.clock.now()),
    });
    expect(refused.statusCode).toBe(403);

    first = await book(w.clinician.client, booking(w, t.clock.now(), 4)); // 96 hours ahead
    const asked = await ask(w.margaret.client, first.id, { kind: 'change', message: 'Later?' });
    expect(asked.statusCode, asked.body).toBe(201);
    const thread = await open(
      w.margaret.client,
      asked.json<{ conversationId: string }>().conversationId,
    );
    expect(thread.participants.filter((x) => x.kind === 'team').map((x) => x.name)).toEqual([
      'Heart Clinic',
    ]);
  });

  it('once chosen, the team books and answers, the cut-off counts at once, and appointments are not rewritten', async () => {
    const [before] = await t.db.select().from(appointments).where(eq(appointments.id, first.id));
    const saved = await saveNow(w.coordinator.client, w.org.id, {
      appointmentsTeamId: w.central.id,
      changeCutoffHours: 120,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const [after] = await t.db.select().from(appointments).where(eq(appointments.id, first.id));
    expect(after).toEqual(before);

    // 96 hours ahead is now inside the 120-hour cut-off.
    const seen = await view(w.margaret.client, first.id);
    expect(new Date(seen.changeCutoffAt).getTime()).toBe(
      new Date(first.startsAt).getTime() - 120 * HOUR_MS,
    );
    expect(seen.canAskToChange).toBe(false);

    second = await book(w.clerk.client, booking(w, t.clock.now(), 14));
    const asked = await ask(w.margaret.client, second.id, { kind: 'cancel', message: 'Sorry' });
    expect(asked.statusCode, asked.body).toBe(201);
    const thread = await open(
      w.clerk.client,
      asked.json<{ conversationId: string }>().conversationId,
    );
    expect(thread.participants.filter((x) => x.kind === 'team').map((x) => x.name)).toEqual([
      'Central Appointments',
    ]);
  });

  it('the team that answers appointments cannot be made inactive until another is chosen (409, nothing changes)', async () => {
    const deactivate = (teamId: string) =>
      w.coordinator.client.request({
        method: 'PATCH',
        url: `/api/v1/teams/${teamId}`,
        payload: { active: false },
      });
    const spare = await createTeam(t.db, w.org.id, { name: 'Outpatient Bookings' });
    const choose = (appointmentsTeamId: string | null) =>
      saveNow(w.coordinator.client, w.org.id, { appointmentsTeamId, changeCutoffHours: 72 });
    expect((await choose(spare.id)).statusCode).toBe(200);

    const refused = await deactivate(spare.id);
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<{ code: string }>().code).toBe('team.answers_appointments');
    const [still] = await t.db.select().from(teams).where(eq(teams.id, spare.id));
    expect(still?.active).toBe(true);

    expect((await choose(w.central.id)).statusCode).toBe(200);
    const done = await deactivate(spare.id);
    expect(done.statusCode, done.body).toBe(200);
  });

  it('back to no central team (null): audited before and after, each appointment’s own team answers and alone books, and the former team may be made inactive', async () => {
    const version = (await versionOf(w.org.id)) + 1;
    const saved = await saveNow(w.coordinator.client, w.org.id, {
      appointmentsTeamId: null,
      changeCutoffHours: 48,
    });
    expect(saved.statusCode, saved.body).toBe(200);
    const expected = { appointmentsTeam: null, changeCutoffHours: 48, version };
    expect(saved.json()).toEqual({ organisationId: w.org.id, ...expected });
    expect((await w.coordinator.client.request(read(w.org.id))).json()).toMatchObject(expected);
    expect(await rowOf(w.org.id)).toMatchObject([{ appointmentsTeamId: null, version }]);
    expect((await auditOf(w.org.id)).at(-1)?.details).toEqual({
      before: { appointmentsTeamId: w.central.id, changeCutoffHours: 72 },
      after: { appointmentsTeamId: null, changeCutoffHours: 48 },
    });

    // As "not set": Central Appointments no longer books, the clinic does and is asked.
    const refused = await w.clerk.client.request({
      method: 'POST',
      url: '/api/v1/appointments',
      payload: booking(w, t.clock.now(), 10),
    });
    expect(refused.statusCode, refused.body).toBe(403);
    const third = await book(w.clinician.client, booking(w, t.clock.now(), 10));
    const asked = await ask(w.margaret.client, third.id, { kind: 'change', message: 'Later?' });
    expect(asked.statusCode, asked.body).toBe(201);
    const teamsIn = async (response: typeof asked) =>
      (
        await open(w.margaret.client, response.json<{ conversationId: string }>().conversationId)
      ).participants
        .filter((x) => x.kind === 'team')
        .map((x) => x.name);
    expect(await teamsIn(asked)).toEqual(['Heart Clinic']);
    // A conversation already started stays with the team that has it.
    const again = await ask(w.margaret.client, second.id, { kind: 'cancel', message: 'Still?' });
    expect(again.statusCode, again.body).toBe(201);
    expect(await teamsIn(again)).toEqual(['Central Appointments']);

    // ensureNotAppointmentsTeam: with no team nominated, none is held active.
    const done = await w.coordinator.client.request({
      method: 'PATCH',
      url: `/api/v1/teams/${w.central.id}`,
      payload: { active: false },
    });
    expect(done.statusCode, done.body).toBe(200);
  });
});
