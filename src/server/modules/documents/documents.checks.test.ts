import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dicomStudy, encodeDicom } from '../../../../test/dicom';
import {
  makePdf,
  makeZip,
  settled,
  stagingEmptied,
  upload,
  type ZipEntry,
} from '../../../../test/documents-world';
import { createPersonaWorld, type PersonaWorld } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { EICAR } from '../../platform/scanning/eicar-scanner';

let t: TestApp;
let world: PersonaWorld;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createPersonaWorld(t.app, t.db);
});
afterAll(async () => t?.close());

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Uploads as Medical Records would (the care team's member) and waits for the checks. */
async function check(fileName: string, bytes: Buffer) {
  const documentId = await upload(
    world.clients.member,
    { patientId: world.people.patientRegistered.id, filename: fileName },
    bytes,
  );
  const document = await settled(world.clients.member, documentId);
  await stagingEmptied(t);
  return document;
}

const download = (documentId: string) =>
  world.clients.patientRegistered.request({
    method: 'GET',
    url: `/api/v1/documents/${documentId}/content`,
  });

/** A ZIP whose entry names yazl would refuse: made with placeholders, then patched in. */
async function zipWithNames(names: string[]): Promise<Buffer> {
  const placeholders = names.map((name, i) => `${String(i).padStart(name.length, 'Q')}`);
  let zip = await makeZip(
    placeholders.map((name) => ({ name, bytes: Buffer.from('x'), compress: false })),
  );
  names.forEach((name, i) => {
    const from = Buffer.from(placeholders[i] ?? '', 'latin1');
    const to = Buffer.from(name, 'latin1');
    for (let at = zip.indexOf(from); at !== -1; at = zip.indexOf(from, at + 1)) {
      to.copy(zip, at);
    }
  });
  return (zip = Buffer.from(zip));
}

describe('checks of uploaded documents: accepted', () => {
  it('a real PDF is available, downloadable as an attachment with the safe headers, audited', async () => {
    const pdf = await makePdf('Clinic letter');
    const document = await check('Clinic "letter"\r\n 2026.pdf', pdf);
    expect(document).toMatchObject({ status: 'available', kind: 'pdf', sha256: sha256(pdf) });
    expect(document.fileName).toBe('Clinic letter 2026.pdf');

    const response = await download(document.id);
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload.equals(pdf)).toBe(true);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="Clinic letter 2026.pdf"; filename*=UTF-8''Clinic%20letter%202026.pdf`,
    );
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe('sandbox');
    expect(response.headers['cache-control']).toBe('no-store');

    const audit = (await t.db.execute(
      sql`select action, outcome from audit_events where entity_id = ${document.id} order by occurred_at, seq`,
    )) as { rows: { action: string; outcome: string }[] };
    // Every poll of getDocument is a read of its own; consecutive ones are folded here.
    const actions = audit.rows.map((r) => r.action).filter((a, i, all) => a !== all[i - 1]);
    expect(audit.rows.every((r) => r.outcome === 'success')).toBe(true);
    expect(actions.filter((a) => a !== 'document.read')).toEqual([
      'document.upload_created',
      'document.upload_completed',
      'document.accepted',
      'document.downloaded',
    ]);
    expect(actions.slice(-2)).toEqual(['document.read', 'document.downloaded']);
  });

  it('a non-ASCII file name downloads with an ASCII fallback and the exact name in filename*', async () => {
    const document = await check('Résumé – scan.pdf', await makePdf());
    const response = await download(document.id);
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="Resume  scan.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%E2%80%93%20scan.pdf`,
    );
  });

  it('a ZIP of a generated DICOM study is accepted with the study summary from its headers', async () => {
    const study = dicomStudy({
      modality: 'CT',
      studyDate: '20261102',
      studyDescription: 'CT HEAD WITHOUT CONTRAST',
      series: 2,
      imagesPerSeries: 3,
    });
    const zip = await makeZip([
      ...study,
      { name: 'STUDY/README.txt', bytes: Buffer.from('Exported study') },
    ]);
    const document = await check('ct-head.zip', zip);
    expect(document).toMatchObject({
      status: 'available',
      kind: 'zip',
      mediaType: 'application/zip',
      sha256: sha256(zip),
      studySummary: {
        modalities: ['CT'],
        studyDate: '2026-11-02',
        studyDescription: 'CT HEAD WITHOUT CONTRAST',
        seriesCount: 2,
        imageCount: 6,
      },
    });
  });

  it('a single DICOM file is a dicom document with its summary', async () => {
    const [image] = dicomStudy({
      modality: 'MR',
      studyDate: '20260704',
      studyDescription: 'MRI KNEE',
      series: 1,
      imagesPerSeries: 1,
    });
    const document = await check('IMG0001', image?.bytes ?? Buffer.alloc(0));
    expect(document).toMatchObject({
      status: 'available',
      kind: 'dicom',
      mediaType: 'application/dicom',
      studySummary: { modalities: ['MR'], studyDate: '2026-07-04', seriesCount: 1, imageCount: 1 },
    });
  });
});

describe('checks of uploaded documents: refused, nothing kept, never downloadable', () => {
  async function expectRejected(fileName: string, bytes: Buffer, code: string) {
    const document = await check(fileName, bytes);
    expect(document).toMatchObject({ status: 'rejected', rejectionCode: code, kind: null });
    const response = await download(document.id);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'document.not_available' });
    const [row] = (
      (await t.db.execute(sql`select storage_key from documents where id = ${document.id}`)) as {
        rows: { storage_key: string | null }[];
      }
    ).rows;
    expect(row?.storage_key).toBeNull();
  }

  it('an HTML page named .pdf is a type mismatch', async () => {
    await expectRejected(
      'results.pdf',
      Buffer.from('<!doctype html><html><script>alert(1)</script></html>'),
      'document.type_mismatch',
    );
  });

  it('a PDF named .png is a type mismatch; an HTML page named .html is not allowed', async () => {
    await expectRejected('photo.png', await makePdf(), 'document.type_mismatch');
    await expectRejected('page.html', Buffer.from('<html></html>'), 'document.type_not_allowed');
  });

  it('a zip bomb: one highly compressible large entry exceeds the compression ratio', async () => {
    const zip = await makeZip([{ name: 'zeros.bin', bytes: Buffer.alloc(32 * 1024 * 1024) }]);
    expect(zip.length).toBeLessThan(200_000);
    await expectRejected('bomb.zip', zip, 'document.zip_ratio_exceeded');
  });

  it('a zip bomb of many small entries is judged from the central directory, before anything is inflated', async () => {
    // Each entry is below the per-entry floor; together they inflate 700 times their size.
    // The last would be refused only once inflated: the bomb must be found before it.
    const inner = await makeZip([{ name: 'inner.txt', bytes: Buffer.from('hello') }]);
    const zip = await makeZip([
      ...Array.from({ length: 40 }, (_, i) => ({
        name: `zeros-${i}.bin`,
        bytes: Buffer.alloc(64 * 1024),
      })),
      { name: 'inner.zip', bytes: inner, compress: false },
    ]);
    await expectRejected('small-bombs.zip', zip, 'document.zip_ratio_exceeded');
  });

  it('a zip bomb: more entries than allowed', async () => {
    const entries: ZipEntry[] = Array.from({ length: 10_001 }, (_, i) => ({
      name: `e${i}.txt`,
      bytes: Buffer.from('x'),
      compress: false,
    }));
    await expectRejected('many.zip', await makeZip(entries), 'document.zip_too_many_entries');
  });

  it('entries with `..`, absolute paths, drive letters or backslashes are unsafe paths', async () => {
    for (const name of ['../../etc/cron.d/x', '/etc/passwd', 'C:/Windows/x.dll', 'a\\..\\b.txt']) {
      await expectRejected(
        'paths.zip',
        await zipWithNames(['ok.txt', name]),
        'document.zip_unsafe_path',
      );
    }
  });

  it('a symlink entry is refused', async () => {
    const zip = await makeZip([
      { name: 'ok.txt', bytes: Buffer.from('fine') },
      { name: 'link', bytes: Buffer.from('/etc/passwd'), mode: 0o120777 },
    ]);
    await expectRejected('links.zip', zip, 'document.zip_symlink');
  });

  it('a zip inside the zip is nested too deep', async () => {
    const inner = await makeZip([{ name: 'inner.txt', bytes: Buffer.from('hello') }]);
    await expectRejected(
      'nested.zip',
      await makeZip([{ name: 'inner.zip', bytes: inner }]),
      'document.zip_nested_too_deep',
    );
  });

  it('something that only looks like a ZIP is invalid', async () => {
    const zip = await makeZip([{ name: 'a.txt', bytes: Buffer.from('hello world') }]);
    await expectRejected('broken.zip', zip.subarray(0, zip.length - 10), 'document.zip_invalid');
  });

  it('the EICAR test string is quarantined: kept apart, never downloadable', async () => {
    const bytes = Buffer.concat([await makePdf(), Buffer.from('\n'), EICAR, Buffer.from('\n')]);
    const document = await check('eicar.pdf', bytes);
    expect(document).toMatchObject({ status: 'quarantined', rejectionCode: 'document.infected' });
    const response = await download(document.id);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ code: 'document.not_available' });
    const [row] = (
      (await t.db.execute(sql`select storage_key from documents where id = ${document.id}`)) as {
        rows: { storage_key: string | null }[];
      }
    ).rows;
    expect(row?.storage_key).toBe(`quarantine/${document.id}`);
    const audit = (await t.db.execute(
      sql`select count(*)::int as n from audit_events where entity_id = ${document.id} and action = 'document.quarantined'`,
    )) as { rows: { n: number }[] };
    expect(audit.rows[0]?.n).toBe(1);
  });

  it('a ZIP that puts "DICM" at offset 128 (in its first entry’s name) is still inspected as a ZIP', async () => {
    // The local header is 30 bytes, so the name's 99th byte sits at offset 128.
    const name = `../${'a'.repeat(95)}DICM.txt`;
    const zip = await zipWithNames([name]);
    expect(zip.subarray(128, 132).toString('latin1')).toBe('DICM');
    await expectRejected('study', zip, 'document.zip_unsafe_path');
  });

  it('"DICM" at offset 128 without readable DICOM headers is a type mismatch', async () => {
    const html = Buffer.from('<!doctype html><html><script>alert(1)</script></html>');
    const fake = Buffer.concat([Buffer.alloc(128), Buffer.from('DICM', 'latin1'), html]);
    await expectRejected('scan.dcm', fake, 'document.type_mismatch');
  });

  it('a ZIP whose local header names another path than its central directory is refused', async () => {
    const withLocalName = async (localName: string) => {
      const central = 'study/image-0001.dcm';
      expect(localName.length).toBe(central.length);
      const zip = await makeZip([{ name: central, bytes: Buffer.from('x'), compress: false }]);
      // The first occurrence is the local header's, the second the central directory's.
      const at = zip.indexOf(Buffer.from(central, 'latin1'));
      Buffer.from(localName, 'latin1').copy(zip, at);
      expect(zip.indexOf(Buffer.from(central, 'latin1'))).toBeGreaterThan(at);
      return zip;
    };
    await expectRejected(
      'lies.zip',
      await withLocalName('../../etc/cron.d/xyz'),
      'document.zip_unsafe_path',
    );
    await expectRejected(
      'lies.zip',
      await withLocalName('study/other-0001.dcm'),
      'document.zip_invalid',
    );
  });

  it('a ZIP whose central directory understates an entry’s size is invalid (sizes are enforced as it inflates)', async () => {
    const zip = await makeZip([{ name: 'notes.txt', bytes: Buffer.alloc(64 * 1024, 'abc') }]);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(zip.readUInt32LE(central + 24)).toBe(64 * 1024);
    zip.writeUInt32LE(10, central + 24); // uncompressed size: 10 bytes, it says
    await expectRejected('small.zip', zip, 'document.zip_invalid');
  });

  it('the EICAR test string compressed inside a ZIP is found by the built-in scanner too', async () => {
    const zip = await makeZip([
      { name: 'letter.txt', bytes: Buffer.from('Dear patient') },
      { name: 'tools/eicar.com', bytes: EICAR },
    ]);
    expect(zip.includes(EICAR)).toBe(false); // deflated: not in the archive's own bytes
    const document = await check('files.zip', zip);
    expect(document).toMatchObject({ status: 'quarantined', rejectionCode: 'document.infected' });
    expect((await download(document.id)).statusCode).toBe(409);
  });

  it('a DICOM file without its preamble is not a DICOM file, whatever its name', async () => {
    const image = encodeDicom({
      modality: 'CR',
      studyDate: '20260101',
      studyDescription: 'CHEST',
      studyInstanceUid: '1.2.3',
      seriesInstanceUid: '1.2.3.1',
      sopInstanceUid: '1.2.3.1.1',
    });
    await expectRejected('chest.dcm', image.subarray(132), 'document.type_mismatch');
  });
});
