import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page } from '@playwright/test';

export const PASSWORD = 'carethread-demo';
export const COORDINATOR = 'coordinator@demo.carethread.test';
export const PATIENT_P9 = 'patient.p9@demo.carethread.test';
export const PATIENT_P5 = 'patient.p5@demo.carethread.test';

/** Runs axe on the page as it is now and fails on any violation, listing them readably. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
  );
  expect(summary, `axe violations on ${page.url()}`).toEqual([]);
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/sign-in');
  await expect(
    page.getByRole('heading', { level: 1, name: 'Sign in to Carethread' }),
  ).toBeVisible();
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

/**
 * Records anything that breaks the self-hosting and CSP rules: requests to other hosts
 * (fonts, analytics, CDNs) and Content-Security-Policy violations.
 */
export function watchPolicy(page: Page): { external: string[]; csp: string[] } {
  const external: string[] = [];
  const csp: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    // data: and blob: (object URLs the page made itself, e.g. previews) never leave the machine.
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (!['localhost', '127.0.0.1'].includes(url.hostname)) external.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      csp.push(message.text());
    }
  });
  return { external, csp };
}

/** A POST to the API as the page's signed-in person, with their CSRF token; it must succeed. */
export async function apiPost(page: Page, url: string, data?: object) {
  const { csrfToken } = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
  };
  const response = await page.request.post(url, {
    headers: { 'x-csrf-token': csrfToken },
    ...(data ? { data } : {}),
  });
  const text = await response.text();
  expect(response.ok(), text).toBe(true);
  return (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>;
}

/**
 * The signed-in patient invites `email` as a carer who may send messages, and the carer,
 * signed in on `carer`, accepts with the code: returns whose carer they are and the consent.
 */
export async function makeCarer(patient: Page, carer: Page, email: string) {
  const { code } = await apiPost(patient, '/api/v1/carer-invitations', { email, level: 'message' });
  const accepted = await apiPost(carer, '/api/v1/carer-invitations/accept', { code });
  return {
    patientId: (accepted.patient as { id: string }).id,
    consentId: accepted.consentId as string,
  };
}

/** A carer tries a code that no longer works: the same refusal as an expired or used one. */
export async function expectInvitationCodeRefused(carer: Page, code: string) {
  await carer.goto('/carers/accept');
  await carer.getByLabel('Invitation code').fill(code);
  await carer.getByRole('button', { name: 'Accept invitation' }).click();
  const summary = carer.locator('.nhsuk-error-summary');
  await expect(summary).toBeFocused();
  await expect(summary).toContainText('This invitation has expired, been used or been cancelled');
  await expect(carer.getByRole('heading', { level: 1 })).toHaveText('Accept a carer invitation');
}

/** The patient writes to Cardiology Nurses and PALS; returns the thread and the nurses' id. */
export async function writeToNursesAndPals(patient: Page, subject: string, body: string) {
  const recipients = (await (await patient.request.get('/api/v1/me/recipients')).json()) as {
    teams: { id: string; name: string }[];
  };
  const teamId = (name: string) => recipients.teams.find((t) => t.name === name)!.id;
  const nurses = teamId('Cardiology Nurses');
  const { id } = (await apiPost(patient, '/api/v1/conversations', {
    subject,
    body,
    recipients: [{ teamId: nurses }, { teamId: teamId('PALS') }],
  })) as { id: string };
  return { id, nurses };
}

/** Each person works in their own browser context: their own cookies and session. */
export async function personPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, email);
  return page;
}

/** Signed-in staff open a patient's record with Find a patient; returns its address. */
export async function openRecord(page: Page, nhsNumber: string, patientName: string) {
  await page
    .getByRole('navigation', { name: 'Menu' })
    .getByRole('link', { name: 'Find a patient' })
    .click();
  await page.getByLabel('NHS number').fill(nhsNumber);
  await page.getByRole('button', { name: 'Find the record' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(patientName);
  return page.url();
}

/** A signed-in patient sends a new message to one team and lands on its thread. */
export async function sendNewMessage(
  page: Page,
  teamName: string,
  subject: string,
  body: string,
): Promise<void> {
  await writeNewMessage(page, teamName, subject, body);
  await page.getByRole('button', { name: 'Send message' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(subject);
}

/** A signed-in patient starts a new message to one team and fills it in, without sending. */
export async function writeNewMessage(
  page: Page,
  teamName: string,
  subject: string,
  body: string,
): Promise<void> {
  await page.getByRole('link', { name: 'Send a new message' }).click();
  await page
    .getByRole('group', { name: 'Who do you want to send your message to?' })
    .getByRole('checkbox', { name: teamName })
    .check();
  await page.getByLabel('Subject').fill(subject);
  await page.getByLabel('Your message').fill(body);
}

/** Chooses a file under a message box and waits until it has uploaded and is listed. */
export async function attachToMessage(
  page: Page,
  file: { name: string; mimeType: string; buffer: Buffer },
): Promise<void> {
  await page.getByLabel('Attach a file (optional)').setInputFiles(file);
  await expect(
    page
      .getByRole('list', { name: 'Files attached to your message' })
      .getByRole('button', { name: `Remove ${file.name}` }),
  ).toBeVisible({ timeout: 20_000 });
}

/** Moves the server's clock (CARETHREAD_TEST_CLOCK, set by playwright.config.ts). */
export async function advanceServerClock(page: Page, ms: number): Promise<void> {
  const response = await page.request.post('/__test/clock', { data: { advanceMs: ms } });
  expect(response.status()).toBe(200);
}

/**
 * From now on, notes every live region (`role="status"`, `aria-live`) added to the page with
 * words already in it: screen readers often stay silent about those. Call the answer to read
 * what was noted. Survives in-app navigation, not a page load.
 */
export async function watchFilledLiveRegions(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const noted: string[] = [];
    const live = '[role="status"], [aria-live]';
    new MutationObserver((records) => {
      for (const record of records) {
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          const regions = [...(node.matches(live) ? [node] : []), ...node.querySelectorAll(live)];
          for (const region of regions) {
            const words = region.textContent?.trim();
            if (words) noted.push(words);
          }
        }
      }
    }).observe(document.body, { childList: true, subtree: true });
    (window as unknown as { filledLiveRegions: string[] }).filledLiveRegions = noted;
  });
  return () =>
    page.evaluate(() => (window as unknown as { filledLiveRegions: string[] }).filledLiveRegions);
}

/** The coordinator's own API calls, with the CSRF token their session gives. */
export async function asCoordinator(page: Page) {
  const session = (await (await page.request.get('/api/v1/session')).json()) as {
    csrfToken: string;
    user: { coordinatorOf: { id: string }[] };
  };
  const headers = { 'X-CSRF-Token': session.csrfToken };
  return {
    organisationId: session.user.coordinatorOf[0]!.id,
    post: (url: string, data: object) => page.request.post(url, { headers, data }),
    put: (url: string, data: object) => page.request.put(url, { headers, data }),
    patch: (url: string, data: object) => page.request.patch(url, { headers, data }),
  };
}

/**
 * Runs the page's installed clock on a second at a time (up to `ms`) until its sign-in page
 * shows. The page shows why it signed someone out for 10 seconds of its own time after the
 * session ends; running the whole span at once could pass that before the sign-in page draws.
 */
export async function runClockUntilSignIn(page: Page, ms = 30_000): Promise<void> {
  const signIn = page.getByRole('heading', { level: 1, name: /Sign in/ });
  for (let ran = 0; ran < ms; ran += 1_000) {
    if (await signIn.isVisible()) return;
    await page.clock.runFor(1_000);
  }
}
