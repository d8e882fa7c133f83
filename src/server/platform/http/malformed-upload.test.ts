import { afterAll, describe, expect, it } from 'vitest';
import { changedTables, fingerprint } from '../../../../test/database-fingerprint';
import { MARK } from '../../../../test/openapi-operations';
import { judge } from '../../../../test/openapi-probes';
import { createPersonaWorld } from '../../../../test/personas';
import { buildTestApp } from '../../../../test/test-app';

/**
 * The malformed-input sweep (malformed-input.test.ts) for the one operation whose input the
 * API document cannot describe: a tus upload's creation takes headers, which the document
 * gives as plain strings. Each malformed one is refused with a 4xx problem, never a 5xx,
 * without echoing the bad value, and changes nothing (DESIGN §5 and §6, decision 0004).
 */

const t = await buildTestApp();
afterAll(() => t.close());
const world = await createPersonaWorld(t.app, t.db);

describe('a malformed tus upload creation (uploadDocument)', () => {
  const meta = (pairs: Record<string, string>) =>
    Object.entries(pairs)
      .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
      .join(',');
  const good = { patientId: world.people.patientRegistered.id, filename: 'letter.pdf' };
  const PROBES: [string, Record<string, string>][] = [
    ['no Upload-Length', { 'upload-metadata': meta(good) }],
    ...['abc', '-1', '1e3', '1.5', ' 5', '9'.repeat(30), ''].map(
      (length): [string, Record<string, string>] => [
        `Upload-Length ${JSON.stringify(length)}`,
        { 'upload-length': length, 'upload-metadata': meta(good) },
      ],
    ),
    ['no metadata', { 'upload-length': '10' }],
    ['metadata not base64', { 'upload-length': '10', 'upload-metadata': `patientId ${MARK}!!` }],
    ['metadata of one word', { 'upload-length': '10', 'upload-metadata': MARK }],
    [
      'patientId not an id',
      { 'upload-length': '10', 'upload-metadata': meta({ ...good, patientId: MARK }) },
    ],
    [
      'filename blank',
      { 'upload-length': '10', 'upload-metadata': meta({ ...good, filename: '  ' }) },
    ],
    [
      'filename NUL',
      { 'upload-length': '10', 'upload-metadata': meta({ ...good, filename: '\u0000' }) },
    ],
    [
      'purpose unknown',
      { 'upload-length': '10', 'upload-metadata': meta({ ...good, purpose: MARK }) },
    ],
    [
      'title too long',
      {
        'upload-length': '10',
        'upload-metadata': meta({ ...good, title: MARK + 'x'.repeat(300) }),
      },
    ],
    [
      'teamId not an id',
      { 'upload-length': '10', 'upload-metadata': meta({ ...good, teamId: MARK }) },
    ],
  ];

  it('refuses each with a 4xx problem and changes nothing', async () => {
    const before = await fingerprint(t.db);
    const failures: string[] = [];
    for (const [name, headers] of PROBES) {
      const response = await world.clients.member.request({
        method: 'POST',
        url: '/api/v1/uploads',
        headers: { 'tus-resumable': '1.0.0', ...headers },
      });
      const why = judge(response, '/api/v1/uploads', {
        name,
        request: {},
        changesNothing: true,
        expected: [{ status: 400 }, { status: 413, code: 'document.too_large' }],
      });
      if (why !== null) failures.push(`${name}: ${why}`);
    }
    expect(failures).toEqual([]);
    expect(changedTables(before, await fingerprint(t.db))).toEqual([]);
  });
});
