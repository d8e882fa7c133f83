import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { withTransaction } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden, invalid, notFound } from '../../platform/http/problem';
import { findTeam } from '../directory/directory.queries';
import { auditContextFor, type Actor, type RequestFacts } from '../identity/actor';
import { readBasis, timeLimitedAccess } from '../consent/consent.record-access';
import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number';
import type { CreatePatientInput, Patient } from './patients.contracts';
import { can } from './patients.policy';
import { factsFor, findPatient } from './patients.queries';
import { careRelationships, patientRegistrations, patients } from './patients.schema';

const patientNotFound = () => notFound('patient.not_found', 'Patient not found');

/** Registers a new patient record with the coordinator's organisation. */
export async function createPatient(
  deps: AppDeps,
  actor: Actor,
  input: CreatePatientInput,
  request: RequestFacts,
): Promise<Patient> {
  const nhsNumber = normaliseNhsNumber(input.nhsNumber);
  if (!isValidNhsNumber(nhsNumber)) {
    throw invalid([
      {
        field: 'body/nhsNumber',
        code: 'patient.nhs_number_invalid',
        message: 'Enter a valid 10-digit NHS number',
      },
    ]);
  }
  const now = deps.clock();
  const birth = new Date(`${input.dateOfBirth}T00:00:00Z`);
  if (Number.isNaN(birth.getTime()) || birth > now) {
    throw invalid([
      {
        field: 'body/dateOfBirth',
        code: 'patient.date_of_birth_invalid',
        message: 'Date of birth must be a real date in the past',
      },
    ]);
  }
  const facts = {
    organisationId: input.organisationId,
    registeredOrganisationIds: [],
    careTeamIds: [],
  };
  if (!can(actor, 'patient.create', facts)) {
    throw forbidden(
      'patient.forbidden',
      'Only a coordinator of this organisation can register patients.',
    );
  }
  try {
    return await withTransaction(deps.db, async (tx) => {
      const [row] = await tx
        .insert(patients)
        .values({
          nhsNumber,
          givenName: input.givenName.trim(),
          familyName: input.familyName.trim(),
          dateOfBirth: input.dateOfBirth,
          email: input.email?.trim() ?? null,
          identityLevel: input.identityLevel ?? 'P5',
        })
        .returning({ id: patients.id });
      if (!row) throw new Error('patient insert returned nothing');
      await tx
        .insert(patientRegistrations)
        .values({ patientId: row.id, organisationId: input.organisationId });
      await recordAudit(tx, auditContextFor(actor, request, now), {
        action: 'patient.created',
        entityType: 'patient',
        entityId: row.id,
        patientId: row.id,
        organisationId: input.organisationId,
      });
      return (await findPatient(tx, row.id))!;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw conflict(
        'patient.nhs_number_taken',
        'A patient with this NHS number is already registered.',
      );
    }
    throw error;
  }
}

/**
 * Reads a patient record, writing the read to the audit trail in the same transaction
 * (DESIGN C4). A refused read is audited too, then answered as not found.
 */
export async function getPatient(
  deps: AppDeps,
  actor: Actor,
  patientId: string,
  request: RequestFacts,
): Promise<Patient> {
  const result = await withTransaction(deps.db, async (tx) => {
    const patient = await findPatient(tx, patientId);
    if (!patient) return null;
    const at = deps.clock();
    const { grants, breakGlass } = await timeLimitedAccess(tx, patientId, at);
    const allowed = can(actor, 'patient.read', {
      ...factsFor(patient),
      grantTeamIds: grants.map((g) => g.teamId),
      breakGlassProfessionalIds: breakGlass.map((b) => b.professionalId),
    });
    await recordAudit(tx, auditContextFor(actor, request, at), {
      action: 'patient.read',
      entityType: 'patient',
      entityId: patientId,
      patientId,
      outcome: allowed ? 'success' : 'denied',
      details: allowed ? await readBasis(tx, actor, patientId, at) : {},
    });
    return allowed ? patient : null;
  });
  if (!result) throw patientNotFound();
  return result;
}

/** Gives a team standing record access to a patient (DESIGN C2), or takes it away. */
export async function setCareRelationship(
  deps: AppDeps,
  actor: Actor,
  ids: { teamId: string; patientId: string },
  present: boolean,
  request: RequestFacts,
): Promise<void> {
  await withTransaction(deps.db, async (tx) => {
    const team = await findTeam(tx, ids.teamId);
    if (!team) throw notFound('team.not_found', 'Team not found');
    const patient = await findPatient(tx, ids.patientId);
    const facts = patient ? { ...factsFor(patient), organisationId: team.organisationId } : null;
    if (!patient || !facts || !can(actor, 'patient.read', facts)) throw patientNotFound();
    if (!can(actor, 'careRelationship.manage', facts)) {
      throw forbidden(
        'care_relationship.forbidden',
        'Only a coordinator of the team’s organisation can change its care relationships.',
      );
    }
    const where = and(
      eq(careRelationships.teamId, ids.teamId),
      eq(careRelationships.patientId, ids.patientId),
    );
    if (present) {
      const professionalId = actor.kind === 'professional' ? actor.professionalId : null;
      await tx
        .insert(careRelationships)
        .values({ ...ids, createdByProfessionalId: professionalId })
        .onConflictDoNothing();
    } else {
      await tx.delete(careRelationships).where(where);
    }
    await recordAudit(tx, auditContextFor(actor, request, deps.clock()), {
      action: present ? 'care_relationship.set' : 'care_relationship.ended',
      entityType: 'care_relationship',
      entityId: `${ids.teamId}:${ids.patientId}`,
      patientId: ids.patientId,
      organisationId: team.organisationId,
    });
  });
}
