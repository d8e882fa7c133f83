import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pipeline } from 'node:stream/promises';
import { sql } from 'drizzle-orm';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dicomStudy } from '../../../../test/dicom';
import { createUpload, settled } from '../../../../test/documents-world';
import { createPersonaWorld, type PersonaWorld } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';

// Garbage is not growth: collect it before each sample, so what is measured is what is held.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
/** Memory the process holds: the JavaScript heap and the bytes of Buffers. */
const held = () => {
  collectGarbage();
  const usage = process.memoryUsage();
  return { rss: usage.rss, live: usage.heapUsed + usage.arrayBuffers };
};

const ENTRY_BYTES = 256 * 1024 * 1024;
// Well under the file, which buffering it would go past, and above what the process's own
// work moves by (the streams' buffers, the database driver's, the sampler's garbage): 64 MB
// was crossed by under 1 MB on PostgreSQL with nothing buffered.
const BOUND = 96 * 1024 * 1024;

let t: TestApp;
let world: PersonaWorld;
let scratch: string;

beforeAll(async () => {
  t = await buildTestApp();
  world = await createPersonaWorld(t.app, t.db);
  scratch = mkdtempSync(path.join(tmpdir(), 'carethread-large-'));
});
afterAll(async () => {
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** 64 KB chunks of varied bytes, made as they are read: the test holds none of it either. */
function generated(total: number): Readable {
  let made = 0;
  let seed = 1;
  return new Readable({
    read() {
      if (made >= total) return void this.push(null);
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, total - made));
      for (let i = 0; i < chunk.length; i += 4) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        chunk.writeUInt32LE(seed, i);
      }
      made += chunk.length;
      this.push(chunk);
    },
  });
}

describe('checking a large upload holds none of it in memory', () => {
  it(`a ${ENTRY_BYTES / 2 ** 20} MB zipped study is checked holding under ${BOUND / 2 ** 20} MB more memory`, async () => {
    const file = path.join(scratch, 'study.zip');
    const zip = new yazl.ZipFile();
    for (const image of dicomStudy({
      modality: 'CT',
      studyDate: '20261120',
      studyDescription: 'CT CHEST',
      series: 1,
      imagesPerSeries: 3,
    })) {
      zip.addBuffer(image.bytes, image.name);
    }
    zip.addReadStream(generated(ENTRY_BYTES), 'STUDY/RAW/volume.bin', {
      compress: false,
      size: ENTRY_BYTES,
    });
    zip.end();
    await pipeline(zip.outputStream, createWriteStream(file));
    const size = statSync(file).size;
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
    const sha256 = hash.digest('hex');

    const patient = world.clients.patientRegistered;
    const created = await createUpload(
      patient,
      { patientId: world.people.patientRegistered.id, filename: 'study.zip' },
      size,
    );
    const location = String(created.headers.location);

    const patched = await patient.request({
      method: 'PATCH',
      url: location,
      headers: {
        'tus-resumable': '1.0.0',
        'upload-offset': '0',
        'content-type': 'application/offset+octet-stream',
        'content-length': String(size),
      },
      payload: createReadStream(file),
    });
    expect(patched.statusCode, patched.body).toBe(204);

    // The check has just begun (the last byte queued it); sample until it has decided.
    const documentId = location.split('/').pop() ?? '';
    const [row] = (
      (await t.db.execute(sql`select status from documents where id = ${documentId}`)) as {
        rows: { status: string }[];
      }
    ).rows;
    expect(row?.status).toBe('checking');
    const baseline = held();
    let peak = baseline;
    const sampler = setInterval(() => {
      const now = held();
      peak = { rss: Math.max(peak.rss, now.rss), live: Math.max(peak.live, now.live) };
    }, 250);
    try {
      // Polled slowly: each poll is an audited read, and the embedded database's memory grows
      // with what it holds, which is not what is measured here.
      const document = await settled(patient, documentId, 1000);
      expect(document).toMatchObject({
        status: 'available',
        kind: 'zip',
        sizeBytes: size,
        sha256,
        studySummary: { modalities: ['CT'], imageCount: 3 },
      });
    } finally {
      clearInterval(sampler);
    }
    expect(peak.live - baseline.live).toBeLessThan(BOUND);
    // The process's resident size also counts memory the allocator keeps after it is freed,
    // so it gets twice the room — still under the file, which buffering it would blow through.
    expect(peak.rss - baseline.rss).toBeLessThan(2 * BOUND);
  }, 120_000);
});
