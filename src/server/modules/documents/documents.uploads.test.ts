import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createUpload,
  headUpload,
  makePdf,
  patchUpload,
  settled,
  stagingEmptied,
  stagingFiles,
  upload,
} from '../../../../test/documents-world';
import { createPersonaWorld, type PersonaWorld } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

const MAX_BYTES = 2 * 1024 * 1024;
let t: TestApp;
let world: PersonaWorld;

beforeAll(async () => {
  t = await buildTestApp({ env: { DOCUMENT_MAX_BYTES: String(MAX_BYTES) } });
  world = await createPersonaWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const count = async (table: string) =>
  (
    (await t.db.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`)) as {
      rows: { n: number }[];
    }
  ).rows[0]?.n;

describe('resumable uploads (tus) of documents', () => {
  it('a patient uploads a real PDF: created under the document id, checked, available', async () => {
    const patient = world.clients.patientRegistered;
    const pdf = await makePdf();
    const created = await createUpload(
      patient,
      { patientId: world.people.patientRegistered.id, filename: 'Letter.pdf' },
      pdf.length,
    );
    expect(created.statusCode, created.body).toBe(201);
    const location = String(created.headers.location);
    expect(location).toMatch(/^\/api\/v1\/uploads\/[0-9a-f-]{36}$/);
    const documentId = location.split('/').pop() ?? '';
    const patched = await patchUpload(patient, location, 0, pdf);
    expect(patched.statusCode, patched.body).toBe(204);

    const document = await settled(patient, documentId);
    expect(document).toMatchObject({
      id: documentId,
      status: 'available',
      kind: 'pdf',
      mediaType: 'application/pdf',
      sizeBytes: pdf.length,
      sha256: sha256(pdf),
      title: 'Letter.pdf',
      fileName: 'Letter.pdf',
      rejectionCode: null,
    });
    await stagingEmptied(t);
  });

  it('an upload interrupted half-way resumes from HEAD’s offset and ends with the right SHA-256', async () => {
    const patient = world.clients.patientRegistered;
    const pdf = Buffer.concat([await makePdf('A scanned letter'), Buffer.alloc(300_000, 0x20)]);
    const created = await createUpload(
      patient,
      { patientId: world.people.patientRegistered.id, filename: 'scan.pdf', title: 'Scan' },
      pdf.length,
    );
    const location = String(created.headers.location);
    const half = Math.floor(pdf.length / 2);
    expect((await patchUpload(patient, location, 0, pdf.subarray(0, half))).statusCode).toBe(204);

    const head = await headUpload(patient, location);
    expect(head.statusCode).toBe(200);
    expect(Number(head.headers['upload-offset'])).toBe(half);
    expect(Number(head.headers['upload-length'])).toBe(pdf.length);
    // Still uploading: nothing is checked or downloadable yet.
    const documentId = location.split('/').pop() ?? '';
    const during = await patient.request({ method: 'GET', url: `/api/v1/documents/${documentId}` });
    expect(during.json()).toMatchObject({ status: 'uploading', sha256: null });

    const rest = await patchUpload(patient, location, half, pdf.subarray(half));
    expect(rest.statusCode, rest.body).toBe(204);
    const document = await settled(patient, documentId);
    expect(document).toMatchObject({ status: 'available', title: 'Scan', sha256: sha256(pdf) });
    await stagingEmptied(t);
  });

  it('refuses a file over DOCUMENT_MAX_BYTES with 413 document.too_large and leaves nothing behind', async () => {
    const before = await count('documents');
    const response = await createUpload(
      world.clients.patientRegistered,
      { patientId: world.people.patientRegistered.id, filename: 'huge.pdf' },
      MAX_BYTES + 1,
    );
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'document.too_large' });
    expect(await count('documents')).toBe(before);
    expect(await stagingFiles(t)).toEqual([]);
  });

  it('refuses missing or malformed metadata with 400 document.invalid_metadata', async () => {
    const patientId = world.people.patientRegistered.id;
    const cases: Record<string, string>[] = [
      { filename: 'a.pdf' },
      { patientId, filename: '  ' },
      { patientId: 'not-a-uuid', filename: 'a.pdf' },
      { patientId, filename: 'a.pdf', conversationId: 'nope' },
      { patientId, filename: 'a.pdf', teamId: world.otherTeam.id },
    ];
    for (const metadata of cases) {
      const response = await createUpload(world.clients.patientRegistered, metadata, 10);
      expect(response.statusCode, JSON.stringify(metadata)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json()).toMatchObject({ code: 'document.invalid_metadata' });
    }
    const noLength = await world.clients.patientRegistered.request({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { 'tus-resumable': '1.0.0', 'upload-defer-length': '1' },
    });
    expect(noLength.json()).toMatchObject({ code: 'document.invalid_metadata' });
    expect(await stagingFiles(t)).toEqual([]);
  });

  it('cleans the title of NUL and control characters as it cleans file names', async () => {
    const patient = world.clients.patientRegistered;
    const patientId = world.people.patientRegistered.id;
    const pdf = await makePdf();
    const cleaned = await upload(
      patient,
      {
        patientId,
        filename: 'le\u0000tter\u0007.pdf',
        title: ' Clinic\u0000 letter\u001b  03/2026\u0085 ',
      },
      pdf,
    );
    expect(await settled(patient, cleaned)).toMatchObject({
      title: 'Clinic letter 03/2026',
      fileName: 'letter.pdf',
    });
    // A title of nothing but control characters is no title: the file name stands in.
    const blank = await upload(
      patient,
      { patientId, filename: 'scan.pdf', title: '\u0000\t\u0001' },
      pdf,
    );
    expect((await settled(patient, blank)).title).toBe('scan.pdf');
  });

  it('counts a title in characters: a long file name of emoji is its own title, not a refusal', async () => {
    const patient = world.clients.patientRegistered;
    const patientId = world.people.patientRegistered.id;
    // 200 characters once cut to length, but 400 UTF-16 code units.
    const emoji = '\u{1F4C4}'.repeat(250);
    const created = await createUpload(patient, { patientId, filename: `${emoji}.pdf` }, 10);
    expect(created.statusCode, created.body).toBe(201);
    const typed = await createUpload(
      patient,
      { patientId, filename: 'scan.pdf', title: '\u{1F4C4}'.repeat(200) },
      10,
    );
    expect(typed.statusCode, typed.body).toBe(201);
    const tooLong = await createUpload(
      patient,
      { patientId, filename: 'scan.pdf', title: 'x'.repeat(201) },
      10,
    );
    expect(tooLong.statusCode).toBe(400);
    for (const response of [created, typed]) {
      const id = String(response.headers.location).split('/').pop() ?? '';
      expect(
        (await patient.request({ method: 'DELETE', url: `/api/v1/documents/${id}` })).statusCode,
      ).toBe(204);
    }
  });

  it('needs a session and the CSRF token', async () => {
    const metadata = { patientId: world.people.patientRegistered.id, filename: 'a.pdf' };
    const anonymous = await createUpload(world.clients.anonymous, metadata, 10);
    expect(anonymous.statusCode).toBe(401);
    const noToken = await createUpload(world.clients.patientRegistered, metadata, 10, {
      'x-csrf-token': 'wrong',
    });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.json()).toMatchObject({ code: 'auth.csrf_failed' });
  });

  it('only the uploader continues an upload; others cannot see or send its bytes', async () => {
    const pdf = await makePdf();
    const created = await createUpload(
      world.clients.member,
      { patientId: world.people.patientRegistered.id, filename: 'notes.pdf' },
      pdf.length,
    );
    expect(created.statusCode, created.body).toBe(201);
    const location = String(created.headers.location);
    // The manager sees the record (same care team) but did not start this upload.
    const manager = await patchUpload(world.clients.manager, location, 0, pdf);
    expect(manager.statusCode).toBe(403);
    expect(manager.json()).toMatchObject({ code: 'document.upload_forbidden' });
    // Someone who cannot see the record is told nothing about it.
    const stranger = await patchUpload(world.clients.patientNotRegistered, location, 0, pdf);
    expect(stranger.statusCode).toBe(404);
    expect((await headUpload(world.clients.coordinatorElsewhere, location)).statusCode).toBe(404);
    expect((await headUpload(world.clients.member, location)).headers['upload-offset']).toBe('0');
    const documentId = await upload(
      world.clients.member,
      { patientId: world.people.patientRegistered.id, filename: 'notes.pdf' },
      pdf,
    );
    expect((await settled(world.clients.member, documentId)).uploadedBy).toContain('Care team');
  });
});

describe('an upload is reached only by its own address (C2, C4)', () => {
  it('a query string naming another upload reaches neither its offset, its metadata nor its bytes', async () => {
    const pdf = await makePdf('Discharge letter');
    const half = Math.floor(pdf.length / 2);
    // The care team's member is part-way through a letter for the registered patient.
    const theirs = await createUpload(
      world.clients.member,
      { patientId: world.people.patientRegistered.id, filename: 'Discharge letter.pdf' },
      pdf.length,
    );
    const theirLocation = String(theirs.headers.location);
    expect(
      (await patchUpload(world.clients.member, theirLocation, 0, pdf.subarray(0, half))).statusCode,
    ).toBe(204);
    // Another patient starts an upload to their own record, then aims at the letter.
    const mine = await createUpload(
      world.clients.patientNotRegistered,
      { patientId: world.people.patientNotRegistered.id, filename: 'mine.pdf' },
      pdf.length,
    );
    expect(mine.statusCode, mine.body).toBe(201);
    const crafted = `${String(mine.headers.location)}?x=${theirLocation}`;

    const head = await headUpload(world.clients.patientNotRegistered, crafted);
    expect(head.headers['upload-offset']).toBe('0');
    expect(String(head.headers['upload-metadata'] ?? '')).not.toContain(
      Buffer.from('Discharge letter.pdf').toString('base64'),
    );
    const patched = await patchUpload(
      world.clients.patientNotRegistered,
      crafted,
      half,
      pdf.subarray(half),
    );
    expect(patched.statusCode).not.toBe(204);

    // The letter is untouched: still half-way, and its uploader finishes it.
    expect((await headUpload(world.clients.member, theirLocation)).headers['upload-offset']).toBe(
      String(half),
    );
    expect(
      (await patchUpload(world.clients.member, theirLocation, half, pdf.subarray(half))).statusCode,
    ).toBe(204);
    const letter = await settled(world.clients.member, theirLocation.split('/').pop() ?? '');
    expect(letter).toMatchObject({ status: 'available', sha256: sha256(pdf) });
  });
});

describe('documents in the OpenAPI document', () => {
  it('describes the upload (tus creation), the download and the reads', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json<{
      paths: Record<
        string,
        Record<
          string,
          {
            operationId?: string;
            parameters?: { name: string; in: string }[];
            responses: Record<string, { content?: Record<string, unknown> }>;
          }
        >
      >;
    }>();
    const upload = doc.paths['/api/v1/uploads']?.post;
    expect(upload?.operationId).toBe('uploadDocument');
    const headers = (upload?.parameters ?? []).filter((p) => p.in === 'header').map((p) => p.name);
    expect(headers).toEqual(
      expect.arrayContaining(['tus-resumable', 'upload-length', 'upload-metadata', 'x-csrf-token']),
    );
    expect(Object.keys(upload?.responses ?? {})).toEqual(
      expect.arrayContaining(['201', '400', '401', '403', '404', '413']),
    );
    const download = doc.paths['/api/v1/documents/{documentId}/content']?.get;
    expect(download?.operationId).toBe('downloadDocument');
    expect(Object.keys(download?.responses['200']?.content ?? {})).toEqual([
      'application/octet-stream',
    ]);
    expect(Object.keys(download?.responses['409']?.content ?? {})).toEqual(['application/json']);
    expect(doc.paths['/api/v1/documents/{documentId}']?.get?.operationId).toBe('getDocument');
    const withdraw = doc.paths['/api/v1/documents/{documentId}']?.delete;
    expect(withdraw?.operationId).toBe('withdrawDocument');
    expect(Object.keys(withdraw?.responses ?? {})).toEqual(
      expect.arrayContaining(['204', '403', '404', '409']),
    );
    expect(doc.paths['/api/v1/patients/{patientId}/documents']?.get?.operationId).toBe(
      'listPatientDocuments',
    );
    // tus's PATCH and HEAD are protocol, not operations of their own.
    expect(doc.paths['/api/v1/uploads/{uploadId}']).toBeUndefined();
  });
});
