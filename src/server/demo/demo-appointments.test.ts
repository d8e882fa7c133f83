import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentUrl, type AppointmentView } from '../../../test/appointment-world';
import { expectStatus } from '../../../test/conversation-world';
import { signIn } from '../../../test/http';
import { buildTestApp, type TestApp } from '../../../test/test-app';
import { DEMO_PASSWORD } from './demo-data';
import { seedDemo } from './demo-seed';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
  expect(await seedDemo(t.db, t.clock.now())).toBe('seeded');
});
afterAll(() => t.close());

describe('the demo’s appointments', () => {
  it('Margaret has two, booked by Central Appointments: one she may still ask about, one too close', async () => {
    const margaret = await signIn(t.app, 'patient.p9@demo.carethread.test', DEMO_PASSWORD);
    const session = await expectStatus(margaret, { method: 'GET', url: '/api/v1/session' }, 200);
    const patientId = session.json<{ user: { patientId: string } }>().user.patientId;
    const response = await expectStatus(
      margaret,
      { method: 'GET', url: appointmentUrl.ofPatient(patientId) },
      200,
    );
    const { upcoming, past } = response.json<{ upcoming: AppointmentView[]; past: unknown[] }>();
    expect(past).toEqual([]);
    expect(upcoming.map((a) => [a.team.name, a.bookedBy, a.canAskToChange])).toEqual([
      ['Cardiology Nurses', 'Central Appointments', false],
      ['Cardiology Consultants', 'Central Appointments', true],
    ]);
    expect(upcoming[1]?.clinician?.name).toBe('Dr Anna Novak');
  });

  it('asking to change the later one lands in Central Appointments’ Unassigned view', async () => {
    const margaret = await signIn(t.app, 'patient.p9@demo.carethread.test', DEMO_PASSWORD);
    const session = await expectStatus(margaret, { method: 'GET', url: '/api/v1/session' }, 200);
    const patientId = session.json<{ user: { patientId: string } }>().user.patientId;
    const list = await expectStatus(
      margaret,
      { method: 'GET', url: appointmentUrl.ofPatient(patientId) },
      200,
    );
    const later = list.json<{ upcoming: AppointmentView[] }>().upcoming[1]!;
    const asked = await expectStatus(
      margaret,
      {
        method: 'POST',
        url: appointmentUrl.requests(later.id),
        payload: { kind: 'change', message: 'Could it be in the afternoon?' },
      },
      201,
    );
    const { conversationId } = asked.json<{ conversationId: string }>();
    const clerk = await signIn(t.app, 'appointments.member1@demo.carethread.test', DEMO_PASSWORD);
    const me = await expectStatus(clerk, { method: 'GET', url: '/api/v1/session' }, 200);
    const teamId = me
      .json<{ user: { memberships: { teamId: string; teamName: string }[] } }>()
      .user.memberships.find((m) => m.teamName === 'Central Appointments')!.teamId;
    const inbox = await expectStatus(
      clerk,
      { method: 'GET', url: `/api/v1/teams/${teamId}/inbox?view=unassigned` },
      200,
    );
    expect(
      inbox.json<{ items: { conversationId: string }[] }>().items.map((i) => i.conversationId),
    ).toContain(conversationId);
  });

  it('seeding again finds the organisation and adds nothing', async () => {
    expect(await seedDemo(t.db, t.clock.now())).toBe('present');
  });
});
