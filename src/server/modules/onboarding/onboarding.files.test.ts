import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOrganisation,
  createProfessional,
  createTeam,
  randomTestNhsNumber,
} from '../../../../test/factories';
import { signIn } from '../../../../test/http';
import { buildTestApp, type TestApp } from '../../../../test/test-app';
import { queryRows } from '../../platform/db/database';
import type { ImportResult } from './onboarding.contracts';

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(() => t.close());

const unique = () => crypto.randomUUID().slice(0, 8);

async function world() {
  const organisation = await createOrganisation(t.db);
  const admin = await createTeam(t.db, organisation.id, { name: 'Admin', contactable: false });
  const nurses = await createTeam(t.db, organisation.id, { slug: `nurses-${unique()}` });
  const coordinator = await createProfessional(t.db, organisation.id, [
    { teamId: admin.id, role: 'coordinator' },
  ]);
  const client = await signIn(t.app, coordinator.email);
  const post = (kind: 'staff' | 'patients', csv: string) =>
    client.request({
      method: 'POST',
      url: `/api/v1/organisations/${organisation.id}/imports/${kind}`,
      payload: { csv },
    });
  return { organisation, nurses, post };
}

async function counts(organisationId: string) {
  const [row] = await queryRows<{
    professionals: number;
    patients: number;
    imports: number;
    rejections: number;
  }>(
    t.db,
    sql`select (select count(*)::int from professionals) as professionals,
               (select count(*)::int from patients) as patients,
               (select count(*)::int from onboarding_imports) as imports,
               (select count(*)::int from audit_events
                 where organisation_id = ${organisationId}
                   and action = 'onboarding.import_rejected') as rejections`,
  );
  return row!;
}

describe('a file that is not readable text is refused as a whole, with a clear 4xx (decision 0012)', () => {
  it('a NUL character in a cell is “cannot be read as CSV”, not a server error, and is audited', async () => {
    const w = await world();
    const before = await counts(w.organisation.id);
    const response = await w.post(
      'staff',
      `Name,Job title,Email,Team,Role,Contactable\r\nAl\u0000ex Ward,Nurse,alex.${unique()}@trust.nhs.uk,${w.nurses.slug},member,no\r\n`,
    );
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ code: string }>().code).toBe('onboarding.file_unreadable');
    const after = await counts(w.organisation.id);
    expect(after).toEqual({ ...before, rejections: before.rejections + 1 });
  });

  it('a spreadsheet saved as UTF-16 (“Unicode text”) is refused as unreadable, not checked row by row', async () => {
    const w = await world();
    const csv = [
      'NHS number,Given name,Family name,Date of birth,Email',
      `${randomTestNhsNumber()},Ada,Lovelace,1970-01-31,`,
    ].join('\r\n');
    // What the browser reads from such a file as UTF-8 text.
    const asRead = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]).toString(
      'utf8',
    );
    const response = await w.post('patients', asRead);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'onboarding.file_unreadable',
      detail: expect.stringContaining('CSV UTF-8') as unknown,
    });
  });
});

describe('accented names arrive as written, or the file is refused (decision 0012)', () => {
  it('a file that was not UTF-8 (its letters read as U+FFFD) is refused as a whole, not imported spoiled', async () => {
    const w = await world();
    const before = await counts(w.organisation.id);
    // “Siân Müller” saved by a spreadsheet as Windows “ANSI”, then read as UTF-8 text.
    const asRead = Buffer.from(
      `NHS number,Given name,Family name,Date of birth,Email\r\n${randomTestNhsNumber()},Siân,Müller,1980-02-01,\r\n`,
      'latin1',
    ).toString('utf8');
    expect(asRead).toContain('\uFFFD');
    const response = await w.post('patients', asRead);
    expect(response.statusCode, response.body).toBe(400);
    expect(response.json<{ code: string; detail: string }>()).toMatchObject({
      code: 'onboarding.file_not_utf8',
      detail: expect.stringContaining('CSV UTF-8') as unknown,
    });
    const after = await counts(w.organisation.id);
    expect(after).toEqual({ ...before, rejections: before.rejections + 1 });
  });

  it('a name written with combining accents (as a Mac may save it) is kept in one form, so the same person matches again', async () => {
    const w = await world();
    const nhsNumber = randomTestNhsNumber();
    const header = 'NHS number,Given name,Family name,Date of birth,Email';
    const decomposed = `${header}\r\n${nhsNumber},Sia\u0302n,Llwy\u0302d,1980-02-01,\r\n`;
    const first = await w.post('patients', decomposed);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<ImportResult>().outcome).toBe('imported');
    const [stored] = await queryRows<{ given_name: string; family_name: string }>(
      t.db,
      sql`select given_name, family_name from patients where nhs_number = ${nhsNumber}`,
    );
    expect(stored).toEqual({ given_name: 'Siân', family_name: 'Llwŷd' });
    // The same person typed on Windows (composed letters) is the patient already there.
    const again = await w.post('patients', `${header}\r\n${nhsNumber},Siân,Llwŷd,1980-02-01,\r\n`);
    expect(again.json<ImportResult>()).toMatchObject({
      outcome: 'imported',
      counts: { alreadyPresent: 1, created: 0 },
    });
  });
});

describe('dates of birth are judged by the UK calendar (BST and GMT alike)', () => {
  it('a baby born today is accepted just after midnight in summer, when UTC is still yesterday', async () => {
    // 00:30 on 2 June 2027 in the UK (BST) is 23:30 on 1 June in UTC.
    t.clock.advance(new Date('2027-06-01T23:30:00Z').getTime() - t.clock.now().getTime());
    const fresh = await world();
    const response = await fresh.post(
      'patients',
      `NHS number,Given name,Family name,Date of birth,Email\r\n${randomTestNhsNumber()},Baby,Born,2027-06-02,\r\n`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<ImportResult>();
    expect(result.problems).toEqual([]);
    expect(result.outcome).toBe('imported');
    // Tomorrow (UK) is still refused.
    const tomorrow = await fresh.post(
      'patients',
      `NHS number,Given name,Family name,Date of birth,Email\r\n${randomTestNhsNumber()},Not,Yet,2027-06-03,\r\n`,
    );
    expect(tomorrow.json<ImportResult>().problems.map((p) => p.code)).toEqual([
      'onboarding.date_of_birth_out_of_range',
    ]);
  });
});
