import { and, eq } from 'drizzle-orm';
import type { Tx } from '../platform/db/database';
import {
  appointmentEvents,
  appointments,
  appointmentSettings,
} from '../modules/appointments/appointments.schema';
import { professionals, teams } from '../modules/directory/directory.schema';
import { users } from '../modules/identity/identity.schema';
import { patients } from '../modules/patients/patients.schema';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A whole-hour time `days` from now, so the demo's appointments look booked by a person. */
function daysAhead(now: Date, days: number, hourUtc: number): Date {
  const at = new Date(now.getTime() + days * DAY_MS);
  at.setUTCHours(hourUtc, 0, 0, 0);
  return at;
}

/**
 * Central Appointments answers the demo organisation's appointment questions (cut-off 72
 * hours), and has booked Margaret Thompson two appointments: one with the cardiologists in
 * two weeks (she may still ask to change it) and an ECG in two days (too close to ask).
 */
export async function seedDemoAppointments(tx: Tx, organisationId: string, now: Date) {
  const teamId = async (slug: string) => {
    const [team] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.slug, slug));
    return team!.id;
  };
  const centralAppointments = await teamId('demo-central-appointments');
  await tx
    .insert(appointmentSettings)
    .values({ organisationId, appointmentsTeamId: centralAppointments, changeCutoffHours: 72 });

  const [clerk] = await tx
    .select({ userId: users.id, name: professionals.name })
    .from(professionals)
    .innerJoin(users, eq(users.professionalId, professionals.id))
    .where(eq(professionals.email, 'appointments.member1@demo.carethread.test'));
  const [consultant] = await tx
    .select({ id: professionals.id })
    .from(professionals)
    .where(
      and(
        eq(professionals.organisationId, organisationId),
        eq(professionals.email, 'cardiology.consultants.member1@demo.carethread.test'),
      ),
    );
  const [margaret] = await tx
    .select({ id: patients.id })
    .from(patients)
    .where(eq(patients.email, 'patient.p9@demo.carethread.test'));
  const booked = [
    {
      teamId: await teamId('demo-cardiology-consultants'),
      clinicianProfessionalId: consultant!.id,
      startsAt: daysAhead(now, 14, 10),
      durationMinutes: 30,
      location: 'Cardiology Outpatients, Level 2, Main Building',
      preparation:
        'Bring a list of the medicines you take. You can eat and drink as normal. Allow an hour in case tests are needed.',
    },
    {
      teamId: await teamId('demo-cardiology-nurses'),
      clinicianProfessionalId: null,
      startsAt: daysAhead(now, 2, 14),
      durationMinutes: 20,
      location: 'Heart Investigations Unit, Level 1, Main Building',
      preparation: 'Wear a loose top that is easy to open: the nurse will record an ECG.',
    },
  ];
  for (const fields of booked) {
    const [row] = await tx
      .insert(appointments)
      .values({
        ...fields,
        patientId: margaret!.id,
        organisationId,
        status: 'booked',
        version: 1,
        bookedByUserId: clerk!.userId,
        bookedByTeamId: centralAppointments,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: appointments.id });
    await tx.insert(appointmentEvents).values({
      appointmentId: row!.id,
      patientId: margaret!.id,
      kind: 'created',
      changedByUserId: clerk!.userId,
      changedByTeamId: centralAppointments,
      changedByLabel: `${clerk!.name}, Central Appointments`,
      version: 1,
      at: now,
    });
  }
}
