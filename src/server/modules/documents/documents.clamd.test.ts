import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePdf, settled, upload } from '../../../../test/documents-world';
import { startFakeClamd } from '../../../../test/fake-clamd';
import { createPersonaWorld, type PersonaWorld } from '../../../../test/personas';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { EICAR } from '../../platform/scanning/eicar-scanner';

let clamd: Awaited<ReturnType<typeof startFakeClamd>>;
let t: TestApp;
let world: PersonaWorld;

beforeAll(async () => {
  clamd = await startFakeClamd();
  t = await buildTestApp({ env: { CLAMD_HOST: '127.0.0.1', CLAMD_PORT: String(clamd.port) } });
  world = await createPersonaWorld(t.app, t.db);
});
afterAll(async () => {
  await t?.close();
  await clamd?.close();
});

describe('with CLAMD_HOST set, clamd scans every document', () => {
  it('sends the whole file over INSTREAM; a clean one is available, a flagged one quarantined', async () => {
    const patient = world.clients.patientRegistered;
    const metadata = { patientId: world.people.patientRegistered.id, filename: 'letter.pdf' };
    const clean = await makePdf('Clean');
    const cleanId = await upload(patient, metadata, clean);
    expect(await settled(patient, cleanId)).toMatchObject({ status: 'available' });
    expect(clamd.received.some((file) => file.equals(clean))).toBe(true);

    const flagged = Buffer.concat([await makePdf('Flagged'), EICAR]);
    const flaggedId = await upload(patient, metadata, flagged);
    expect(await settled(patient, flaggedId)).toMatchObject({
      status: 'quarantined',
      rejectionCode: 'document.infected',
    });
  });
});
