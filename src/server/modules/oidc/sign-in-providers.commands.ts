import { and, asc, eq, ne } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import type { AppDeps } from '../../platform/deps';
import {
  AppError,
  type FieldProblem,
  forbidden,
  invalid,
  notFound,
} from '../../platform/http/problem';
import { organisations } from '../directory/directory.schema';
import { type Actor, inTransaction, type RequestFacts } from '../identity/actor';
import { trustedIssuer } from './oidc.config';
import { type OidcRuntime, STAFF_CALLBACK_PATH } from './oidc.runtime';
import { organisationSignInProviders, type StaffSsoProvider } from './oidc.schema';
import type {
  SetSignInProviderInput,
  SignInProvider,
  SignInProviderList,
} from './sign-in-providers.contracts';
import { canManageSignInProviders } from './sign-in-providers.policy';
import { type CheckedSignInProvider, checkSignInProvider } from './sign-in-providers.validation';

const ODS_CODE_INDEX = 'organisation_sign_in_providers_ods_code_key';
const SETTINGS = [
  'issuer',
  'clientId',
  'keyName',
  'keyId',
  'odsCode',
  'tenantAllowlist',
  'enabled',
] as const satisfies readonly (keyof CheckedSignInProvider)[];

type Row = typeof organisationSignInProviders.$inferSelect;

const notCoordinator = () =>
  forbidden(
    'sign_in_provider.forbidden',
    'Only a coordinator of this organisation can manage its staff single sign-on.',
  );
const providerNotFound = () =>
  notFound('sign_in_provider.not_found', 'Single sign-on provider not found');
const odsCodeProblem: FieldProblem = {
  field: 'body/odsCode',
  code: 'sign_in_provider.ods_code_in_use',
  message: 'Another organisation in Carethread already uses this ODS code',
};
const odsCodeInUse = () =>
  new AppError(409, 'sign_in_provider.ods_code_in_use', 'Conflict', odsCodeProblem.message, [
    odsCodeProblem,
  ]);

/** As integrations: an organisation nobody has is not found; anyone but its coordinators is refused. */
async function authorise(tx: Tx, actor: Actor, organisationId: string): Promise<void> {
  const [organisation] = await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, organisationId));
  if (!organisation) throw notFound('organisation.not_found', 'Organisation not found');
  if (!canManageSignInProviders(actor, organisationId)) throw notCoordinator();
}

const present = (row: Row, runtime: OidcRuntime): SignInProvider => ({
  provider: row.provider,
  issuer: row.issuer,
  issuerTrusted: trustedIssuer(runtime.trustedIssuers(), row.issuer) !== undefined,
  clientId: row.clientId,
  keyName: row.keyName,
  keyId: row.keyId,
  odsCode: row.odsCode,
  tenantAllowlist: row.tenantAllowlist,
  enabled: row.enabled,
});

const whereProvider = (organisationId: string, provider: StaffSsoProvider) =>
  and(
    eq(organisationSignInProviders.organisationId, organisationId),
    eq(organisationSignInProviders.provider, provider),
  );

/**
 * The organisation's single sign-on providers (listSignInProviders), with what the form needs:
 * the names of the keys and the issuers the server trusts (each item says whether its issuer
 * still is one), and the redirect URI to register with each provider.
 */
export async function listSignInProviders(
  deps: AppDeps,
  runtime: OidcRuntime,
  actor: Actor,
  organisationId: string,
): Promise<SignInProviderList> {
  return withTransaction(deps.db, async (tx) => {
    await authorise(tx, actor, organisationId);
    const rows = await tx
      .select()
      .from(organisationSignInProviders)
      .where(eq(organisationSignInProviders.organisationId, organisationId))
      .orderBy(asc(organisationSignInProviders.provider));
    const redirectUri = runtime.redirectUri(STAFF_CALLBACK_PATH);
    return {
      items: rows.map((row) => present(row, runtime)),
      keyNames: runtime.keyNames(),
      trustedIssuers: runtime.trustedIssuers(),
      redirectUris: { cis2: redirectUri, entra: redirectUri },
    };
  });
}

/**
 * Sets up or replaces one provider (setSignInProvider). Every value is checked first, with a
 * stable code each; a refusal changes nothing. The next sign-in uses the new settings: the
 * discovered client is cached per issuer, client id and key (OidcClients), so a changed one
 * is discovered afresh. Audited with who changed what; nothing stored is secret.
 */
export async function setSignInProvider(
  deps: AppDeps,
  runtime: OidcRuntime,
  actor: Actor,
  target: { organisationId: string; provider: StaffSsoProvider },
  input: SetSignInProviderInput,
  request: RequestFacts,
): Promise<{ provider: SignInProvider; created: boolean }> {
  const { organisationId, provider } = target;
  try {
    return await inTransaction(deps, actor, request, async (tx, audit) => {
      await authorise(tx, actor, organisationId);
      const checked = checkSignInProvider(provider, input, {
        keyNames: runtime.keyNames(),
        trustedIssuers: runtime.trustedIssuers(),
      });
      // Every problem against its field, as any form's: 400 request.invalid.
      if (!checked.settings) throw invalid(checked.problems);
      const settings = checked.settings;
      if (settings.odsCode !== null) {
        const [taken] = await tx
          .select({ organisationId: organisationSignInProviders.organisationId })
          .from(organisationSignInProviders)
          .where(
            and(
              eq(organisationSignInProviders.odsCode, settings.odsCode),
              ne(organisationSignInProviders.organisationId, organisationId),
            ),
          );
        if (taken) throw odsCodeInUse();
      }
      const audited = (
        action: 'sign_in_provider.created' | 'sign_in_provider.updated',
        changed: string[],
      ) =>
        recordAudit(tx, audit, {
          action,
          entityType: 'organisation',
          entityId: organisationId,
          organisationId,
          details: { provider, changed, ...settings },
        });
      const lockRow = async () =>
        (
          await tx
            .select()
            .from(organisationSignInProviders)
            .where(whereProvider(organisationId, provider))
            .for('update')
        )[0];
      let previous = await lockRow();
      if (!previous) {
        // Of two first saves at once, one creates it; the other waits, then changes it.
        const [created] = await tx
          .insert(organisationSignInProviders)
          .values({ organisationId, provider, ...settings, createdAt: audit.now })
          .onConflictDoNothing({
            target: [
              organisationSignInProviders.organisationId,
              organisationSignInProviders.provider,
            ],
          })
          .returning();
        if (created) {
          await audited('sign_in_provider.created', [...SETTINGS]);
          return { provider: present(created, runtime), created: true };
        }
        previous = await lockRow();
        if (!previous) throw new Error('The single sign-on provider was removed while saving');
      }
      const before = previous;
      const changed = SETTINGS.filter(
        (key) => JSON.stringify(before[key]) !== JSON.stringify(settings[key]),
      );
      if (changed.length === 0) return { provider: present(previous, runtime), created: false };
      const [saved] = await tx
        .update(organisationSignInProviders)
        .set(settings)
        .where(whereProvider(organisationId, provider))
        .returning();
      if (!saved) throw new Error('The single sign-on provider was not stored');
      await audited('sign_in_provider.updated', changed);
      return { provider: present(saved, runtime), created: false };
    });
  } catch (error) {
    // Another organisation took the ODS code between our check and our write.
    if (isUniqueViolation(error, ODS_CODE_INDEX)) throw odsCodeInUse();
    throw error;
  }
}

/**
 * Removes one provider (removeSignInProvider): its staff can no longer start a sign-in with it;
 * sessions already open stay until they end. Removing one the organisation does not have is
 * not found (404), so a mistyped provider is not mistaken for success.
 */
export async function removeSignInProvider(
  deps: AppDeps,
  actor: Actor,
  target: { organisationId: string; provider: StaffSsoProvider },
  request: RequestFacts,
): Promise<void> {
  const { organisationId, provider } = target;
  await inTransaction(deps, actor, request, async (tx, audit) => {
    await authorise(tx, actor, organisationId);
    const [removed] = await tx
      .delete(organisationSignInProviders)
      .where(whereProvider(organisationId, provider))
      .returning();
    if (!removed) throw providerNotFound();
    await recordAudit(tx, audit, {
      action: 'sign_in_provider.removed',
      entityType: 'organisation',
      entityId: organisationId,
      organisationId,
      details: {
        provider,
        issuer: removed.issuer,
        clientId: removed.clientId,
        odsCode: removed.odsCode,
      },
    });
  });
}
