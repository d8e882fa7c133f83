import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app';
import { createUpload, makePdf, patchUpload, settled } from '../../../../test/documents-world';
import { createPersonaWorld, type PersonaWorld } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { loadConfig } from '../../platform/config/config';
import type { Client } from '../../../../test/http';

let t: TestApp;
let world: PersonaWorld;
let dataDir: string;

beforeAll(async () => {
  // An instance whose storage is down (nothing listens on port 9): a check cannot finish.
  dataDir = mkdtempSync(path.join(tmpdir(), 'carethread-recovery-'));
  t = await buildTestApp({
    env: {
      DATA_DIR: dataDir,
      DOCUMENT_STORAGE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9',
      S3_BUCKET: 'documents',
      S3_ACCESS_KEY_ID: 'test',
      S3_SECRET_ACCESS_KEY: 'test-secret',
    },
  });
  world = await createPersonaWorld(t.app, t.db);
});
afterAll(async () => {
  await t?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const statusOf = async (documentId: string) =>
  (
    (await t.db.execute(sql`select status from documents where id = ${documentId}`)) as {
      rows: { status: string }[];
    }
  ).rows[0]?.status;

describe('documents left checking by a stop are checked again at start-up', () => {
  it('an acknowledged upload is not lost: the next instance checks it and makes it available', async () => {
    const patient = world.clients.patientRegistered;
    const pdf = await makePdf();
    const created = await createUpload(
      patient,
      { patientId: world.people.patientRegistered.id, filename: 'kept.pdf' },
      pdf.length,
    );
    const location = String(created.headers.location);
    const documentId = location.split('/').pop() ?? '';
    // The last byte is acknowledged (204): from here the document must not be lost.
    expect((await patchUpload(patient, location, 0, pdf)).statusCode).toBe(204);
    await t.app.close(); // the instance stops with the check unfinished
    expect(await statusOf(documentId)).toBe('checking');

    // The next start, on the same database and data directory, with working storage.
    const config = loadConfig({ NODE_ENV: 'test', WEB_ROOT: 'test/no-web-app', DATA_DIR: dataDir });
    const next = await buildApp({ db: t.db, config, clock: t.clock.now });
    await next.ready();
    try {
      const again: Client = {
        ...patient,
        request: (options) =>
          next.inject({
            ...options,
            headers: {
              cookie: patient.cookie,
              'x-csrf-token': patient.csrfToken,
              ...(options.headers ?? {}),
            },
          }),
      };
      const document = await settled(again, documentId);
      expect(document).toMatchObject({ status: 'available', kind: 'pdf', sizeBytes: pdf.length });
      const content = await again.request({
        method: 'GET',
        url: `/api/v1/documents/${documentId}/content`,
      });
      expect(content.rawPayload.equals(pdf)).toBe(true);
    } finally {
      await next.close();
    }
  });
});
