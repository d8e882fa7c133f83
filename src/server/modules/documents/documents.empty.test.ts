import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpload, makePdf, stagingFiles, upload } from '../../../../test/documents-world';
import { createPersonaWorld, type PersonaWorld } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

/**
 * An empty file is refused as the upload is created, with its own stable code, before a
 * document is recorded or a byte staged: not accepted first and then rejected as
 * "not the type its name says" (decision 0015). Nothing is written, so nothing is audited (C4).
 */

let t: TestApp;
let world: PersonaWorld;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createPersonaWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const count = async (table: string) =>
  (
    (await t.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`)) as {
      rows: { n: number }[];
    }
  ).rows[0]?.n;

describe('an empty file (decision 0015)', () => {
  it.each(['record', 'message'])(
    'for the %s is refused up front: 400 document.empty, nothing recorded, nothing staged',
    async (purpose) => {
      const documents = await count('documents');
      const audits = await count('audit_events');
      const response = await createUpload(
        world.clients.patientRegistered,
        { patientId: world.people.patientRegistered.id, filename: 'empty.pdf', purpose },
        0,
      );
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({
        code: 'document.empty',
        detail: 'The selected file is empty.',
      });
      expect(await count('documents')).toBe(documents);
      expect(await count('audit_events')).toBe(audits);
      expect(await stagingFiles(t)).toEqual([]);
    },
  );

  it('a file of one byte or more is still taken', async () => {
    const id = await upload(
      world.clients.patientRegistered,
      { patientId: world.people.patientRegistered.id, filename: 'letter.pdf' },
      await makePdf(),
    );
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('is described in the OpenAPI document as a refusal of the upload', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/openapi.json' });
    expect(response.body).toContain('document.empty');
  });
});
