import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig } from '@playwright/test';

const PORT = 3100;
// A fresh embedded database for every run, so journeys never depend on leftovers.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'carethread-e2e-'));

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // A guard against a journey that hangs, not a speed check (speed is `npm run bench`). Journeys
  // are whole visits by several people with an axe scan on each page; on a busy two-core CI
  // machine the longest take well over a minute, so one generous limit serves them all.
  timeout: 180_000,
  reporter: [['list']],
  use: {
    baseURL: `http://localhost:${PORT}`,
    headless: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: 'npx tsx src/server/main.ts',
    url: `http://localhost:${PORT}/readyz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // CARETHREAD_TEST_CLOCK: journeys may move the server's clock ("7 days later").
    env: {
      PORT: String(PORT),
      DATA_DIR: dataDir,
      CARETHREAD_TEST_CLOCK: 'true',
      // Every journey signs in from the same loopback address.
      SIGN_IN_ATTEMPTS_PER_ADDRESS: '10000',
    },
  },
});
