import { and, asc, eq } from 'drizzle-orm';
import type { AuditContext } from '../../platform/audit/audit';
import { withTransaction } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import type { AppDeps } from '../../platform/deps';
import { organisations, professionals } from '../directory/directory.schema';
import { users } from '../identity/identity.schema';
import type { RequestFacts } from '../identity/actor';
import type { ResolvedSession } from '../identity/identity.queries';
import { authorizationRequest, redeem } from './oidc.client';
import { refuse } from './oidc.errors';
import { beginFlow, findRoleChoice, type Flow, holdForRoleChoice, takeFlow } from './oidc.flows';
import {
  NHS_LOGIN_SCOPE,
  NHS_LOGIN_VTR,
  nhsLoginPerson,
  signInPatientWithNhsLogin,
} from './oidc.patients';
import {
  NHS_LOGIN_CALLBACK_PATH,
  type OidcRuntime,
  STAFF_CALLBACK_PATH,
  type StaffProviderSettings,
} from './oidc.runtime';
import { organisationSignInProviders, type StaffSsoProvider } from './oidc.schema';
import { type OidcSignedIn, openOidcSession } from './oidc.sessions';
import {
  eligibleRoles,
  matchProfessional,
  organisationsOf,
  STAFF_SCOPES,
  staffIdentity,
} from './oidc.staff';

export const VERIFY_IDENTITY_PATH = '/verify-identity';
export const CHOOSE_ROLE_PATH = '/sign-in/choose-role';

export type SignInOutcome =
  | (OidcSignedIn & { kind: 'signed_in'; destination: string })
  | { kind: 'choose_role'; destination: string };

const signInAudit = (label: string, request: RequestFacts, now: Date): AuditContext => ({
  actorUserId: null,
  actorLabel: label,
  requestId: request.requestId,
  clientAddress: request.clientAddress,
  now,
});

/** Starts NHS login: the URL to send the browser to, and the key of its flow cookie. */
export async function startNhsLogin(
  deps: AppDeps,
  runtime: OidcRuntime,
  returnTo: string | null,
): Promise<{ browserKey: string; url: string }> {
  const config = await runtime.clients.configuration(await runtime.nhsLoginSpec());
  const request = await authorizationRequest(config, {
    redirect_uri: runtime.redirectUri(NHS_LOGIN_CALLBACK_PATH),
    scope: NHS_LOGIN_SCOPE,
    vtr: JSON.stringify(NHS_LOGIN_VTR),
  });
  const browserKey = await beginFlow(deps.db, deps.clock(), {
    provider: 'nhs_login',
    organisationId: null,
    state: request.state,
    nonce: request.nonce,
    codeVerifier: request.codeVerifier,
    returnTo,
  });
  return { browserKey, url: request.url.href };
}

/** The callback URL as the provider sent the browser to it, for openid-client's checks. */
function callbackUrl(runtime: OidcRuntime, path: string, search: string): URL {
  const url = new URL(runtime.redirectUri(path));
  url.search = search;
  return url;
}

function takeMatchingFlow(
  flow: Flow | null,
  provider: 'nhs_login' | 'staff',
  state: string | null,
) {
  if (!flow) throw refuse('oidc.flow_missing');
  if ((provider === 'nhs_login') !== (flow.provider === 'nhs_login')) {
    throw refuse('oidc.flow_missing');
  }
  if (flow.state === '' || state !== flow.state) throw refuse('oidc.state_mismatch');
  return flow;
}

/**
 * Completes NHS login: checks the answer, finds or creates the patient, updates their
 * identity level and opens a session. A P5 patient is sent to "Verify your identity".
 */
export async function completeNhsLogin(
  deps: AppDeps,
  runtime: OidcRuntime,
  browserKey: string | undefined,
  search: string,
  request: RequestFacts,
  previous: ResolvedSession | null,
): Promise<SignInOutcome> {
  const params = new URLSearchParams(search);
  const flow = takeMatchingFlow(
    await takeFlow(deps.db, browserKey, deps.clock()),
    'nhs_login',
    params.get('state'),
  );
  const config = await runtime.clients.configuration(await runtime.nhsLoginSpec());
  const verified = await redeem(
    config,
    callbackUrl(runtime, NHS_LOGIN_CALLBACK_PATH, search),
    flow,
  );
  const person = nhsLoginPerson(verified);
  const now = deps.clock();
  return againIfRaced(() =>
    withTransaction(deps.db, async (tx) => {
      const patient = await signInPatientWithNhsLogin(
        tx,
        person,
        signInAudit('NHS login', request, now),
      );
      const signedIn = await openOidcSession(
        tx,
        patient.userId,
        now,
        request,
        previous,
        'nhs_login',
        null,
        {
          identityLevel: patient.identityLevel,
        },
      );
      const destination =
        patient.identityLevel === 'P9' ? (flow.returnTo ?? '/') : VERIFY_IDENTITY_PATH;
      return { kind: 'signed_in' as const, destination, ...signedIn };
    }),
  );
}

async function staffProviderOf(
  deps: AppDeps,
  organisationId: string,
  provider: StaffSsoProvider | null,
) {
  const rows = await deps.db
    .select()
    .from(organisationSignInProviders)
    .where(
      and(
        eq(organisationSignInProviders.organisationId, organisationId),
        eq(organisationSignInProviders.enabled, true),
        ...(provider ? [eq(organisationSignInProviders.provider, provider)] : []),
      ),
    )
    .orderBy(asc(organisationSignInProviders.provider));
  const [row] = rows;
  if (!row) throw refuse('oidc.not_configured');
  return row;
}

const settingsOf = (
  row: typeof organisationSignInProviders.$inferSelect,
): StaffProviderSettings => ({
  provider: row.provider,
  issuer: row.issuer,
  clientId: row.clientId,
  keyName: row.keyName,
  keyId: row.keyId,
});

/** Starts staff single sign-on with the organisation's provider (CIS2 or Entra ID). */
export async function startStaffSignIn(
  deps: AppDeps,
  runtime: OidcRuntime,
  organisationId: string,
  provider: StaffSsoProvider | null,
  returnTo: string | null,
): Promise<{ browserKey: string; url: string }> {
  const row = await staffProviderOf(deps, organisationId, provider);
  const config = await runtime.clients.configuration(await runtime.staffSpec(settingsOf(row)));
  const request = await authorizationRequest(config, {
    redirect_uri: runtime.redirectUri(STAFF_CALLBACK_PATH),
    scope: STAFF_SCOPES[row.provider],
  });
  const browserKey = await beginFlow(deps.db, deps.clock(), {
    provider: row.provider,
    organisationId,
    state: request.state,
    nonce: request.nonce,
    codeVerifier: request.codeVerifier,
    returnTo,
  });
  return { browserKey, url: request.url.href };
}

/**
 * Completes staff single sign-on. CIS2: the roles held at organisations the professional
 * belongs to; one is used at once, several are offered on our role page. Entra ID: the
 * tenant must be on the organisation's allowlist. Unknown people are refused, never created.
 */
export async function completeStaffSignIn(
  deps: AppDeps,
  runtime: OidcRuntime,
  browserKey: string | undefined,
  search: string,
  request: RequestFacts,
  previous: ResolvedSession | null,
): Promise<SignInOutcome> {
  const params = new URLSearchParams(search);
  const flow = takeMatchingFlow(
    await takeFlow(deps.db, browserKey, deps.clock()),
    'staff',
    params.get('state'),
  );
  const provider = flow.provider as StaffSsoProvider;
  if (!flow.organisationId) throw refuse('oidc.flow_missing');
  const row = await staffProviderOf(deps, flow.organisationId, provider);
  const config = await runtime.clients.configuration(await runtime.staffSpec(settingsOf(row)));
  const verified = await redeem(config, callbackUrl(runtime, STAFF_CALLBACK_PATH, search), flow);
  const identity = staffIdentity(provider, verified);
  if (provider === 'entra' && !row.tenantAllowlist.includes(identity.tenantId ?? '')) {
    throw refuse('oidc.tenant_not_allowed');
  }
  const now = deps.clock();
  const organisationId = flow.organisationId;
  const outcome = await againIfRaced(() =>
    withTransaction(deps.db, async (tx) => {
      const audit = signInAudit('Staff single sign-on', request, now);
      const { professional, userId } = await matchProfessional(tx, identity, audit);
      const belongsTo = await organisationsOf(tx, professional);
      if (provider === 'entra') {
        if (!belongsTo.has(organisationId)) throw refuse('oidc.no_eligible_role');
        const signedIn = await openOidcSession(tx, userId, now, request, previous, 'entra', {
          organisationId,
          roleId: null,
          roleName: null,
        });
        return { kind: 'signed_in' as const, destination: flow.returnTo ?? '/', ...signedIn };
      }
      const roles = await eligibleRoles(tx, identity, belongsTo);
      const chosen =
        roles.find((r) => r.roleId === identity.selectedRoleId) ??
        (roles.length === 1 ? roles[0] : undefined);
      if (roles.length === 0) throw refuse('oidc.no_eligible_role');
      if (!chosen) return { kind: 'choose_role' as const, professionalId: professional.id, roles };
      const signedIn = await openOidcSession(tx, userId, now, request, previous, 'cis2', {
        organisationId: chosen.organisationId,
        roleId: chosen.roleId,
        roleName: chosen.roleName,
      });
      return { kind: 'signed_in' as const, destination: flow.returnTo ?? '/', ...signedIn };
    }),
  );
  if (outcome.kind === 'signed_in') return outcome;
  // The same browser key, now naming the role choice rather than the provider round trip.
  await holdForRoleChoice(deps.db, flow, browserKey!, now, outcome.professionalId, outcome.roles);
  return { kind: 'choose_role', destination: CHOOSE_ROLE_PATH };
}

/** The roles waiting for this browser's choice. */
export async function getRoleChoice(deps: AppDeps, browserKey: string | undefined) {
  const choice = await findRoleChoice(deps.db, browserKey, deps.clock());
  if (!choice) throw refuse('oidc.flow_missing');
  return choice.roles;
}

/** Opens the session for the chosen CIS2 role, authorised on that role's organisation. */
export async function chooseStaffRole(
  deps: AppDeps,
  browserKey: string | undefined,
  roleId: string,
  request: RequestFacts,
  previous: ResolvedSession | null,
): Promise<OidcSignedIn & { destination: string }> {
  const now = deps.clock();
  const choice = await findRoleChoice(deps.db, browserKey, now);
  if (!choice) throw refuse('oidc.flow_missing');
  const role = choice.roles.find((r) => r.roleId === roleId);
  if (!role) throw refuse('oidc.role_invalid');
  const flow = await takeFlow(deps.db, browserKey, now);
  if (!flow) throw refuse('oidc.flow_missing');
  return withTransaction(deps.db, async (tx) => {
    const [user] = await tx
      .select({ userId: users.id, active: professionals.active })
      .from(users)
      .innerJoin(professionals, eq(professionals.id, users.professionalId))
      .where(eq(users.professionalId, choice.professionalId));
    if (!user?.active) throw refuse('oidc.account_unknown');
    // Membership may have changed while they chose: the role's organisation must still be theirs.
    const [professional] = await tx
      .select()
      .from(professionals)
      .where(eq(professionals.id, choice.professionalId));
    if (!professional || !(await organisationsOf(tx, professional)).has(role.organisationId)) {
      throw refuse('oidc.no_eligible_role');
    }
    const signedIn = await openOidcSession(tx, user.userId, now, request, previous, 'cis2', {
      organisationId: role.organisationId,
      roleId: role.roleId,
      roleName: role.roleName,
    });
    return { ...signedIn, destination: flow.returnTo ?? '/' };
  });
}

/** What the sign-in page offers: NHS login, and the organisations with staff single sign-on. */
export async function getSignInOptions(deps: AppDeps, runtime: OidcRuntime) {
  const staff = await deps.db
    .select({
      organisationId: organisations.id,
      organisationName: organisations.name,
      provider: organisationSignInProviders.provider,
    })
    .from(organisationSignInProviders)
    .innerJoin(organisations, eq(organisations.id, organisationSignInProviders.organisationId))
    .where(eq(organisationSignInProviders.enabled, true))
    .orderBy(asc(organisations.name), asc(organisationSignInProviders.provider));
  return { nhsLogin: runtime.nhsLoginEnabled(), staff };
}

/**
 * A person's first sign-in, twice at once (a double tap, two tabs), makes the same records
 * in both transactions: the one that commits second meets a unique key and fails. Run once
 * more, it finds what the first made and signs in with it.
 */
async function againIfRaced<T>(signIn: () => Promise<T>): Promise<T> {
  try {
    return await signIn();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return signIn();
  }
}
