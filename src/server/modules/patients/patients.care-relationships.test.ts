import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../platform/db/database';
import { consentUrl, consentWorld, type ConsentWorld } from '../../../../test/consent-world';
import { expectStatus } from '../../../../test/conversation-world';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

let t: TestApp;
let w: ConsentWorld;

beforeAll(async () => {
  t = await buildTestApp();
  w = await consentWorld(t.app, t.db);
});
afterAll(async () => t.close());

const careRelationship = (method: 'PUT' | 'DELETE') => ({
  method,
  url: `/api/v1/teams/${w.pals.id}/care-relationships/${w.margaret.id}`,
});

interface LogRow {
  who: string;
  team: string | null;
  what: string;
}

async function changesSeenByMargaret(): Promise<LogRow[]> {
  const log = await expectStatus(
    w.margaret.client,
    { method: 'GET', url: consentUrl.accessLog },
    200,
  );
  return log
    .json<{ items: LogRow[] }>()
    .items.filter((i) => /team access to your record|team’s access to your record/.test(i.what));
}

const auditedChanges = async () =>
  (
    await queryRows<{ n: number }>(
      t.db,
      sql`select count(*)::int as n from audit_events
          where patient_id = ${w.margaret.id} and action like 'care_relationship.%'`,
    )
  )[0]?.n ?? 0;

describe('a coordinator gives a team standing access to a record, or ends it (C2, C4)', () => {
  it('C4: the patient reads which team was given access and which lost it', async () => {
    await expectStatus(w.coordinator.client, careRelationship('PUT'), 204);
    await expectStatus(w.coordinator.client, careRelationship('DELETE'), 204);
    const [ended, given] = await changesSeenByMargaret();
    expect(given).toMatchObject({ what: 'Gave a team access to your record', team: 'PALS' });
    expect(ended).toMatchObject({ what: 'Ended a team’s access to your record', team: 'PALS' });
  });

  it('C4: doing it again changes nothing and writes nothing: no change the patient did not have', async () => {
    const before = await auditedChanges();
    await expectStatus(w.coordinator.client, careRelationship('DELETE'), 204);
    await expectStatus(w.coordinator.client, careRelationship('PUT'), 204);
    await expectStatus(w.coordinator.client, careRelationship('PUT'), 204);
    await Promise.all([
      w.coordinator.client.request(careRelationship('DELETE')),
      w.coordinator.client.request(careRelationship('DELETE')),
    ]);
    // One grant and one ending, each written once.
    expect(await auditedChanges()).toBe(before + 2);
    const seen = await changesSeenByMargaret();
    expect(seen.map((i) => i.what).slice(0, 2)).toEqual([
      'Ended a team’s access to your record',
      'Gave a team access to your record',
    ]);
    expect(seen).toHaveLength(4);
  });
});
