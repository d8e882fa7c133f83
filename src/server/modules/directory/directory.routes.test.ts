import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrganisation, createProfessional, createTeam } from '../../../../test/factories';
import type { Client } from '../../../../test/http';
import { expectRefused, signInAs } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { verifyAuditChain } from '../../platform/audit/audit';
import { auditEvents } from '../../platform/audit/audit.schema';
import { withTransaction } from '../../platform/db/database';
import { users } from '../identity/identity.schema';
import type { PathwayStep, Team, TeamDetail } from './directory.contracts';
import { teamMemberships, teams } from './directory.schema';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const unique = () => crypto.randomUUID().slice(0, 8);

/** An organisation whose only coordinator sits in its admin team, signed in. */
async function organisationWithCoordinator() {
  const organisation = await createOrganisation(t.db);
  const adminTeam = await createTeam(t.db, organisation.id, { name: 'Admin', contactable: false });
  const coordinator = await createProfessional(t.db, organisation.id, [
    { teamId: adminTeam.id, role: 'coordinator' },
  ]);
  const client = await signInAs(t.app, coordinator.email);
  return { organisation, adminTeam, coordinator, client };
}

async function userIdOf(professionalId: string): Promise<string> {
  const [user] = await t.db.select().from(users).where(eq(users.professionalId, professionalId));
  return user!.id;
}

async function auditOf(organisationId: string) {
  return t.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.organisationId, organisationId))
    .orderBy(asc(auditEvents.seq));
}

describe('a coordinator configures their organisation, and it persists (DESIGN §1, C4)', () => {
  it('registers a team, makes it not contactable, staffs it and puts it on another team’s pathway', async () => {
    const { organisation, coordinator, client } = await organisationWithCoordinator();
    const requestIds: string[] = [];
    const send = async (options: Parameters<Client['request']>[0], status: number) => {
      const response = await client.request(options);
      expect(response.statusCode, response.body).toBe(status);
      requestIds.push(String(response.headers['x-request-id']));
      return response;
    };

    const nurses = (
      await send(
        {
          method: 'POST',
          url: `/api/v1/organisations/${organisation.id}/teams`,
          payload: {
            name: '  Dermatology Nurses ',
            slug: `derm-nurses-${unique()}`,
            description: 'Second line for skin conditions',
            contactable: true,
            phone: '+44 20 7946 0000',
            openingHours: [{ day: 'monday', opens: '08:30', closes: '17:00' }],
          },
        },
        201,
      )
    ).json<Team>();
    expect(nurses).toMatchObject({
      organisationId: organisation.id,
      organisationName: organisation.name,
      name: 'Dermatology Nurses',
      contactable: true,
      active: true,
    });

    const updated = (
      await send(
        { method: 'PATCH', url: `/api/v1/teams/${nurses.id}`, payload: { contactable: false } },
        200,
      )
    ).json<Team>();
    expect(updated).toMatchObject({
      id: nurses.id,
      contactable: false,
      name: 'Dermatology Nurses',
    });

    const nurse = (
      await send(
        {
          method: 'POST',
          url: `/api/v1/organisations/${organisation.id}/professionals`,
          payload: {
            name: 'Nadia Nurse',
            jobTitle: 'Clinical Nurse Specialist',
            email: `nadia-${unique()}@example.test`,
          },
        },
        201,
      )
    ).json<{ id: string; active: boolean }>();
    expect(nurse.active).toBe(true);

    const member = (
      await send(
        {
          method: 'PUT',
          url: `/api/v1/teams/${nurses.id}/members/${nurse.id}`,
          payload: { role: 'member', contactable: true },
        },
        200,
      )
    ).json<unknown>();
    expect(member).toMatchObject({
      professionalId: nurse.id,
      name: 'Nadia Nurse',
      role: 'member',
      contactable: true,
    });

    const reception = (
      await send(
        {
          method: 'POST',
          url: `/api/v1/organisations/${organisation.id}/teams`,
          payload: {
            name: 'Dermatology Reception',
            slug: `derm-reception-${unique()}`,
            contactable: true,
          },
        },
        201,
      )
    ).json<Team>();
    const pathway = (
      await send(
        {
          method: 'PUT',
          url: `/api/v1/teams/${reception.id}/escalation-pathway`,
          payload: { steps: [{ line: 2, teamId: nurses.id }] },
        },
        200,
      )
    ).json<{ escalationPathway: PathwayStep[] }>();
    expect(pathway.escalationPathway).toEqual([
      {
        line: 2,
        target: {
          kind: 'team',
          id: nurses.id,
          name: 'Dermatology Nurses',
          organisationName: organisation.name,
        },
      },
    ]);

    // Read back through getTeam, on a fresh request.
    const nursesDetail = (
      await client.request({ method: 'GET', url: `/api/v1/teams/${nurses.id}` })
    ).json<TeamDetail>();
    expect(nursesDetail).toMatchObject({
      contactable: false,
      description: 'Second line for skin conditions',
      phone: '+44 20 7946 0000',
      openingHours: [{ day: 'monday', opens: '08:30', closes: '17:00' }],
      members: [{ professionalId: nurse.id, role: 'member', contactable: true }],
    });
    const receptionDetail = (
      await client.request({ method: 'GET', url: `/api/v1/teams/${reception.id}` })
    ).json<TeamDetail>();
    expect(receptionDetail.escalationPathway).toEqual(pathway.escalationPathway);

    // Every change left an audit event in the organisation's chain, by whom and from which request.
    const coordinatorUserId = await userIdOf(coordinator.id);
    const events = await auditOf(organisation.id);
    expect(events.map((e) => [e.action, e.entityType, e.entityId])).toEqual([
      ['team.created', 'team', nurses.id],
      ['team.updated', 'team', nurses.id],
      ['professional.created', 'professional', nurse.id],
      ['team.member_added', 'team_membership', `${nurses.id}:${nurse.id}`],
      ['team.created', 'team', reception.id],
      ['team.escalation_pathway_set', 'team', reception.id],
    ]);
    for (const [i, event] of events.entries()) {
      expect(event).toMatchObject({
        actorUserId: coordinatorUserId,
        outcome: 'success',
        patientId: null,
        requestId: requestIds[i],
        chainKey: `organisation:${organisation.id}`,
      });
      expect(event.actorLabel).toContain(coordinator.name);
    }
    expect(events[1]!.details).toEqual({ fields: ['contactable'] });
    expect(events[3]!.details).toEqual({ role: 'member', contactable: true });
    expect(events[5]!.details).toEqual({ steps: 1 });
    expect(
      await withTransaction(t.db, (tx) => verifyAuditChain(tx, `organisation:${organisation.id}`)),
    ).toEqual({ ok: true, length: 6 });
  });

  it('changes a member’s role, then removes them, auditing both', async () => {
    const { organisation, adminTeam, client } = await organisationWithCoordinator();
    const team = await createTeam(t.db, organisation.id);
    const person = await createProfessional(t.db, organisation.id, [
      { teamId: team.id, role: 'member' },
    ]);
    const changed = await client.request({
      method: 'PUT',
      url: `/api/v1/teams/${team.id}/members/${person.id}`,
      payload: { role: 'manager', contactable: false },
    });
    expect(changed.json()).toMatchObject({ role: 'manager' });
    const removed = await client.request({
      method: 'DELETE',
      url: `/api/v1/teams/${team.id}/members/${person.id}`,
    });
    expect(removed.statusCode).toBe(204);
    expect(removed.body).toBe('');
    const rows = await t.db
      .select()
      .from(teamMemberships)
      .where(eq(teamMemberships.teamId, team.id));
    expect(rows).toEqual([]);
    expect((await auditOf(organisation.id)).map((e) => e.action)).toEqual([
      'team.member_changed',
      'team.member_removed',
    ]);
    expect(adminTeam.organisationId).toBe(organisation.id);
  });

  it('replaces a pathway wholesale, second line before third, and an empty one clears it', async () => {
    const { organisation, client } = await organisationWithCoordinator();
    const [reception, nurses, consultants] = await Promise.all(
      ['Reception', 'Nurses', 'Consultants'].map((name) =>
        createTeam(t.db, organisation.id, { name }),
      ),
    );
    const elsewhere = await createOrganisation(t.db);
    const specialist = await createProfessional(t.db, elsewhere.id);
    const url = `/api/v1/teams/${reception!.id}/escalation-pathway`;
    const first = await client.request({
      method: 'PUT',
      url,
      payload: {
        steps: [
          { line: 2, teamId: nurses!.id },
          { line: 3, teamId: consultants!.id },
          { line: 3, professionalId: specialist.id },
        ],
      },
    });
    expect(
      first
        .json<{ escalationPathway: PathwayStep[] }>()
        .escalationPathway.map((s) => [s.line, s.target.id]),
    ).toEqual([
      [2, nurses!.id],
      [3, consultants!.id],
      [3, specialist.id],
    ]);
    const second = await client.request({
      method: 'PUT',
      url,
      payload: { steps: [{ line: 2, teamId: consultants!.id }] },
    });
    expect(
      second.json<{ escalationPathway: PathwayStep[] }>().escalationPathway.map((s) => s.target.id),
    ).toEqual([consultants!.id]);
    const cleared = await client.request({ method: 'PUT', url, payload: { steps: [] } });
    expect(cleared.json()).toEqual({ escalationPathway: [] });
    const detail = (
      await client.request({ method: 'GET', url: `/api/v1/teams/${reception!.id}` })
    ).json<TeamDetail>();
    expect(detail.escalationPathway).toEqual([]);
  });
});

describe('an organisation keeps at least one coordinator (team.last_coordinator)', () => {
  it('refuses removing or demoting the last coordinator, and allows it once there is another', async () => {
    const { organisation, adminTeam, coordinator, client } = await organisationWithCoordinator();
    const self = `/api/v1/teams/${adminTeam.id}/members/${coordinator.id}`;
    await expectRefused(
      t.db,
      client,
      { method: 'DELETE', url: self },
      { status: 409, code: 'team.last_coordinator' },
    );
    await expectRefused(
      t.db,
      client,
      { method: 'PUT', url: self, payload: { role: 'manager', contactable: false } },
      { status: 409, code: 'team.last_coordinator' },
    );

    // A coordinator elsewhere does not count for this organisation.
    const otherOrganisation = await createOrganisation(t.db);
    const otherTeam = await createTeam(t.db, otherOrganisation.id);
    await createProfessional(t.db, otherOrganisation.id, [
      { teamId: otherTeam.id, role: 'coordinator' },
    ]);
    await expectRefused(
      t.db,
      client,
      { method: 'DELETE', url: self },
      { status: 409, code: 'team.last_coordinator' },
    );

    // The same person coordinating through a second team of the organisation does count.
    const second = await createTeam(t.db, organisation.id);
    const appointed = await client.request({
      method: 'PUT',
      url: `/api/v1/teams/${second.id}/members/${coordinator.id}`,
      payload: { role: 'coordinator', contactable: false },
    });
    expect(appointed.statusCode).toBe(200);
    expect((await client.request({ method: 'DELETE', url: self })).statusCode).toBe(204);
    await expectRefused(
      t.db,
      client,
      { method: 'DELETE', url: `/api/v1/teams/${second.id}/members/${coordinator.id}` },
      { status: 409, code: 'team.last_coordinator' },
    );
  });

  it('a coordinator who hands over loses the rights on their very next request', async () => {
    const { organisation, adminTeam, coordinator, client } = await organisationWithCoordinator();
    const successor = await createProfessional(t.db, organisation.id);
    const handover = await client.request({
      method: 'PUT',
      url: `/api/v1/teams/${adminTeam.id}/members/${successor.id}`,
      payload: { role: 'coordinator', contactable: false },
    });
    expect(handover.statusCode).toBe(200);
    const stepDown = await client.request({
      method: 'PUT',
      url: `/api/v1/teams/${adminTeam.id}/members/${coordinator.id}`,
      payload: { role: 'member', contactable: false },
    });
    expect(stepDown.statusCode).toBe(200);
    await expectRefused(
      t.db,
      client,
      {
        method: 'POST',
        url: `/api/v1/organisations/${organisation.id}/teams`,
        payload: { name: 'Too late', slug: `too-late-${unique()}`, contactable: true },
      },
      { status: 403, code: 'team.forbidden' },
    );
  });

  // Two coordinators in different teams each remove the other at the same moment: each
  // transaction sees the other coordinator still there unless the check is serialised.
  it('keeps one coordinator when the last two remove each other concurrently', async () => {
    for (let round = 0; round < 5; round++) {
      const organisation = await createOrganisation(t.db);
      const [teamA, teamB] = [
        await createTeam(t.db, organisation.id),
        await createTeam(t.db, organisation.id),
      ];
      const a = await createProfessional(t.db, organisation.id, [
        { teamId: teamA.id, role: 'coordinator' },
      ]);
      const b = await createProfessional(t.db, organisation.id, [
        { teamId: teamB.id, role: 'coordinator' },
      ]);
      const [clientA, clientB] = [await signInAs(t.app, a.email), await signInAs(t.app, b.email)];
      const responses = await Promise.all([
        clientA.request({ method: 'DELETE', url: `/api/v1/teams/${teamB.id}/members/${b.id}` }),
        clientB.request({ method: 'DELETE', url: `/api/v1/teams/${teamA.id}/members/${a.id}` }),
      ]);
      const coordinators = await t.db
        .select()
        .from(teamMemberships)
        .innerJoin(teams, eq(teams.id, teamMemberships.teamId))
        .where(
          and(eq(teams.organisationId, organisation.id), eq(teamMemberships.role, 'coordinator')),
        );
      expect(coordinators, responses.map((r) => r.statusCode).join(',')).toHaveLength(1);
    }
  });

  // Coordinators in an inactive team hold no rights (membershipsOf skips inactive teams), so
  // deactivating the team of the last coordinators leaves nobody able to configure it.
  it('refuses deactivating the team that holds the organisation’s only coordinator', async () => {
    const { adminTeam, client } = await organisationWithCoordinator();
    await expectRefused(
      t.db,
      client,
      { method: 'PATCH', url: `/api/v1/teams/${adminTeam.id}`, payload: { active: false } },
      { status: 409, code: 'team.last_coordinator' },
    );
  });

  it('does not count a coordinator whose account is inactive', async () => {
    const { organisation, adminTeam, coordinator, client } = await organisationWithCoordinator();
    await createProfessional(
      t.db,
      organisation.id,
      [{ teamId: adminTeam.id, role: 'coordinator' }],
      { active: false },
    );
    await expectRefused(
      t.db,
      client,
      { method: 'DELETE', url: `/api/v1/teams/${adminTeam.id}/members/${coordinator.id}` },
      { status: 409, code: 'team.last_coordinator' },
    );
  });
});

describe('team memberships and organisations', () => {
  it('a coordinator may add a professional employed by another organisation', async () => {
    const { organisation, client } = await organisationWithCoordinator();
    const team = await createTeam(t.db, organisation.id);
    const visitor = await createProfessional(t.db, (await createOrganisation(t.db)).id);
    const response = await client.request({
      method: 'PUT',
      url: `/api/v1/teams/${team.id}/members/${visitor.id}`,
      payload: { role: 'member', contactable: false },
    });
    expect(response.statusCode).toBe(200);
    const [row] = await t.db
      .select()
      .from(teamMemberships)
      .where(
        and(eq(teamMemberships.teamId, team.id), eq(teamMemberships.professionalId, visitor.id)),
      );
    expect(row).toMatchObject({ role: 'member', contactable: false });
  });
});
