import path from 'node:path';
import {
  type DocumentsConfig,
  readDocumentsConfig,
} from '../../modules/documents/documents.config';
import { type OidcConfig, readOidcConfig } from '../../modules/oidc/oidc.config';

/** Everything the server reads from its environment, validated once at start-up. */
export interface Config {
  nodeEnv: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** Where the embedded database and uploaded files live. */
  dataDir: string;
  /** PostgreSQL connection string; absent means the embedded PGlite database in dataDir. */
  databaseUrl: string | null;
  sessionSecret: string;
  /**
   * Key material for the authenticator-app secrets stored in the database; absent means a
   * key derived from sessionSecret (so changing SESSION_SECRET would then lose them).
   */
  totpEncryptionKey: string | null;
  /** Seed the demo organisation and its accounts on start-up (refused in production). */
  demoSeed: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Trust X-Forwarded-For from this many proxy hops (0: use the socket address). */
  trustProxyHops: number;
  /** Sign-in attempts allowed from one client address in 15 minutes. */
  signInAttemptsPerAddress: number;
  /** Directory of the built web app; served at / when present. */
  webRoot: string;
  /** smtp:// or smtps:// server for outgoing email; absent means the embedded demo capture. */
  smtpUrl: string | null;
  /** The From of every email. */
  mailFrom: string;
  /** Where people sign in, for links in emails; no trailing slash. */
  publicUrl: string;
  /** Demo: emails go to the embedded capture and the development mailbox shows them. */
  mailCapture: boolean;
  /** NHS login, staff single sign-on keys and the demo identity provider. */
  oidc: OidcConfig;
  /** Documents: size limit, storage (filesystem or S3), scanner (built-in or clamd), ZIP limits. */
  documents: DocumentsConfig;
  /**
   * Browser tests only (CARETHREAD_TEST_CLOCK=true): the server's clock can be moved forward
   * through a hidden endpoint, so "7 days later" can be tested. Refused in production.
   */
  testClock: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const DEMO_SESSION_SECRET = 'carethread-demo-session-secret-not-for-production';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type Env = Record<string, string | undefined>;

/** Reads and validates the configuration; throws ConfigError naming every problem at once. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv !== 'development' && nodeEnv !== 'test' && nodeEnv !== 'production') {
    problems.push(`NODE_ENV must be development, test or production (got "${nodeEnv}")`);
  }
  const production = nodeEnv === 'production';

  const port = parsePort(env.PORT ?? '3000', problems);
  const databaseUrl = blankToNull(env.DATABASE_URL);
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// connection string');
  }
  if (production && databaseUrl === null) {
    problems.push(
      'DATABASE_URL is required in production: the embedded database does not fsync and can lose data in an operating-system crash',
    );
  }

  const sessionSecret = blankToNull(env.SESSION_SECRET);
  if (sessionSecret !== null && sessionSecret.length < 32) {
    problems.push('SESSION_SECRET must be at least 32 characters long');
  }
  if (production && sessionSecret === null) {
    problems.push('SESSION_SECRET is required in production');
  }

  const totpEncryptionKey = blankToNull(env.TOTP_ENCRYPTION_KEY);
  if (totpEncryptionKey !== null && totpEncryptionKey.length < 32) {
    problems.push('TOTP_ENCRYPTION_KEY must be at least 32 characters long');
  }

  const demoSeed = parseBoolean('DEMO_SEED', env.DEMO_SEED, !production, problems);
  if (production && demoSeed) {
    problems.push('DEMO_SEED cannot be enabled in production: demo accounts share one password');
  }

  const logLevel = env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info');
  if (!isLogLevel(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const trustProxyRaw = env.TRUST_PROXY_HOPS ?? '0';
  if (!/^[0-9]$/.test(trustProxyRaw)) {
    problems.push('TRUST_PROXY_HOPS must be a whole number from 0 to 9');
  }

  // Many people may share one address (a hospital's outbound proxy), so sites may raise it.
  const attemptsPerAddressRaw = env.SIGN_IN_ATTEMPTS_PER_ADDRESS ?? '30';
  if (!/^[1-9][0-9]{0,5}$/.test(attemptsPerAddressRaw)) {
    problems.push('SIGN_IN_ATTEMPTS_PER_ADDRESS must be a whole number from 1 to 999999');
  }

  const testClock = parseBoolean(
    'CARETHREAD_TEST_CLOCK',
    env.CARETHREAD_TEST_CLOCK,
    false,
    problems,
  );
  if (production && testClock) {
    problems.push('CARETHREAD_TEST_CLOCK is for browser tests and cannot be enabled in production');
  }

  const mail = readMailSettings(env, production, port, problems);
  const oidc = readOidcConfig(
    env,
    { production, demoSeed, nodeEnv, publicUrl: mail.publicUrl },
    problems,
  );
  const documents = readDocumentsConfig(env, problems);

  if (problems.length > 0) throw new ConfigError(problems);

  return {
    nodeEnv: nodeEnv as Config['nodeEnv'],
    host: env.HOST ?? 'localhost',
    port,
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl,
    sessionSecret: sessionSecret ?? DEMO_SESSION_SECRET,
    totpEncryptionKey,
    demoSeed,
    logLevel: logLevel as Config['logLevel'],
    trustProxyHops: Number(trustProxyRaw),
    signInAttemptsPerAddress: Number(attemptsPerAddressRaw),
    webRoot: path.resolve(env.WEB_ROOT ?? 'dist/web'),
    ...mail,
    oidc,
    documents,
    testClock,
  };
}

type MailSettings = Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl' | 'mailCapture'>;

function readMailSettings(
  env: Env,
  production: boolean,
  port: number,
  problems: string[],
): MailSettings {
  const smtpUrl = blankToNull(env.SMTP_URL);
  // Neither URL is quoted back: either may carry a password.
  if (smtpUrl !== null && !hasProtocol(smtpUrl, ['smtp:', 'smtps:'])) {
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  }
  if (production && smtpUrl === null) {
    problems.push('SMTP_URL is required in production: without it no notification is delivered');
  }

  const rawPublicUrl = blankToNull(env.PUBLIC_URL);
  if (
    rawPublicUrl !== null &&
    !hasProtocol(rawPublicUrl, production ? ['https:'] : ['http:', 'https:'])
  ) {
    problems.push(
      production
        ? 'PUBLIC_URL must be an https:// URL in production'
        : 'PUBLIC_URL must be an http:// or https:// URL',
    );
  }
  if (production && rawPublicUrl === null) {
    problems.push('PUBLIC_URL is required in production: emails link to it for signing in');
  }
  const publicUrl = (rawPublicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');

  const mailFrom =
    blankToNull(env.MAIL_FROM) ?? `Carethread <no-reply@${hostnameOf(publicUrl) ?? 'localhost'}>`;
  if (/[\r\n]/.test(mailFrom) || !/@[^\s@>]+>?$/.test(mailFrom)) {
    problems.push('MAIL_FROM must be an address such as "Carethread <no-reply@example.nhs.uk>"');
  }

  return { smtpUrl, mailFrom, publicUrl, mailCapture: smtpUrl === null && !production };
}

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    const url = new URL(value);
    return protocols.includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}

function hostnameOf(value: string): string | null {
  try {
    return new URL(value).hostname || null;
  } catch {
    return null;
  }
}

function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

function parsePort(raw: string, problems: string[]): number {
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (got "${raw}")`);
    return 0;
  }
  return port;
}

function parseBoolean(
  name: string,
  raw: string | undefined,
  fallback: boolean,
  problems: string[],
): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

function isLogLevel(value: string): value is Config['logLevel'] {
  return (LOG_LEVELS as readonly string[]).includes(value);
}
