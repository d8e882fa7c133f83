import { createHash } from 'node:crypto';
import { DEMO_PATIENTS, DEMO_TEAMS } from './demo-data';

/** Someone the demo identity provider can sign in as, with the claims it releases. */
export interface DemoPerson {
  sub: string;
  /** What the picking page shows: a name and a line about them. */
  label: string;
  hint: string;
  claims: Record<string, unknown>;
}

/** A stable, UUID-shaped subject, so a demo person is the same person after a restart. */
export function demoSubject(kind: string, key: string): string {
  const hex = createHash('sha256').update(`${kind}:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const spaced = (nhsNumber: string) =>
  `${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)}`;

/** The demo patients, as NHS login would describe them (same NHS numbers as the seed). */
export const DEMO_NHS_LOGIN_PEOPLE: DemoPerson[] = DEMO_PATIENTS.map((p) => ({
  sub: demoSubject('nhs_login', p.nhsNumber),
  label: `${p.givenName} ${p.familyName}`,
  hint: `Identity verified to ${p.identityLevel}${p.identityLevel === 'P5' ? ' (not fully verified)' : ''}, NHS number ${spaced(p.nhsNumber)}`,
  claims: {
    nhs_number: p.nhsNumber,
    identity_proofing_level: p.identityLevel,
    vot: `${p.identityLevel}.Cp.Cd`,
    birthdate: p.dateOfBirth,
    given_name: p.givenName,
    family_name: p.familyName,
    email: p.email,
    email_verified: true,
  },
}));

/** The demo organisation's code in the Organisation Data Service, as CIS2 roles carry it. */
export const DEMO_ODS_CODE = 'DEMO';

const allStaff = DEMO_TEAMS.flatMap((team) => team.staff.map((s) => ({ ...s, team: team.name })));

function cis2Person(email: string, roles: { id: string; name: string; code: string }[]) {
  const person = allStaff.find((s) => s.email === email);
  if (!person) throw new Error(`no demo staff member ${email}`);
  const [given, ...family] = person.name.replace(/^Dr /, '').split(' ');
  return {
    sub: demoSubject('cis2', email),
    label: person.name,
    hint: `${person.jobTitle}, ${person.team}${roles.length > 1 ? ` — ${roles.length} roles` : ''}`,
    claims: {
      email,
      email_verified: true,
      given_name: given,
      family_name: family.join(' '),
      name: person.name,
      nhsid_nrbac_roles: roles.map((role) => ({
        person_roleid: role.id,
        org_code: DEMO_ODS_CODE,
        role_code: role.code,
        role_name: `"Clinical":"Clinical Provision":"${role.name}"`,
      })),
    },
  };
}

/** Demo staff for the CIS2 emulation: one with two roles, and one the directory does not know. */
export const DEMO_CIS2_PEOPLE: DemoPerson[] = [
  cis2Person('coordinator@demo.carethread.test', [
    { id: '100000000001', name: 'Patient Experience Lead', code: 'S0080:G0450:R5080' },
    { id: '100000000002', name: 'Admin and Clerical', code: 'S8001:G8005:R8008' },
  ]),
  cis2Person('cardiology.nurses.manager@demo.carethread.test', [
    { id: '100000000003', name: 'Nurse Manager', code: 'S8000:G8000:R8001' },
  ]),
  cis2Person('cardiology.nurses.member1@demo.carethread.test', [
    { id: '100000000004', name: 'Nurse Access Role', code: 'S8000:G8000:R8001' },
  ]),
  {
    sub: demoSubject('cis2', 'unknown'),
    label: 'Robin Unlisted',
    hint: 'Has a smartcard but is not in Carethread’s directory: signing in is refused',
    claims: {
      email: 'robin.unlisted@demo.carethread.test',
      email_verified: true,
      given_name: 'Robin',
      family_name: 'Unlisted',
      name: 'Robin Unlisted',
      nhsid_nrbac_roles: [
        {
          person_roleid: '100000000009',
          org_code: DEMO_ODS_CODE,
          role_code: 'S8000:G8000:R8001',
          role_name: '"Clinical":"Clinical Provision":"Nurse Access Role"',
        },
      ],
    },
  },
];
