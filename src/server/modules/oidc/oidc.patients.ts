import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import type { AuditContext } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import { signInMethods, users } from '../identity/identity.schema';
import { isValidNhsNumber } from '../patients/nhs-number';
import { type IdentityLevel, patients } from '../patients/patients.schema';
import { refuse } from './oidc.errors';
import type { VerifiedSignIn } from './oidc.client';

/** Vectors of trust we ask NHS login for: P9 wanted, P5 accepted for signing in only (C5). */
export const NHS_LOGIN_VTR = [
  'P9.Cp.Cd',
  'P9.Cp.Ck',
  'P9.Cm',
  'P5.Cp.Cd',
  'P5.Cp.Ck',
  'P5.Cm',
] as const;
export const NHS_LOGIN_SCOPE = 'openid profile email';

export interface NhsLoginPerson {
  sub: string;
  nhsNumber: string | null;
  identityLevel: IdentityLevel;
  givenName: string | null;
  familyName: string | null;
  birthdate: string | null;
  email: string | null;
}

const text = (value: unknown): string | null =>
  typeof value === 'string' && value.trim() !== '' ? value.trim() : null;

/** Reads NHS login's claims: userinfo first, the ID token where userinfo is silent. */
export function nhsLoginPerson({ idToken, userinfo }: VerifiedSignIn): NhsLoginPerson {
  const claim = (name: string) => text(userinfo[name]) ?? text(idToken[name]);
  const vot = text(idToken.vot);
  if (vot !== null && !(NHS_LOGIN_VTR as readonly string[]).includes(vot)) {
    throw refuse('oidc.identity_level_too_low');
  }
  const claimed = claim('identity_proofing_level');
  if (claimed !== 'P5' && claimed !== 'P9') throw refuse('oidc.identity_level_too_low');
  // The lower of the two: a P5 vector of trust in the signed ID token is never read as P9.
  const level = vot?.startsWith('P5') ? 'P5' : claimed;
  const nhsNumber = claim('nhs_number');
  if (nhsNumber !== null && !isValidNhsNumber(nhsNumber)) throw refuse('oidc.claims_missing');
  const birthdate = claim('birthdate');
  return {
    sub: idToken.sub,
    nhsNumber,
    identityLevel: level,
    givenName: claim('given_name'),
    familyName: claim('family_name'),
    birthdate: birthdate !== null && /^\d{4}-\d{2}-\d{2}$/.test(birthdate) ? birthdate : null,
    email: claim('email'),
  };
}

type PatientRow = typeof patients.$inferSelect;

async function userOfPatient(tx: Tx, patientId: string): Promise<string> {
  const [existing] = await tx.select().from(users).where(eq(users.patientId, patientId));
  if (existing) return existing.id;
  const [created] = await tx.insert(users).values({ patientId }).returning({ id: users.id });
  if (!created) throw new Error('user insert returned nothing');
  return created.id;
}

/**
 * Finds the patient an NHS login names and returns their user id: the record already
 * linked to this NHS login; else the record the hospital created with this NHS number
 * (claimed, and linked); else a new record. Updates the identity level from the claim.
 */
export async function signInPatientWithNhsLogin(
  tx: Tx,
  person: NhsLoginPerson,
  audit: AuditContext,
): Promise<{ userId: string; patientId: string; identityLevel: IdentityLevel }> {
  const [linked] = await tx
    .select({ userId: users.id, patient: patients })
    .from(signInMethods)
    .innerJoin(users, eq(users.id, signInMethods.userId))
    .innerJoin(patients, eq(patients.id, users.patientId))
    .where(and(eq(signInMethods.provider, 'nhs_login'), eq(signInMethods.subject, person.sub)))
    .for('update', { of: patients });

  let patient: PatientRow;
  let userId: string;
  // The same first sign-in at once (two tabs) linked the record while this one waited for it.
  let linkedMeanwhile = false;
  if (linked) {
    if (person.nhsNumber !== null && person.nhsNumber !== linked.patient.nhsNumber) {
      throw refuse('oidc.nhs_number_conflict');
    }
    patient = linked.patient;
    userId = linked.userId;
  } else {
    if (person.nhsNumber === null) throw refuse('oidc.claims_missing');
    const [known] = await tx
      .select()
      .from(patients)
      .where(eq(patients.nhsNumber, person.nhsNumber))
      .for('update');
    if (known) {
      const [other] = await tx
        .select({ subject: signInMethods.subject })
        .from(signInMethods)
        .innerJoin(users, eq(users.id, signInMethods.userId))
        .where(and(eq(users.patientId, known.id), eq(signInMethods.provider, 'nhs_login')));
      if (other && other.subject !== person.sub) throw refuse('oidc.record_linked_elsewhere');
      linkedMeanwhile = other !== undefined;
      patient = known;
    } else {
      if (!person.familyName || !person.birthdate) throw refuse('oidc.claims_missing');
      const [created] = await tx
        .insert(patients)
        .values({
          nhsNumber: person.nhsNumber,
          givenName: person.givenName ?? '',
          familyName: person.familyName,
          dateOfBirth: person.birthdate,
          email: person.email,
          identityLevel: person.identityLevel,
        })
        .returning();
      if (!created) throw new Error('patient insert returned nothing');
      patient = created;
      await recordAudit(tx, audit, {
        action: 'patient.created',
        entityType: 'patient',
        entityId: patient.id,
        patientId: patient.id,
        details: { via: 'nhs_login' },
      });
    }
    userId = await userOfPatient(tx, patient.id);
    if (!linkedMeanwhile) {
      await tx.insert(signInMethods).values({ userId, provider: 'nhs_login', subject: person.sub });
      await recordAudit(tx, audit, {
        action: 'sign_in_method.linked',
        entityType: 'user',
        entityId: userId,
        patientId: patient.id,
        details: { provider: 'nhs_login' },
      });
    }
  }

  if (patient.identityLevel !== person.identityLevel) {
    await tx
      .update(patients)
      .set({ identityLevel: person.identityLevel })
      .where(eq(patients.id, patient.id));
    await recordAudit(tx, audit, {
      action: 'patient.identity_level_changed',
      entityType: 'patient',
      entityId: patient.id,
      patientId: patient.id,
      details: { from: patient.identityLevel, to: person.identityLevel, via: 'nhs_login' },
    });
  }
  return { userId, patientId: patient.id, identityLevel: person.identityLevel };
}
