import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

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
    if (url.protocol === 'data:') return;
    if (!['localhost', '127.0.0.1'].includes(url.hostname)) external.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      csp.push(message.text());
    }
  });
  return { external, csp };
}
