import pg from 'pg';
import { hashPassword } from '../src/server/modules/identity/passwords';
import { connectPostgres, migrate } from '../src/server/platform/db/database';
import { PASSWORD, WORLD } from './ids';

/** Drops and recreates a database on the server `url` points at. */
export async function recreateDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`bench database name must be a plain lower-case identifier (got "${name}")`);
  }
  if (!name.includes('bench')) {
    throw new Error(`refusing to drop "${name}": a bench database name must contain "bench"`);
  }
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(`drop database if exists ${name} with (force)`);
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
}

/** Creates the project's schema with its own migrations, as the server does on start. */
export async function migrateDatabase(url: string): Promise<void> {
  const connection = connectPostgres(url, 1);
  try {
    await migrate(connection);
  } finally {
    await connection.close();
  }
}

const int = (value: number) => {
  if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
  return String(value);
};

const W = WORLD;
const PROFESSIONALS = W.teams * W.professionalsPerTeam;

/**
 * The directory, patients and sign-ins. Ids are md5(label)::uuid so that they can be
 * recomputed anywhere (see ids.ts); one argon2 hash serves every account.
 */
const PEOPLE = [
  `insert into organisations (id, name, slug)
   values (md5('org')::uuid, 'Bench NHS Foundation Trust', 'bench-trust')`,
  `insert into teams (id, organisation_id, name, slug, description, contactable)
   select md5('team:' || t)::uuid, md5('org')::uuid, 'Bench Team ' || lpad(t::text, 4, '0'),
          'bench-team-' || t, 'A team of the benchmark', true
   from generate_series(1, ${int(W.teams)}) t`,
  `insert into professionals (id, organisation_id, name, job_title, email)
   select md5('pro:' || m)::uuid, md5('org')::uuid, 'Staff ' || m, 'Nurse',
          'staff-' || m || '@bench.test'
   from generate_series(1, ${int(PROFESSIONALS)}) m`,
  `insert into team_memberships (team_id, professional_id, role, contactable)
   select md5('team:' || ((m - 1) / ${int(W.professionalsPerTeam)} + 1))::uuid, md5('pro:' || m)::uuid,
          case when (m - 1) % ${int(W.professionalsPerTeam)} = 0 then 'manager' else 'member' end, false
   from generate_series(1, ${int(PROFESSIONALS)}) m`,
  `insert into patients (id, nhs_number, given_name, family_name, date_of_birth, email, identity_level)
   select md5('pat:' || p)::uuid, '9' || lpad(p::text, 9, '0'), 'Pat', 'Bench' || p,
          date '1940-01-01' + (p % 25000), 'patient-' || p || '@bench.test', 'P9'
   from generate_series(1, ${int(W.patients)}) p`,
  `insert into patient_registrations (patient_id, organisation_id)
   select md5('pat:' || p)::uuid, md5('org')::uuid from generate_series(1, ${int(W.patients)}) p`,
  `insert into care_relationships (patient_id, team_id)
   select md5('pat:' || p)::uuid, md5('team:' || ((p - 1) % ${int(W.teams)} + 1))::uuid
   from generate_series(1, ${int(W.patients)}) p`,
  `insert into users (id, professional_id)
   select md5('pro-user:' || m)::uuid, md5('pro:' || m)::uuid
   from generate_series(1, ${int(PROFESSIONALS)}) m`,
  `insert into users (id, patient_id)
   select md5('pat-user:' || p)::uuid, md5('pat:' || p)::uuid
   from generate_series(1, ${int(W.patients)}) p`,
  `insert into sign_in_methods (user_id, provider, subject, password_hash)
   select md5('pro-user:' || m)::uuid, 'password', 'staff-' || m || '@bench.test', $1
   from generate_series(1, ${int(PROFESSIONALS)}) m`,
  `insert into sign_in_methods (user_id, provider, subject, password_hash)
   select md5('pat-user:' || p)::uuid, 'password', 'patient-' || p || '@bench.test', $1
   from generate_series(1, ${int(W.patients)}) p`,
];

/**
 * One row per conversation with everything the inserts below derive from it: its team, its
 * patient, the team member who replies, its workflow state and its times. Team 1 is the busy
 * team: open (unassigned, waiting), then assigned, then archived conversations; elsewhere by
 * n % 10, 40% open, 20% assigned and 40% archived. Messages alternate patient (odd seq) and
 * staff (even seq), so a conversation of 5 ends with the patient waiting, as the app leaves it.
 */
const PLAN = `
  create unlogged table bench_plan as
  with n as (
    select n from generate_series(1, ${int(W.conversations)}) n
    union all select ${int(W.longThread)}
  ), placed as (
    select n,
      case when n <= ${int(W.busyTeamConversations)} or n = ${int(W.longThread)} then 1
           else 2 + (n - ${int(W.busyTeamConversations)} - 1) % ${int(W.teams - 1)} end as team,
      case when n = ${int(W.longThread)} then 1 else (n - 1) % ${int(W.patients)} + 1 end as patient,
      case when n = ${int(W.longThread)} then 'assigned'
           when n <= ${int(W.busyTeamOpen)} then 'open'
           when n <= ${int(W.busyTeamOpen + W.busyTeamAssigned)} then 'assigned'
           when n <= ${int(W.busyTeamConversations)} then 'archived'
           when n % 10 < 4 then 'archived'
           when n % 10 < 6 then 'assigned'
           else 'open' end as state,
      case when n = ${int(W.longThread)} then ${int(W.longThreadMessages)}
           else ${int(W.messagesPerConversation)} end as messages,
      now() - interval '300 days'
        + ((n::bigint * 7919) % ${int(W.conversations + 3)}) * interval '2 minutes' as created_at
    from n
  )
  select n, md5('conv:' || n)::uuid as id, team, md5('team:' || team)::uuid as team_id,
    'Bench Team ' || lpad(team::text, 4, '0') as team_name,
    md5('pat:' || patient)::uuid as patient_id, md5('pat-user:' || patient)::uuid as patient_user_id,
    'Pat Bench' || patient as patient_name,
    md5('pro:' || staff)::uuid as staff_id, md5('pro-user:' || staff)::uuid as staff_user_id,
    'Staff ' || staff as staff_name, state, messages, created_at,
    created_at + (messages - 1) * interval '7 minutes' as last_message_at,
    -- the newest patient message (odd seq) and the newest staff reply (even seq)
    created_at + (messages - 2 + messages % 2) * interval '7 minutes' as last_patient_at,
    messages - 1 + messages % 2 as last_patient_seq,
    messages - messages % 2 as last_staff_seq
  from (select *, (team - 1) * ${int(W.professionalsPerTeam)} + 1 + n % ${int(W.professionalsPerTeam)} as staff
        from placed) p`;

const CONVERSATIONS = [
  `insert into conversations (id, patient_id, subject, created_by_user_id, created_at,
                              last_message_seq, last_message_at)
   select id, patient_id, 'Bench conversation ' || n, patient_user_id, created_at,
          messages, last_message_at
   from bench_plan`,
  `insert into conversation_participants (conversation_id, patient_id, kind, user_id, added_by_user_id, joined_at)
   select id, patient_id, 'patient', patient_user_id, patient_user_id, created_at from bench_plan`,
  `insert into conversation_participants (conversation_id, patient_id, kind, team_id, added_by_user_id, joined_at)
   select id, patient_id, 'team', team_id, patient_user_id, created_at from bench_plan`,
  // As appendMessage and the inbox commands leave them: a reply from inside clears the wait,
  // an outside message starts it; archiving clears assignee and wait.
  `insert into conversation_team_states (conversation_id, team_id, patient_id,
     assignee_professional_id, assigned_at, archived_at, last_outside_message_at,
     waiting_since, last_activity_at)
   select id, team_id, patient_id,
     case when state = 'assigned' then staff_id end,
     case when state = 'assigned' then last_message_at + interval '1 minute' end,
     case when state = 'archived' then last_message_at + interval '1 hour' end,
     last_patient_at,
     case when state <> 'archived' and messages % 2 = 1 then last_message_at end,
     last_message_at
   from bench_plan`,
  `insert into conversation_reads (conversation_id, user_id, patient_id, last_read_seq, read_at)
   select id, patient_user_id, patient_id, last_patient_seq, last_patient_at from bench_plan`,
  `insert into conversation_reads (conversation_id, user_id, patient_id, last_read_seq, read_at)
   select id, staff_user_id, patient_id, last_staff_seq,
          created_at + (last_staff_seq - 1) * interval '7 minutes'
   from bench_plan where last_staff_seq > 0`,
];

/** The messages, in `parts` slices that run on separate connections. */
function messageSlice(part: number, parts: number): string {
  return `insert into messages (conversation_id, patient_id, seq, author_user_id, author_kind,
                                author_professional_id, author_label, body, created_at)
   select c.id, c.patient_id, s,
     case when s % 2 = 1 then c.patient_user_id else c.staff_user_id end,
     case when s % 2 = 1 then 'patient' else 'professional' end,
     case when s % 2 = 0 then c.staff_id end,
     case when s % 2 = 1 then c.patient_name else c.staff_name || ', ' || c.team_name end,
     'Message ' || s || ' of bench conversation ' || c.n
       || '. Thank you for getting back to me; the swelling is a little better since Tuesday '
       || 'and I have been taking the tablets as you said.',
     c.created_at + (s - 1) * interval '7 minutes'
   from bench_plan c cross join lateral generate_series(1, c.messages) s
   where c.n % ${int(parts)} = ${int(part)}`;
}

export interface SeedTimings {
  totalMs: number;
  steps: { name: string; ms: number }[];
}

/**
 * Fills a freshly migrated database. Rows are consistent by construction, so foreign-key
 * triggers are switched off for the load (session_replication_role = replica, as a restore
 * does) and a few checks afterwards confirm the references hold.
 */
export async function seed(url: string): Promise<SeedTimings> {
  const started = performance.now();
  const steps: SeedTimings['steps'] = [];
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const [a, b] = await Promise.all([pool.connect(), pool.connect()]);
  for (const client of [a, b]) {
    await client.query('set session_replication_role = replica');
    await client.query('set synchronous_commit = off');
  }
  const step = async (name: string, work: () => Promise<unknown>) => {
    const t = performance.now();
    await work();
    steps.push({ name, ms: performance.now() - t });
  };
  try {
    const hash = await hashPassword(PASSWORD);
    await step('organisation, teams, staff, patients, sign-ins', async () => {
      for (const statement of PEOPLE) {
        await a.query(statement, statement.includes('$1') ? [hash] : []);
      }
    });
    await step('conversation plan', () => a.query(PLAN));
    await step('conversations, participants, team states, reads, messages', () =>
      Promise.all([
        (async () => {
          for (const statement of CONVERSATIONS) await a.query(statement);
          await a.query(messageSlice(0, 2));
        })(),
        b.query(messageSlice(1, 2)),
      ]),
    );
    // The load ran without triggers, so the inbox counters are counted once here.
    await step('inbox counts', () => a.query('select recount_team_inbox()'));
    await step('checks', () => check(a));
    await a.query('drop table bench_plan');
    await step('vacuum analyze', () => a.query('vacuum analyze'));
    await step('checkpoint', () => a.query('checkpoint'));
  } finally {
    a.release();
    b.release();
    await pool.end();
  }
  return { totalMs: performance.now() - started, steps };
}

async function check(client: pg.PoolClient): Promise<void> {
  const { rows } = await client.query<Record<string, string>>(`
    select
      (select count(*) from messages) as messages,
      (select count(*) from patients) as patients,
      (select count(*) from teams) as teams,
      (select count(*) from messages m where not exists
         (select 1 from conversations c where c.id = m.conversation_id)) as orphan_messages,
      (select count(*) from conversations c where c.last_message_seq <>
         (select max(seq) from messages m where m.conversation_id = c.id)) as bad_sequences,
      (select count(*) from conversation_team_states
         where team_id = md5('team:1')::uuid and archived_at is null
           and assignee_professional_id is null) as busy_team_open,
      (select count(*) from messages m where not exists
         (select 1 from users u where u.id = m.author_user_id)) as unknown_authors`);
  const r = rows[0]!;
  const problems: string[] = [];
  if (Number(r.messages) < 1_000_000) problems.push(`only ${r.messages} messages`);
  if (Number(r.patients) < 100_000) problems.push(`only ${r.patients} patients`);
  if (Number(r.teams) < 1_000) problems.push(`only ${r.teams} teams`);
  if (Number(r.orphan_messages) !== 0) problems.push(`${r.orphan_messages} orphan messages`);
  if (Number(r.bad_sequences) !== 0) problems.push(`${r.bad_sequences} bad sequences`);
  if (Number(r.unknown_authors) !== 0) problems.push(`${r.unknown_authors} unknown authors`);
  if (Number(r.busy_team_open) !== WORLD.busyTeamOpen) {
    problems.push(`busy team has ${r.busy_team_open} open conversations`);
  }
  if (problems.length > 0) throw new Error(`seed check failed: ${problems.join('; ')}`);
}
