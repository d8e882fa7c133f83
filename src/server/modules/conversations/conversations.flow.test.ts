import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createPatient,
  createProfessional,
  createTeam,
} from '../../../../test/factories';
import { type Client, signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let nurses: { id: string };
let consultants: { id: string };
let patient: Client;
let nurseA: Client;
let nurseB: Client;
let consultant: Client;
let nurseAName: string;

beforeAll(async () => {
  t = await buildTestApp();
  const org = await createOrganisation(t.db);
  nurses = await createTeam(t.db, org.id, { name: 'Cardiology Nurses', contactable: true });
  consultants = await createTeam(t.db, org.id, {
    name: 'Cardiology Consultants',
    contactable: false,
  });
  const p = await createPatient(t.db, [org.id], { careTeamIds: [nurses.id] });
  const a = await createProfessional(t.db, org.id, [{ teamId: nurses.id, role: 'member' }], {
    name: 'Nurse Alpha',
  });
  const b = await createProfessional(t.db, org.id, [{ teamId: nurses.id, role: 'member' }], {
    name: 'Nurse Beta',
  });
  const c = await createProfessional(t.db, org.id, [{ teamId: consultants.id, role: 'member' }], {
    name: 'Dr Gamma',
  });
  nurseAName = a.name;
  patient = await signIn(t.app, p.email);
  nurseA = await signIn(t.app, a.email);
  nurseB = await signIn(t.app, b.email);
  consultant = await signIn(t.app, c.email);
});
afterAll(() => t.close());

const inbox = (client: Client, view: string) =>
  client
    .request({ method: 'GET', url: `/api/v1/teams/${nurses.id}/inbox?view=${view}` })
    .then((r) => {
      expect(r.statusCode).toBe(200);
      return r.json<{
        counts: Record<string, number>;
        items: { conversationId: string; assignee: { name: string } | null }[];
      }>();
    });

describe('the journey of one message (M1, W1, W2, W4, W5, M2, C3)', () => {
  it('goes from patient to team, is claimed, escalated, answered, archived and reopened', async () => {
    const refused = await patient.request({
      method: 'POST',
      url: '/api/v1/conversations',
      payload: { subject: 'Chest pain', body: 'Hello', recipients: [{ teamId: consultants.id }] },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json<{ code: string }>().code).toBe('conversation.recipient_not_contactable');

    const created = await patient.request({
      method: 'POST',
      url: '/api/v1/conversations',
      payload: {
        subject: 'Tablets',
        body: 'Should I take my tablets before the scan?',
        recipients: [{ teamId: nurses.id }],
      },
    });
    expect(created.statusCode).toBe(201);
    const conversationId = created.json<{ id: string }>().id;

    expect((await inbox(nurseB, 'unassigned')).items.map((i) => i.conversationId)).toEqual([
      conversationId,
    ]);

    const claim = await nurseA.request({
      method: 'PUT',
      url: `/api/v1/conversations/${conversationId}/teams/${nurses.id}/assignment`,
      payload: { assignee: 'me' },
    });
    expect(claim.statusCode).toBe(200);
    const others = await inbox(nurseB, 'others');
    expect(others.items[0]?.assignee?.name).toBe(nurseAName);
    expect(others.counts).toMatchObject({ unassigned: 0, others: 1, mine: 0 });

    // W2: the patient never sees who is assigned.
    const patientView = await patient.request({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}`,
    });
    expect(patientView.statusCode).toBe(200);
    expect(patientView.body).not.toContain(nurseAName);
    expect(patientView.json<{ teamWorkflow: unknown[] }>().teamWorkflow).toEqual([]);

    const suggestions = await nurseA.request({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}/participant-suggestions`,
    });
    expect(suggestions.statusCode).toBe(200);

    const added = await nurseA.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/participants`,
      payload: { teamId: consultants.id },
    });
    expect(added.statusCode).toBe(200);

    const reply = await consultant.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      payload: { body: 'Yes, take them as usual.' },
    });
    expect(reply.statusCode).toBe(201);
    expect(reply.json<{ seq: number }>().seq).toBe(2);

    const thread = await patient.request({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}`,
    });
    const messages = thread.json<{ messages: { body: string; authorName: string }[] }>().messages;
    expect(messages.map((m) => m.body)).toEqual([
      'Should I take my tablets before the scan?',
      'Yes, take them as usual.',
    ]);
    expect(messages[1]?.authorName).toContain('Dr Gamma');

    const archived = await nurseA.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/teams/${nurses.id}/archive`,
    });
    expect(archived.statusCode).toBe(204);
    expect((await inbox(nurseB, 'archived')).items).toHaveLength(1);
    expect((await inbox(nurseA, 'mine')).items).toHaveLength(0);

    const list = await patient.request({ method: 'GET', url: '/api/v1/me/conversations' });
    expect(list.statusCode).toBe(200);

    const again = await patient.request({
      method: 'POST',
      url: `/api/v1/conversations/${conversationId}/messages`,
      payload: { body: 'One more question.' },
    });
    expect(again.statusCode).toBe(201);
    for (const nurse of [nurseA, nurseB]) {
      const view = await inbox(nurse, 'unassigned');
      expect(view.items.map((i) => i.conversationId)).toEqual([conversationId]);
      expect(view.counts.archived).toBe(0);
    }

    const opened = await nurseB.request({
      method: 'GET',
      url: `/api/v1/conversations/${conversationId}`,
    });
    expect(opened.statusCode).toBe(200);
    const log = await patient.request({ method: 'GET', url: '/api/v1/me/access-log' });
    expect(log.statusCode).toBe(200);
    const entries = log.json<{ items: { who: string; what: string }[] }>().items;
    // Which conversation, by the subject the patient gave it.
    expect(entries[0]).toMatchObject({ what: 'Read a conversation', subject: 'Tablets' });
    expect(entries[0]?.who).toContain('Nurse Beta');
    // W2: assignment and archiving are the team's business, not in the patient's log.
    expect(JSON.stringify(entries)).not.toMatch(/assign|archiv/i);
  });
});
