import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const SECRET = 's'.repeat(32);
const PRODUCTION = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://carethread@db.internal:5432/carethread',
  SESSION_SECRET: SECRET,
  SMTP_URL: 'smtp://relay.internal:587',
  PUBLIC_URL: 'https://carethread.example.nhs.uk',
};

/** The problems loadConfig reports for an environment, or [] when it accepts it. */
function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('loadConfig', () => {
  it('runs the demo with no configuration at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: 'localhost',
      port: 3000,
      databaseUrl: null,
      demoSeed: true,
      logLevel: 'info',
    });
    expect(config.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(config.dataDir).toBe(path.resolve('data'));
    expect(config.webRoot).toBe(path.resolve('dist/web'));
  });

  it('is silent under test unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).logLevel).toBe('silent');
    expect(loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
  });

  it('reads every setting it is given', () => {
    const config = loadConfig({
      ...PRODUCTION,
      HOST: '0.0.0.0',
      PORT: '8080',
      DATA_DIR: '/var/lib/carethread',
      LOG_LEVEL: 'warn',
      WEB_ROOT: '/srv/web',
      DEMO_SEED: 'false',
      TRUST_PROXY_HOPS: '2',
      MAIL_FROM: 'Carethread <notifications@example.nhs.uk>',
      STAFF_SSO_ISSUERS: 'https://login.microsoftonline.com/t/v2.0/',
    });
    expect(config).toEqual({
      nodeEnv: 'production',
      host: '0.0.0.0',
      port: 8080,
      dataDir: '/var/lib/carethread',
      databaseUrl: PRODUCTION.DATABASE_URL,
      sessionSecret: SECRET,
      totpEncryptionKey: null,
      demoSeed: false,
      logLevel: 'warn',
      webRoot: '/srv/web',
      trustProxyHops: 2,
      signInAttemptsPerAddress: 30,
      smtpUrl: PRODUCTION.SMTP_URL,
      mailFrom: 'Carethread <notifications@example.nhs.uk>',
      publicUrl: PRODUCTION.PUBLIC_URL,
      mailCapture: false,
      oidc: {
        demoIdp: false,
        nhsLogin: null,
        keys: {},
        staffIssuers: ['https://login.microsoftonline.com/t/v2.0'],
      },
      documents: {
        maxBytes: 10 * 1024 ** 3,
        quota: { maxUploads: 20, maxBytes: 40 * 1024 ** 3 },
        storage: { kind: 'fs' },
        clamd: null,
        zip: { maxEntries: 10_000, maxUncompressedBytes: 20 * 1024 ** 3, maxRatio: 100 },
      },
      testClock: false,
    });
  });

  it('refuses a proxy hop count that is not a small whole number', () => {
    for (const value of ['-1', 'all', '10', '1.5']) {
      expect(() => loadConfig({ TRUST_PROXY_HOPS: value })).toThrow(/TRUST_PROXY_HOPS/);
    }
  });

  it('lets a site raise the sign-in attempts allowed from one address, within reason', () => {
    expect(loadConfig({}).signInAttemptsPerAddress).toBe(30);
    expect(loadConfig({ SIGN_IN_ATTEMPTS_PER_ADDRESS: '500' }).signInAttemptsPerAddress).toBe(500);
    for (const value of ['0', '-5', 'many', '1000000', '2.5']) {
      expect(() => loadConfig({ SIGN_IN_ATTEMPTS_PER_ADDRESS: value })).toThrow(
        /SIGN_IN_ATTEMPTS_PER_ADDRESS/,
      );
    }
  });

  it('accepts a complete production configuration and seeds nothing by default', () => {
    const config = loadConfig(PRODUCTION);
    expect(config.nodeEnv).toBe('production');
    expect(config.demoSeed).toBe(false);
    expect(config.logLevel).toBe('info');
    expect(config.sessionSecret).toBe(SECRET);
  });

  it('accepts postgresql:// as well as postgres://', () => {
    const url = 'postgresql://u:p@localhost/db';
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('treats blank values as absent', () => {
    const config = loadConfig({ DATABASE_URL: '  ', SESSION_SECRET: '', DEMO_SEED: '' });
    expect(config.databaseUrl).toBeNull();
    expect(config.demoSeed).toBe(true);
  });

  it.each([
    ['1', true],
    ['TRUE', true],
    ['yes', true],
    ['0', false],
    ['False', false],
    ['no', false],
  ])('reads DEMO_SEED=%s as %s', (raw, expected) => {
    expect(loadConfig({ DEMO_SEED: raw }).demoSeed).toBe(expected);
  });
});

describe('loadConfig refuses', () => {
  it('production without DATABASE_URL, naming it', () => {
    const problems = problemsOf({ ...PRODUCTION, DATABASE_URL: undefined });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DATABASE_URL is required in production/);
  });

  it('production without SESSION_SECRET, naming it', () => {
    const problems = problemsOf({ ...PRODUCTION, SESSION_SECRET: undefined });
    expect(problems).toEqual(['SESSION_SECRET is required in production']);
    // A blank one is no better.
    expect(problemsOf({ ...PRODUCTION, SESSION_SECRET: '   ' })).toEqual([
      'SESSION_SECRET is required in production',
    ]);
  });

  it('a session secret shorter than 32 characters, in any environment', () => {
    const message = 'SESSION_SECRET must be at least 32 characters long';
    expect(problemsOf({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(31) })).toEqual([message]);
    expect(problemsOf({ SESSION_SECRET: 'short' })).toEqual([message]);
    expect(
      loadConfig({ ...PRODUCTION, SESSION_SECRET: 'x'.repeat(32) }).sessionSecret,
    ).toHaveLength(32);
  });

  it('a TOTP encryption key shorter than 32 characters; without one, none (SESSION_SECRET is used)', () => {
    expect(problemsOf({ TOTP_ENCRYPTION_KEY: 'x'.repeat(31) })).toEqual([
      'TOTP_ENCRYPTION_KEY must be at least 32 characters long',
    ]);
    expect(loadConfig({ TOTP_ENCRYPTION_KEY: 'k'.repeat(32) }).totpEncryptionKey).toBe(
      'k'.repeat(32),
    );
    expect(loadConfig({}).totpEncryptionKey).toBeNull();
  });

  it('a movable test clock in production, naming CARETHREAD_TEST_CLOCK; off unless asked for', () => {
    const problems = problemsOf({ ...PRODUCTION, CARETHREAD_TEST_CLOCK: 'true' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^CARETHREAD_TEST_CLOCK is for browser tests/);
    expect(loadConfig({}).testClock).toBe(false);
    expect(loadConfig({ CARETHREAD_TEST_CLOCK: 'true' }).testClock).toBe(true);
  });

  it('demo seeding in production, naming DEMO_SEED', () => {
    const problems = problemsOf({ ...PRODUCTION, DEMO_SEED: 'true' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DEMO_SEED cannot be enabled in production/);
  });

  it.each(['abc', '-1', '65536', '3000.5', '', ' 80', '0x50'])('PORT=%j', (port) => {
    const problems = problemsOf({ PORT: port });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^PORT must be a whole number from 0 to 65535/);
    expect(problems[0]).toContain(`"${port}"`);
  });

  it.each(['mysql://localhost/db', 'localhost:5432', 'file:./data', 'POSTGRES-ish'])(
    'DATABASE_URL=%s',
    (url) => {
      expect(problemsOf({ DATABASE_URL: url })).toEqual([
        'DATABASE_URL must be a postgres:// or postgresql:// connection string',
      ]);
    },
  );

  it('an unknown NODE_ENV, LOG_LEVEL or DEMO_SEED', () => {
    expect(problemsOf({ NODE_ENV: 'prod' })).toEqual([
      'NODE_ENV must be development, test or production (got "prod")',
    ]);
    expect(problemsOf({ LOG_LEVEL: 'verbose' })[0]).toMatch(/^LOG_LEVEL must be one of /);
    expect(problemsOf({ DEMO_SEED: 'maybe' })).toEqual([
      'DEMO_SEED must be true or false (got "maybe")',
    ]);
  });

  it('does not quote a rejected DATABASE_URL, which may carry a password', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://admin:hunter2@db/x' });
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('with every problem at once, in one message', () => {
    let caught: unknown;
    try {
      loadConfig({
        NODE_ENV: 'production',
        PORT: 'eighty',
        SESSION_SECRET: 'short',
        DEMO_SEED: 'yes',
        LOG_LEVEL: 'loud',
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const error = caught as ConfigError;
    expect(error.name).toBe('ConfigError');
    const names = error.problems.map((p) => p.split(' ')[0]);
    expect(names).toEqual([
      'PORT',
      'DATABASE_URL',
      'SESSION_SECRET',
      'DEMO_SEED',
      'LOG_LEVEL',
      'SMTP_URL',
      'PUBLIC_URL',
    ]);
    for (const problem of error.problems) expect(error.message).toContain(problem);
    expect(error.message).toMatch(/^Invalid configuration:\n {2}- /);
  });

  it('production with a missing database, secret, mail server and public URL, all reported', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'DATABASE_URL',
      'SESSION_SECRET',
      'SMTP_URL',
      'PUBLIC_URL',
    ]);
  });
});

describe('mail settings', () => {
  it('capture email in the demo, linking to the local server', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      smtpUrl: null,
      mailCapture: true,
      publicUrl: 'http://localhost:3000',
      mailFrom: 'Carethread <no-reply@localhost>',
    });
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('send through SMTP_URL when it is set, in any environment', () => {
    for (const url of ['smtp://localhost:1025', 'smtps://user:pass@smtp.example.nhs.uk:465']) {
      const config = loadConfig({ SMTP_URL: url });
      expect(config.smtpUrl).toBe(url);
      expect(config.mailCapture).toBe(false);
    }
  });

  it('take the From domain from PUBLIC_URL, and drop its trailing slash', () => {
    const config = loadConfig({ PUBLIC_URL: 'https://carethread.example.nhs.uk/' });
    expect(config.publicUrl).toBe('https://carethread.example.nhs.uk');
    expect(config.mailFrom).toBe('Carethread <no-reply@carethread.example.nhs.uk>');
    expect(loadConfig({ MAIL_FROM: 'alerts@trust.nhs.uk' }).mailFrom).toBe('alerts@trust.nhs.uk');
  });

  it('never capture in production', () => {
    expect(loadConfig(PRODUCTION).mailCapture).toBe(false);
  });
});

describe('loadConfig refuses mail settings', () => {
  it('production without SMTP_URL, naming it', () => {
    const problems = problemsOf({ ...PRODUCTION, SMTP_URL: undefined });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^SMTP_URL is required in production/);
    expect(problemsOf({ ...PRODUCTION, SMTP_URL: ' ' })[0]).toMatch(/^SMTP_URL is required/);
  });

  it('production without PUBLIC_URL, or with a plain-http one', () => {
    const missing = problemsOf({ ...PRODUCTION, PUBLIC_URL: undefined });
    expect(missing).toHaveLength(1);
    expect(missing[0]).toMatch(/^PUBLIC_URL is required in production/);
    expect(problemsOf({ ...PRODUCTION, PUBLIC_URL: 'http://carethread.example.nhs.uk' })).toEqual([
      'PUBLIC_URL must be an https:// URL in production',
    ]);
  });

  it.each(['http://mail.example', 'mail.example:25', 'smtp://', 'mailto:x@example'])(
    'SMTP_URL=%s',
    (url) => {
      expect(problemsOf({ SMTP_URL: url })).toEqual([
        'SMTP_URL must be an smtp:// or smtps:// URL',
      ]);
    },
  );

  it('does not quote a rejected SMTP_URL, which may carry a password', () => {
    const problems = problemsOf({ SMTP_URL: 'smtpx://admin:hunter2@mail/x' });
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it.each(['ftp://carethread.example', 'carethread.example', 'https://'])(
    'PUBLIC_URL=%s',
    (url) => {
      expect(problemsOf({ PUBLIC_URL: url })).toEqual([
        'PUBLIC_URL must be an http:// or https:// URL',
      ]);
    },
  );

  it.each(['no address', 'Carethread <no-reply@example>\r\nBcc: x@example.test', 'x@'])(
    'MAIL_FROM=%j',
    (from) => {
      expect(problemsOf({ MAIL_FROM: from })[0]).toMatch(/^MAIL_FROM must be an address/);
    },
  );
});
