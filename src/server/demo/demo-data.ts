import type { OpeningPeriod, Role } from '../modules/directory/directory.schema';
import type { IdentityLevel } from '../modules/patients/patients.schema';

/** The one password of every demo account. Demo seeding is refused in production. */
export const DEMO_PASSWORD = 'carethread-demo';
export const DEMO_ORGANISATION = {
  name: 'Carethread Demo Hospital NHS Trust',
  slug: 'demo-hospital',
};
const DOMAIN = 'demo.carethread.test';

const weekdays = (opens: string, closes: string): OpeningPeriod[] =>
  (['monday', 'tuesday', 'wednesday', 'thursday', 'friday'] as const).map((day) => ({
    day,
    opens,
    closes,
  }));

interface DemoStaff {
  name: string;
  jobTitle: string;
  email: string;
  role: Role;
  contactable?: boolean;
}

interface DemoTeam {
  name: string;
  slug: string;
  description: string;
  contactable: boolean;
  phone: string | null;
  openingHours: OpeningPeriod[];
  staff: DemoStaff[];
  /** Slugs of this team's second- and third-line teams. */
  pathway?: { line: 2 | 3; slug: string }[];
}

const staff = (
  prefix: string,
  manager: string,
  members: [string, string][],
  title: string,
): DemoStaff[] => [
  {
    name: manager,
    jobTitle: `${title} manager`,
    email: `${prefix}.manager@${DOMAIN}`,
    role: 'manager',
  },
  ...members.map(([name, jobTitle], i) => ({
    name,
    jobTitle,
    email: `${prefix}.member${i + 1}@${DOMAIN}`,
    role: 'member' as const,
  })),
];

/** The teams of the roll-out guide (DESIGN §3), 2–4 staff each with one manager. */
export const DEMO_TEAMS: DemoTeam[] = [
  {
    name: 'PALS',
    slug: 'demo-pals',
    description:
      'Patient Advice and Liaison Service: help with concerns, compliments and questions about your care.',
    contactable: true,
    phone: '0300 123 4001',
    openingHours: weekdays('09:00', '17:00'),
    staff: [
      ...staff(
        'pals',
        'Priya Shah',
        [
          ['Tom Evans', 'PALS officer'],
          ['Grace Okafor', 'PALS officer'],
        ],
        'PALS',
      ),
      {
        name: 'Claire Morgan',
        jobTitle: 'Patient experience lead',
        email: `coordinator@${DOMAIN}`,
        role: 'coordinator',
      },
    ],
  },
  {
    name: 'Medical Records',
    slug: 'demo-medical-records',
    description: 'Requests for copies of your health records.',
    contactable: true,
    phone: '0300 123 4002',
    openingHours: weekdays('08:30', '16:30'),
    staff: staff(
      'records',
      'Alan Hughes',
      [
        ['Fatima Begum', 'Records officer'],
        ['Ben Carter', 'Records officer'],
      ],
      'Medical Records',
    ),
  },
  {
    name: 'Central Appointments',
    slug: 'demo-central-appointments',
    description: 'Booking, changing or cancelling hospital appointments.',
    contactable: true,
    phone: '0300 123 4003',
    openingHours: weekdays('08:00', '18:00'),
    staff: staff(
      'appointments',
      'Sarah Lewis',
      [
        ['Daniel Price', 'Booking clerk'],
        ['Mei Chen', 'Booking clerk'],
      ],
      'Appointments',
    ),
  },
  {
    name: 'Cardiology Nurses',
    slug: 'demo-cardiology-nurses',
    description:
      'Specialist heart nurses: questions about your heart condition, medicines and tests.',
    contactable: true,
    phone: '0300 123 4010',
    openingHours: weekdays('08:00', '16:00'),
    staff: staff(
      'cardiology.nurses',
      'Helen Ward',
      [
        ['Olu Adeyemi', 'Cardiac nurse specialist'],
        ['Katie Fox', 'Cardiac nurse specialist'],
      ],
      'Cardiology nursing',
    ),
    pathway: [{ line: 2, slug: 'demo-cardiology-consultants' }],
  },
  {
    name: 'Cardiology Consultants',
    slug: 'demo-cardiology-consultants',
    description: 'Consultant cardiologists. Reached through the Cardiology Nurses.',
    contactable: false,
    phone: null,
    openingHours: [],
    staff: staff(
      'cardiology.consultants',
      'Dr Raj Patel',
      [['Dr Anna Novak', 'Consultant cardiologist']],
      'Cardiology',
    ),
  },
  {
    name: 'Dermatology Reception',
    slug: 'demo-dermatology-reception',
    description: 'First point of contact for the skin clinic.',
    contactable: true,
    phone: '0300 123 4020',
    openingHours: weekdays('09:00', '17:00'),
    staff: staff(
      'dermatology.reception',
      'Lucy Bennett',
      [['Sam Turner', 'Receptionist']],
      'Dermatology reception',
    ),
    pathway: [
      { line: 2, slug: 'demo-dermatology-nurses' },
      { line: 3, slug: 'demo-dermatology-consultants' },
    ],
  },
  {
    name: 'Dermatology Nurses',
    slug: 'demo-dermatology-nurses',
    description: 'Specialist skin nurses.',
    contactable: false,
    phone: null,
    openingHours: [],
    staff: staff(
      'dermatology.nurses',
      'Joanna Reid',
      [
        ['Kwame Mensah', 'Dermatology nurse specialist'],
        ['Ella Hart', 'Dermatology nurse'],
      ],
      'Dermatology nursing',
    ),
  },
  {
    name: 'Dermatology Consultants',
    slug: 'demo-dermatology-consultants',
    description: 'Consultant dermatologists.',
    contactable: false,
    phone: null,
    openingHours: [],
    staff: staff(
      'dermatology.consultants',
      'Dr Sofia Rossi',
      [['Dr James Wright', 'Consultant dermatologist']],
      'Dermatology',
    ),
  },
];

/**
 * Teams whose work spans the whole record (answering record requests, booking for every
 * clinic): the demo organisation gives them a care relationship with each of its patients.
 */
const RECORD_WIDE_TEAMS = ['demo-medical-records', 'demo-central-appointments'];

interface DemoPatient {
  nhsNumber: string;
  givenName: string;
  familyName: string;
  dateOfBirth: string;
  email: string;
  identityLevel: IdentityLevel;
  careTeams: string[];
}

/** Five patients in the NHS test-number range (999…), one verified only to P5. */
export const DEMO_PATIENTS: DemoPatient[] = [
  {
    nhsNumber: '9990000018',
    givenName: 'Margaret',
    familyName: 'Thompson',
    dateOfBirth: '1941-03-12',
    email: `patient.p9@${DOMAIN}`,
    identityLevel: 'P9',
    careTeams: ['demo-cardiology-nurses', ...RECORD_WIDE_TEAMS],
  },
  {
    nhsNumber: '9990000026',
    givenName: 'David',
    familyName: 'Jones',
    dateOfBirth: '1968-07-30',
    email: `david.jones@${DOMAIN}`,
    identityLevel: 'P9',
    careTeams: ['demo-dermatology-reception', ...RECORD_WIDE_TEAMS],
  },
  {
    nhsNumber: '9990000034',
    givenName: 'Aisha',
    familyName: 'Khan',
    dateOfBirth: '1990-11-05',
    email: `aisha.khan@${DOMAIN}`,
    identityLevel: 'P9',
    careTeams: [],
  },
  {
    nhsNumber: '9990000042',
    givenName: 'George',
    familyName: 'Williams',
    dateOfBirth: '1955-01-22',
    email: `george.williams@${DOMAIN}`,
    identityLevel: 'P9',
    careTeams: ['demo-cardiology-nurses', ...RECORD_WIDE_TEAMS],
  },
  {
    nhsNumber: '9990000050',
    givenName: 'Chloe',
    familyName: 'Davies',
    dateOfBirth: '2001-06-18',
    email: `patient.p5@${DOMAIN}`,
    identityLevel: 'P5',
    careTeams: [],
  },
];

/** Carers in the demo (C1): Aisha Khan may read and send George Williams's messages. */
export const DEMO_CARERS: {
  carerEmail: string;
  patientEmail: string;
  level: 'view' | 'message';
}[] = [
  {
    carerEmail: `aisha.khan@${DOMAIN}`,
    patientEmail: `george.williams@${DOMAIN}`,
    level: 'message',
  },
];

/**
 * A connected system for trying the FHIR API (decision 0022) with curl: its secret is
 * written here, which is only acceptable because production refuses the demo seed.
 */
export const DEMO_CONNECTED_SYSTEM = {
  clientId: '0d3e5a9c-7b1f-4c2e-9a6d-3f8b2c1e4d70',
  clientSecret: 'carethread-demo-fhir-secret',
  name: 'Demo EPR',
} as const;
