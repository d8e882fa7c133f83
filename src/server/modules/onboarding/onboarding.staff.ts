import { eq, inArray, sql } from 'drizzle-orm';
import { type AuditContext, recordAudit } from '../../platform/audit/audit';
import type { Tx } from '../../platform/db/database';
import { professionals, teamMemberships, teams } from '../directory/directory.schema';
import type { RowOutcome } from './onboarding.contracts';
import type { ColumnSpec, CsvRow } from './onboarding.csv';
import { ensureUser, isEmail, Problems, queueInvitation } from './onboarding.people';
import type { ImportProblem } from './onboarding.schema';

export const STAFF_COLUMNS: readonly ColumnSpec[] = [
  { key: 'name', heading: 'Name', required: true, aliases: ['fullname'] },
  { key: 'jobTitle', heading: 'Job title', required: true, aliases: ['title'] },
  { key: 'email', heading: 'Email', required: true, aliases: ['emailaddress'] },
  { key: 'team', heading: 'Team', required: true, aliases: ['teamslug', 'teamname'] },
  { key: 'role', heading: 'Role', required: true, aliases: ['teamrole'] },
  { key: 'contactable', heading: 'Contactable', required: true },
];

export interface StaffRow {
  row: number;
  name: string;
  jobTitle: string;
  email: string;
  team: string;
  role: 'member' | 'manager';
  contactable: boolean;
}

const YES = new Set(['yes', 'y', 'true']);
const NO = new Set(['no', 'n', 'false']);

/** Checks each row on its own and against the others; no database needed. */
export function validateStaff(
  rows: CsvRow[],
  headings: ReadonlyMap<string, string>,
): { values: StaffRow[]; problems: ImportProblem[] } {
  const problems = new Problems(headings);
  const values: StaffRow[] = [];
  const firstByEmail = new Map<string, StaffRow>();
  for (const { row, cells } of rows) {
    const before = problems.list.length;
    const name = cells.name ?? '';
    const jobTitle = cells.jobTitle ?? '';
    const email = cells.email ?? '';
    const team = cells.team ?? '';
    const role = (cells.role ?? '').toLowerCase();
    const contactable = (cells.contactable ?? '').toLowerCase();
    if (!name) problems.add(row, 'name', 'onboarding.name_missing', 'Enter the person’s name');
    else if (name.length > 120)
      problems.add(row, 'name', 'onboarding.name_too_long', 'Name must be 120 characters or fewer');
    if (!jobTitle)
      problems.add(row, 'jobTitle', 'onboarding.job_title_missing', 'Enter the person’s job title');
    else if (jobTitle.length > 120)
      problems.add(
        row,
        'jobTitle',
        'onboarding.job_title_too_long',
        'Job title must be 120 characters or fewer',
      );
    if (!email) problems.add(row, 'email', 'onboarding.email_missing', 'Enter an email address');
    else if (!isEmail(email))
      problems.add(
        row,
        'email',
        'onboarding.email_invalid',
        'Enter an email address in the correct format, like name@example.nhs.uk',
      );
    if (!team)
      problems.add(row, 'team', 'onboarding.team_missing', 'Enter the team’s short name or name');
    if (role !== 'member' && role !== 'manager')
      problems.add(row, 'role', 'onboarding.role_invalid', 'Role must be manager or member');
    if (!YES.has(contactable) && !NO.has(contactable))
      problems.add(row, 'contactable', 'onboarding.contactable_invalid', 'Enter yes or no');
    if (problems.list.length > before) continue;

    const value: StaffRow = {
      row,
      name,
      jobTitle,
      email,
      team,
      role: role as StaffRow['role'],
      contactable: YES.has(contactable),
    };
    const first = firstByEmail.get(email.toLowerCase());
    if (first && (first.name !== name || first.jobTitle !== jobTitle)) {
      problems.add(
        row,
        'email',
        'onboarding.person_differs',
        `This email address is on row ${first.row} with a different name or job title`,
      );
      continue;
    }
    if (!first) firstByEmail.set(email.toLowerCase(), value);
    values.push(value);
  }
  return { values, problems: problems.list };
}

export interface StaffPlan {
  rows: (StaffRow & { teamId: string })[];
  existing: Map<string, { id: string }>;
  memberships: Set<string>;
}

/** What the file's rows meet in the database: its teams, and staff already known. */
export async function checkStaff(
  tx: Tx,
  organisationId: string,
  values: StaffRow[],
  headings: ReadonlyMap<string, string>,
): Promise<{ plan: StaffPlan; problems: ImportProblem[] }> {
  const problems = new Problems(headings);
  const orgTeams = await tx
    .select({ id: teams.id, slug: teams.slug, name: teams.name, active: teams.active })
    .from(teams)
    .where(eq(teams.organisationId, organisationId));
  const emails = [...new Set(values.map((v) => v.email.toLowerCase()))];
  const known =
    emails.length === 0
      ? []
      : await tx
          .select({
            id: professionals.id,
            email: professionals.email,
            organisationId: professionals.organisationId,
            active: professionals.active,
          })
          .from(professionals)
          .where(inArray(sql`lower(${professionals.email})`, emails));
  const existing = new Map(known.map((p) => [p.email.toLowerCase(), p]));
  const memberRows =
    known.length === 0
      ? []
      : await tx
          .select({
            teamId: teamMemberships.teamId,
            professionalId: teamMemberships.professionalId,
          })
          .from(teamMemberships)
          .where(
            inArray(
              teamMemberships.professionalId,
              known.map((p) => p.id),
            ),
          );
  const memberships = new Set(memberRows.map((m) => `${m.teamId}:${m.professionalId}`));

  const rows: StaffPlan['rows'] = [];
  const seen = new Map<string, number>();
  for (const value of values) {
    const bySlug = orgTeams.filter((t) => t.slug === value.team.toLowerCase());
    const byName = orgTeams.filter((t) => t.name.toLowerCase() === value.team.toLowerCase());
    const matches = bySlug.length > 0 ? bySlug : byName;
    const team = matches[0];
    if (!team) {
      problems.add(
        value.row,
        'team',
        'onboarding.team_unknown',
        'No team of your organisation has this short name or name',
      );
      continue;
    }
    if (matches.length > 1) {
      problems.add(
        value.row,
        'team',
        'onboarding.team_ambiguous',
        'More than one team has this name: use the team’s short name instead',
      );
      continue;
    }
    if (!team.active) {
      problems.add(value.row, 'team', 'onboarding.team_inactive', 'This team is not active');
      continue;
    }
    const person = existing.get(value.email.toLowerCase());
    if (person && person.organisationId !== organisationId) {
      problems.add(
        value.row,
        'email',
        'onboarding.email_other_organisation',
        'This email address belongs to staff of another organisation',
      );
      continue;
    }
    if (person && !person.active) {
      problems.add(
        value.row,
        'email',
        'onboarding.person_inactive',
        'This person’s account is not active',
      );
      continue;
    }
    const key = `${value.email.toLowerCase()}:${team.id}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.add(
        value.row,
        'team',
        'onboarding.duplicate_row',
        `This person is already added to this team on row ${earlier}`,
      );
      continue;
    }
    seen.set(key, value.row);
    rows.push({ ...value, teamId: team.id });
  }
  return { plan: { rows, existing, memberships }, problems: problems.list };
}

/**
 * Creates who is new and adds who is not yet in their team. Nothing already there is changed
 * (not a name, a role or contactability), so the same file run twice changes nothing.
 */
export async function writeStaff(
  tx: Tx,
  audit: AuditContext,
  organisationId: string,
  plan: StaffPlan,
): Promise<{ rows: { row: number; outcome: RowOutcome }[]; invitations: number }> {
  const created = new Map<string, string>();
  const invited = new Set<string>();
  let invitations = 0;
  const outcomes: { row: number; outcome: RowOutcome }[] = [];
  for (const value of plan.rows) {
    const emailKey = value.email.toLowerCase();
    let professionalId = plan.existing.get(emailKey)?.id ?? created.get(emailKey);
    if (!professionalId) {
      const [row] = await tx
        .insert(professionals)
        .values({ organisationId, name: value.name, jobTitle: value.jobTitle, email: value.email })
        .returning({ id: professionals.id });
      if (!row) throw new Error('professional insert returned nothing');
      professionalId = row.id;
      created.set(emailKey, professionalId);
      await recordAudit(tx, audit, {
        action: 'professional.created',
        entityType: 'professional',
        entityId: professionalId,
        organisationId,
        details: { via: 'import' },
      });
    }
    if (plan.memberships.has(`${value.teamId}:${professionalId}`)) {
      outcomes.push({ row: value.row, outcome: 'already_present' });
      continue;
    }
    await tx.insert(teamMemberships).values({
      teamId: value.teamId,
      professionalId,
      role: value.role,
      contactable: value.contactable,
    });
    await recordAudit(tx, audit, {
      action: 'team.member_added',
      entityType: 'team_membership',
      entityId: `${value.teamId}:${professionalId}`,
      organisationId,
      details: { role: value.role, contactable: value.contactable, via: 'import' },
    });
    outcomes.push({ row: value.row, outcome: created.has(emailKey) ? 'created' : 'linked' });
    if (!invited.has(professionalId)) {
      invited.add(professionalId);
      const userId = await ensureUser(tx, { professionalId });
      if (await queueInvitation(tx, 'staff', organisationId, userId, audit.now)) invitations += 1;
    }
  }
  return { rows: outcomes, invitations };
}
