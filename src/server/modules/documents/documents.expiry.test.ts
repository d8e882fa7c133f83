import { existsSync } from 'node:fs';
import { utimes } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUpload, makePdf, patchUpload } from '../../../../test/documents-world';
import { createPersonaWorld, signInAs, type PersonaWorld } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { ABANDONED_AFTER_MS, expireAbandonedUploads } from './documents.expiry';

let t: TestApp;
let world: PersonaWorld;
const HOUR_MS = 60 * 60 * 1000;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createPersonaWorld(t.app, t.db);
});
afterAll(() => t.close());

const stagingDir = () => path.join(t.deps.config.dataDir, 'uploads');

const rowOf = async (documentId: string) =>
  (
    (await t.db.execute(
      sql`select status, rejection_code from documents where id = ${documentId}`,
    )) as { rows: { status: string; rejection_code: string | null }[] }
  ).rows[0];

const expiredAudits = async (documentId: string) =>
  (
    (await t.db.execute(
      sql`select count(*)::int as n from audit_events where action = 'document.upload_expired' and entity_id = ${documentId}`,
    )) as { rows: { n: number }[] }
  ).rows[0]?.n;

/** Starts an upload as the patient and sends only its first half. */
async function halfUpload() {
  const pdf = await makePdf();
  const created = await createUpload(
    world.clients.patientRegistered,
    { patientId: world.people.patientRegistered.id, filename: 'half.pdf' },
    pdf.length,
  );
  const location = String(created.headers.location);
  const half = pdf.subarray(0, Math.floor(pdf.length / 2));
  const patched = await patchUpload(world.clients.patientRegistered, location, 0, half);
  expect(patched.statusCode).toBe(204);
  return { location, documentId: location.split('/').pop() ?? '', pdf, half };
}

describe('uploads abandoned half-way are given up after 7 days', () => {
  it('a recent one stays; one untouched for 7 days is rejected, audited and its bytes removed', async () => {
    const abandoned = await halfUpload();
    const staged = path.join(stagingDir(), abandoned.documentId);
    expect(existsSync(staged)).toBe(true);
    expect(await expireAbandonedUploads(t.deps, stagingDir())).toBe(0);
    expect((await rowOf(abandoned.documentId))?.status).toBe('uploading');

    const resumedLately = await halfUpload();
    // Staged files carry the time of their last write; the test clock is not the file
    // system's, so both are set here in the app's time.
    const startedAt = t.clock.now();
    await utimes(staged, startedAt, startedAt);
    t.clock.advance(ABANDONED_AFTER_MS + HOUR_MS);
    // Someone added bytes an hour ago: that upload is still alive.
    const anHourAgo = new Date(t.clock.now().getTime() - HOUR_MS);
    await utimes(path.join(stagingDir(), resumedLately.documentId), anHourAgo, anHourAgo);

    expect(await expireAbandonedUploads(t.deps, stagingDir())).toBe(1);
    expect(await rowOf(abandoned.documentId)).toEqual({
      status: 'rejected',
      rejection_code: 'document.upload_expired',
    });
    expect(await expiredAudits(abandoned.documentId)).toBe(1);
    expect(existsSync(staged)).toBe(false);
    expect(existsSync(`${staged}.json`)).toBe(false);
    expect((await rowOf(resumedLately.documentId))?.status).toBe('uploading');

    // The uploader coming back much later is told the upload is over, and nothing changes.
    const patient = await signInAs(t.app, world.people.patientRegistered.email);
    const late = await patchUpload(
      patient,
      abandoned.location,
      abandoned.half.length,
      abandoned.pdf.subarray(abandoned.half.length),
    );
    expect(late.statusCode).toBe(409);
    expect(late.json<{ code: string }>().code).toBe('document.upload_finished');
    expect((await rowOf(abandoned.documentId))?.status).toBe('rejected');
    // A second sweep finds nothing more to do.
    expect(await expireAbandonedUploads(t.deps, stagingDir())).toBe(0);
  });
});
