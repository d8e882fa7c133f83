import { and, eq, inArray, sql } from 'drizzle-orm';
import { type AuditContext, recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import {
  organisations,
  professionals,
  teamMemberships,
  teams,
} from '../directory/directory.schema';
import { signInMethods, users } from '../identity/identity.schema';
import type { VerifiedSignIn } from './oidc.client';
import { refuse } from './oidc.errors';
import {
  type OfferedRole,
  organisationSignInProviders,
  type StaffSsoProvider,
} from './oidc.schema';

export const STAFF_SCOPES: Record<StaffSsoProvider, string> = {
  cis2: 'openid profile email nationalrbacaccess',
  entra: 'openid profile email',
};

export interface StaffIdentity {
  provider: StaffSsoProvider;
  /** The key of the `sign_in_methods` row: CIS2's UID, or Entra's `<tid>:<oid>`. */
  subject: string;
  email: string | null;
  emailVerified: boolean;
  tenantId: string | null;
  /** CIS2 roles: `person_roleid`, `org_code` and a readable name. */
  roles: { roleId: string; orgCode: string; roleName: string }[];
  selectedRoleId: string | null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** `"Clinical":"Clinical Provision":"Nurse Access Role"` → `Nurse Access Role`. */
function readableRoleName(raw: string): string {
  const parts = [...raw.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  return parts.at(-1) ?? raw;
}

export function staffIdentity(provider: StaffSsoProvider, signIn: VerifiedSignIn): StaffIdentity {
  const { idToken, userinfo } = signIn;
  const claim = (name: string): unknown => userinfo[name] ?? idToken[name];
  const tenantId = text(idToken.tid);
  const objectId = text(idToken.oid) ?? idToken.sub;
  const rawRoles = Array.isArray(claim('nhsid_nrbac_roles'))
    ? (claim('nhsid_nrbac_roles') as unknown[])
    : [];
  const roles = rawRoles.flatMap((role) => {
    if (typeof role !== 'object' || role === null) return [];
    const r = role as Record<string, unknown>;
    const roleId = text(r.person_roleid);
    const orgCode = text(r.org_code);
    if (!roleId || !orgCode) return [];
    return [{ roleId, orgCode, roleName: readableRoleName(text(r.role_name) ?? 'Role') }];
  });
  if (provider === 'entra' && tenantId === null) throw refuse('oidc.claims_missing');
  return {
    provider,
    subject: provider === 'entra' ? `${tenantId}:${objectId}` : idToken.sub,
    email: text(claim('email'))?.toLowerCase() ?? null,
    emailVerified: claim('email_verified') === true,
    tenantId,
    roles,
    selectedRoleId: text(claim('selected_roleid')),
  };
}

type Professional = typeof professionals.$inferSelect;

/**
 * The professional a staff identity names: the one pre-provisioned with this subject, else
 * the one whose email the provider has verified (the subject is then linked). Nothing is
 * ever created for an identity the directory does not know.
 */
export async function matchProfessional(
  tx: Tx,
  identity: StaffIdentity,
  audit: AuditContext,
): Promise<{ professional: Professional; userId: string }> {
  const [linked] = await tx
    .select({ userId: users.id, professional: professionals })
    .from(signInMethods)
    .innerJoin(users, eq(users.id, signInMethods.userId))
    .innerJoin(professionals, eq(professionals.id, users.professionalId))
    .where(
      and(
        eq(signInMethods.provider, identity.provider),
        eq(signInMethods.subject, identity.subject),
      ),
    );
  if (linked) {
    if (!linked.professional.active) throw refuse('oidc.account_unknown');
    return linked;
  }
  if (!identity.emailVerified || identity.email === null) throw refuse('oidc.account_unknown');
  const [professional] = await tx
    .select()
    .from(professionals)
    .where(sql`lower(${professionals.email}) = ${identity.email}`);
  if (!professional || !professional.active) throw refuse('oidc.account_unknown');

  // Linking writes to the organisation's audit chain, and the session then shares its row
  // (the foreign key). A bulk import holds that row for update from its start and writes that
  // chain: taking the row first, as the import does, means one waits for the other rather than
  // each holding what the other needs (a deadlock, a 500 once retries ran out). It also means
  // the user an import made is seen here, and an import sees the user made here (decision 0012).
  await tx
    .select({ id: organisations.id })
    .from(organisations)
    .where(eq(organisations.id, professional.organisationId))
    .for('key share');
  const [existingUser] = await tx
    .select({ id: users.id })
    .from(users)
    .where(eq(users.professionalId, professional.id));
  let userId = existingUser?.id;
  if (userId) {
    const [other] = await tx
      .select({ subject: signInMethods.subject })
      .from(signInMethods)
      .where(and(eq(signInMethods.userId, userId), eq(signInMethods.provider, identity.provider)));
    if (other) throw refuse('oidc.account_linked_elsewhere');
  } else {
    const [created] = await tx
      .insert(users)
      .values({ professionalId: professional.id })
      .returning({ id: users.id });
    if (!created) throw new Error('user insert returned nothing');
    userId = created.id;
  }
  await tx
    .insert(signInMethods)
    .values({ userId, provider: identity.provider, subject: identity.subject });
  await recordAudit(tx, audit, {
    action: 'sign_in_method.linked',
    entityType: 'user',
    entityId: userId,
    organisationId: professional.organisationId,
    details: { provider: identity.provider, professionalId: professional.id },
  });
  return { professional, userId };
}

/** The organisations a professional belongs to: their employer and their teams' organisations. */
export async function organisationsOf(tx: Tx, professional: Professional): Promise<Set<string>> {
  const rows = await tx
    .selectDistinct({ organisationId: teams.organisationId })
    .from(teamMemberships)
    .innerJoin(teams, and(eq(teams.id, teamMemberships.teamId), eq(teams.active, true)))
    .where(eq(teamMemberships.professionalId, professional.id));
  return new Set([professional.organisationId, ...rows.map((r) => r.organisationId)]);
}

/**
 * The CIS2 roles a professional may sign in with here: those whose organisation (by ODS
 * code) uses CIS2 in Carethread and is one the professional belongs to.
 */
export async function eligibleRoles(
  tx: Tx,
  identity: StaffIdentity,
  belongsTo: Set<string>,
): Promise<OfferedRole[]> {
  const codes = [...new Set(identity.roles.map((r) => r.orgCode))];
  if (codes.length === 0) return [];
  const configured = await tx
    .select({
      odsCode: organisationSignInProviders.odsCode,
      organisationId: organisations.id,
      organisationName: organisations.name,
    })
    .from(organisationSignInProviders)
    .innerJoin(organisations, eq(organisations.id, organisationSignInProviders.organisationId))
    .where(
      and(
        eq(organisationSignInProviders.provider, 'cis2'),
        eq(organisationSignInProviders.enabled, true),
        inArray(organisationSignInProviders.odsCode, codes),
      ),
    );
  const byCode = new Map(configured.map((c) => [c.odsCode, c]));
  return identity.roles.flatMap((role) => {
    const organisation = byCode.get(role.orgCode);
    if (!organisation || !belongsTo.has(organisation.organisationId)) return [];
    return [
      {
        roleId: role.roleId,
        roleName: role.roleName,
        organisationId: organisation.organisationId,
        organisationName: organisation.organisationName,
      },
    ];
  });
}
