/** NHS login and staff single sign-on settings, read from the environment (DESIGN C5). */
export interface OidcConfig {
  /** Run the demo identity provider (NHS login and CIS2) inside this server. */
  demoIdp: boolean;
  /** NHS login for patients; null turns it off. */
  nhsLogin: {
    issuer: string;
    clientId: string;
    /** PKCS#8 PEM; null only with the demo identity provider, which generates a key pair. */
    privateKeyPem: string | null;
    keyId: string | null;
  } | null;
  /** Private keys of staff single sign-on clients: OIDC_KEY_<NAME> → PEM. */
  keys: Record<string, string>;
  /**
   * The issuers staff single sign-on may use (STAFF_SSO_ISSUERS, and in demo mode the demo
   * CIS2), without trailing slashes. Coordinators choose among them; only operators add one.
   */
  staffIssuers: string[];
}

type Env = Record<string, string | undefined>;

export const DEMO_IDP_PATH = '/demo-idp';
export const DEMO_CLIENT_ID = 'carethread-demo';

function blank(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}

/** An issuer is the demo one when it is served under /demo-idp/ by some Carethread. */
export function isDemoIssuer(issuer: string): boolean {
  try {
    return new URL(issuer).pathname.startsWith(`${DEMO_IDP_PATH}/`);
  } catch {
    return false;
  }
}

/** The demo CIS2 this server runs in demo mode (demo-idp-mount.ts). */
export const demoCis2Issuer = (publicUrl: string) => `${publicUrl}${DEMO_IDP_PATH}/cis2`;

/** How issuers are compared and stored: without trailing slashes. */
export const withoutTrailingSlash = (issuer: string) => issuer.replace(/\/+$/, '');

/** The trusted issuer `issuer` names, if any (trailing slashes aside). */
export function trustedIssuer(trusted: readonly string[], issuer: string): string | undefined {
  const wanted = withoutTrailingSlash(issuer.trim());
  return trusted.find((one) => one === wanted);
}

/** localhost, 127.0.0.0/8 and ::1: a provider on this very machine. */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || /^127(\.\d{1,3}){3}$/.test(hostname) || hostname === '[::1]';
}

/**
 * What is wrong with an issuer an operator trusts (NHS login's, or a staff one), if anything:
 * an https URL without credentials, query or fragment; http only on this machine outside
 * production; never the demo identity provider in production (setUpOidc refuses to start with
 * one). Not quoted back.
 */
function issuerProblem(raw: string, production: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a web address';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must start with https://';
  if (url.hostname === '' || url.username !== '' || url.password !== '' || /[?#]/.test(raw)) {
    return 'must be a web address without a password, ? or #';
  }
  if (url.protocol === 'http:' && (production || !isLoopback(url.hostname))) {
    return production
      ? 'must start with https:// in production'
      : 'must start with https:// (http:// only for localhost)';
  }
  if (production && isDemoIssuer(raw)) {
    return 'cannot be the demo identity provider in production';
  }
  return null;
}

/** STAFF_SSO_ISSUERS: issuer URLs separated by commas or whitespace, each checked. */
function readStaffIssuers(
  env: Env,
  options: { production: boolean; demoIdp: boolean; publicUrl: string },
  problems: string[],
): string[] {
  const entries = (env.STAFF_SSO_ISSUERS ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  const issuers = new Set<string>();
  entries.forEach((entry, index) => {
    const problem = issuerProblem(entry, options.production);
    if (problem) problems.push(`STAFF_SSO_ISSUERS: issuer ${index + 1} ${problem}`);
    else issuers.add(withoutTrailingSlash(entry));
  });
  if (options.demoIdp) issuers.add(demoCis2Issuer(options.publicUrl));
  return [...issuers];
}

/** Reads the settings, adding every problem to `problems`; none is quoted back (keys are secret). */
export function readOidcConfig(
  env: Env,
  options: { production: boolean; demoSeed: boolean; nodeEnv: string; publicUrl: string },
  problems: string[],
): OidcConfig {
  const { production } = options;
  const rawDemo = blank(env.DEMO_IDP);
  let demoIdp = options.demoSeed && options.nodeEnv === 'development';
  if (rawDemo !== null) {
    if (['1', 'true', 'yes'].includes(rawDemo.toLowerCase())) demoIdp = true;
    else if (['0', 'false', 'no'].includes(rawDemo.toLowerCase())) demoIdp = false;
    else problems.push('DEMO_IDP must be true or false');
  }
  if (production && demoIdp) {
    problems.push('DEMO_IDP cannot be enabled in production: anyone could sign in as anyone');
  }

  const keys: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const match = /^OIDC_KEY_([A-Z0-9_]+)$/.exec(name);
    const pem = blank(value)?.replace(/\\n/g, '\n') ?? null;
    if (!match?.[1] || pem === null) continue;
    if (!pem.includes('-----BEGIN PRIVATE KEY-----')) {
      problems.push(`${name} must be a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----")`);
    }
    keys[match[1]] = pem;
  }

  const issuer = blank(env.NHS_LOGIN_ISSUER);
  const clientId = blank(env.NHS_LOGIN_CLIENT_ID);
  const privateKeyPem = blank(env.NHS_LOGIN_PRIVATE_KEY)?.replace(/\\n/g, '\n') ?? null;
  const keyId = blank(env.NHS_LOGIN_KEY_ID);
  let nhsLogin: OidcConfig['nhsLogin'] = null;
  if (issuer !== null) {
    const problem = issuerProblem(issuer, production);
    if (problem) problems.push(`NHS_LOGIN_ISSUER ${problem}`);
    if (clientId === null) problems.push('NHS_LOGIN_CLIENT_ID is required with NHS_LOGIN_ISSUER');
    if (privateKeyPem === null) {
      problems.push('NHS_LOGIN_PRIVATE_KEY is required with NHS_LOGIN_ISSUER');
    } else if (!privateKeyPem.includes('-----BEGIN PRIVATE KEY-----')) {
      problems.push('NHS_LOGIN_PRIVATE_KEY must be a PKCS#8 PEM private key');
    }
    nhsLogin = {
      issuer: withoutTrailingSlash(issuer),
      clientId: clientId ?? '',
      privateKeyPem,
      keyId,
    };
  } else if (demoIdp) {
    nhsLogin = {
      issuer: `${options.publicUrl}${DEMO_IDP_PATH}/nhs-login`,
      clientId: DEMO_CLIENT_ID,
      privateKeyPem: null,
      keyId: null,
    };
  }
  const staffIssuers = readStaffIssuers(
    env,
    { production, demoIdp, publicUrl: options.publicUrl },
    problems,
  );
  return { demoIdp, nhsLogin, keys, staffIssuers };
}
