import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomTestNhsNumber } from '../../../../test/factories';
import type { TestApp } from '../../../../test/test-app';
import type { DemoPerson } from '../../demo/demo-idp-people';
import {
  type LoopbackServer,
  PUBLIC_URL,
  signInThrough,
  startNhsLoginWorld,
} from './oidc.test-support';

const START = '/api/v1/oidc/nhs-login/start';
let t: TestApp;
let server: LoopbackServer;
const people: DemoPerson[] = [];

function person(): DemoPerson {
  const sub = crypto.randomUUID();
  const created: DemoPerson = {
    sub,
    label: `Person ${sub.slice(0, 4)}`,
    hint: 'P9',
    claims: {
      nhs_number: randomTestNhsNumber(),
      identity_proofing_level: 'P9',
      vot: 'P9.Cp.Cd',
      birthdate: '1980-04-01',
      given_name: 'Rhian',
      family_name: `Test${sub.slice(0, 6)}`,
      email: `${sub.slice(0, 8)}@example.test`,
      email_verified: true,
    },
  };
  people.push(created);
  return created;
}

// The provider's people are fixed when it starts: make them first.
const tab = person();
const newline = person();
const plain = person();

beforeAll(async () => {
  ({ t, server } = await startNhsLoginWorld(people));
});
afterAll(async () => {
  await t.close();
  await server.close();
});

/** Where a browser goes on the Location given: WHATWG URL parsing, as every browser does. */
const browserGoesTo = (location: string) => new URL(location, PUBLIC_URL);

describe('where a sign-in returns to: a page of this app, never another site', () => {
  it('keeps a path of the app, with its query', async () => {
    const returnTo = '/conversations/new?team=abc';
    const result = await signInThrough(
      t.app,
      `${START}?returnTo=${encodeURIComponent(returnTo)}`,
      plain.sub,
    );
    expect(result.location).toBe(returnTo);
  });

  it('does not send the browser to another site with a tab hidden in "//" (browsers drop tabs in URLs)', async () => {
    const result = await signInThrough(
      t.app,
      `${START}?returnTo=${encodeURIComponent('/\t/evil.example/phish')}`,
      tab.sub,
    );
    expect(result.session).not.toBeNull();
    expect(browserGoesTo(result.location).origin).toBe(PUBLIC_URL);
    expect(result.location).toBe('/');
  });

  it.each([
    ['a line break', '/\r\nSet-Cookie: x=1'],
    ['a character a Location header cannot carry', '/conversations?q=日本'],
  ])(
    'signs in and lands on the home page when the return path has %s, rather than failing',
    async (_what, returnTo) => {
      const result = await signInThrough(
        t.app,
        `${START}?returnTo=${encodeURIComponent(returnTo)}`,
        newline.sub,
      );
      expect(result.session).not.toBeNull();
      expect(result.location).toBe('/');
    },
  );
});
