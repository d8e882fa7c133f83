import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../platform/audit/audit';
import { type Tx, withTransaction } from '../../platform/db/database';
import { isUniqueViolation } from '../../platform/db/errors';
import type { AppDeps } from '../../platform/deps';
import { conflict, forbidden, invalid, notFound } from '../../platform/http/problem';
import { findTeam } from '../directory/directory.queries';
import { auditContextFor, type Actor, type RequestFacts } from '../identity/actor';
import { requireVerifiedActor } from '../identity/verification';
import { ukDate } from '../../platform/time/uk-time';
import { readBasis, timeLimitedAccess } from '../consent/consent.record-access';
import { parseNhsNumber } from './nhs-number';
import { limitLookups, LOOKUPS_PER_WINDOW, logLookup } from './patients.lookups';
import type { CreatePatientInput, Patient } from './patients.contracts';
import { can } from './patients.policy';
import { factsFor, findPatient } from './patients.queries';
import { careRelationships, patientRegistrations, patients } from './patients.schema';

const patientNotFound = () => notFound('patient.not_found', 'Patient not found');

/**
 * Whether the actor may read the patient's record now (patient.read: care relationship,
 * grant, break-glass, the patient, a coordinator), audited in the patient's chain as
 * `action`, a refusal as `denied` (C4).
 */
export async function auditedRead(
  tx: Tx,
  actor: Actor,
  patient: Patient,
  action: 'patient.read' | 'patient.looked_up',
  request: RequestFacts,
  at: Date,
): Promise<boolean> {
  const { grants, breakGlass } = await timeLimitedAccess(tx, patient.id, at);
  const allowed = can(actor, 'patient.read', {
    ...factsFor(patient),
    grantTeamIds: grants.map((g) => g.teamId),
    breakGlassProfessionalIds: breakGlass.map((b) => b.professionalId),
  });
  await recordAudit(tx, auditContextFor(actor, request, at), {
    action,
    entityType: 'patient',
    entityId: patient.id,
    patientId: patient.id,
    outcome: allowed ? 'success' : 'denied',
    details: allowed ? await readBasis(tx, actor, patient.id, at) : {},
  });
  return allowed;
}

/** Registers a new patient record with the coordinator's organisation. */
export async function createPatient(
  deps: AppDeps,
  actor: Actor,
  input: CreatePatientInput,
  request: RequestFacts,
): Promise<Patient> {
  const nhsNumber = parseNhsNumber(input.nhsNumber);
  const now = deps.clock();
  const birth = new Date(`${input.dateOfBirth}T00:00:00Z`);
  // Compared with today in the UK: just after midnight in summer, UTC is still on yesterday.
  if (Number.isNaN(birth.getTime()) || input.dateOfBirth > ukDate(now)) {
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
    const allowed = await auditedRead(tx, actor, patient, 'patient.read', request, deps.clock());
    return allowed ? patient : null;
  });
  if (!result) throw patientNotFound();
  return result;
}

/**
 * Staff find a record by NHS number (findPatientByNhsNumber): its id when they may read it
 * (C2), audited in the patient's chain as `patient.looked_up` (a refusal as `denied`, C4).
 * No record, and one they may not read, answer the same 404, so the lookup tells nobody
 * who is registered; emergency access (break-glass) is the way to a record outside their care.
 * Every lookup writes a `patient_lookups` row (no number in it), which limits each person to
 * LOOKUPS_PER_WINDOW and keeps the work of "no record" close to that of "not yours".
 */
export async function findPatientByNhsNumber(
  deps: AppDeps,
  actor: Actor,
  input: { nhsNumber: string },
  request: RequestFacts,
): Promise<{ patientId: string }> {
  const author = requireVerifiedActor(actor);
  if (author.kind !== 'professional') {
    throw forbidden('patient_lookup.staff_only', 'Only staff can find records by NHS number.');
  }
  const nhsNumber = parseNhsNumber(input.nhsNumber);
  const patientId = await withTransaction(deps.db, async (tx) => {
    const now = deps.clock();
    const looker = { professionalId: author.professionalId };
    await limitLookups(tx, looker, now, LOOKUPS_PER_WINDOW);
    const [row] = await tx
      .select({ id: patients.id })
      .from(patients)
      .where(eq(patients.nhsNumber, nhsNumber));
    const patient = row ? await findPatient(tx, row.id) : null;
    const allowed = patient
      ? await auditedRead(tx, author, patient, 'patient.looked_up', request, now)
      : false;
    await logLookup(tx, looker, now, patient ? (allowed ? 'found' : 'refused') : 'none');
    return allowed && patient ? patient.id : null;
  });
  if (!patientId) {
    throw notFound(
      'patient.not_found',
      'No record with this NHS number is looked after by your teams.',
    );
  }
  return { patientId };
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
    if (present && !team.active) {
      throw conflict(
        'care_relationship.team_inactive',
        'This team is inactive. Choose an active team to look after the patient.',
      );
    }
    const professionalId = actor.kind === 'professional' ? actor.professionalId : null;
    const changed = present
      ? await tx
          .insert(careRelationships)
          .values({ ...ids, createdByProfessionalId: professionalId })
          .onConflictDoNothing()
          .returning({ teamId: careRelationships.teamId })
      : await tx
          .delete(careRelationships)
          .where(where)
          .returning({ teamId: careRelationships.teamId });
    // Already so (a double submit, two coordinators at once): done, and nothing to tell the
    // patient, whose "Who has seen my record" lists only changes that happened (C4).
    if (changed.length === 0) return;
    await recordAudit(tx, auditContextFor(actor, request, deps.clock()), {
      action: present ? 'care_relationship.set' : 'care_relationship.ended',
      entityType: 'care_relationship',
      entityId: `${ids.teamId}:${ids.patientId}`,
      patientId: ids.patientId,
      // Which team, so the patient reads which team may now see their record, or no longer.
      details: { teamId: team.id, teamName: team.name },
      organisationId: team.organisationId,
    });
  });
}
