/**
 * Every email Carethread sends. DESIGN N2: an email says only that a secure message is
 * waiting, from which team at which organisation, and links to sign in. The inputs below
 * are the whole of what a template may know — there is no field for a subject, a body, a
 * patient's name or NHS number, or any record id — and an input carrying anything else is
 * refused at run time too, so a caller cannot spread a wider object into one by mistake.
 */

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface NewMessageEmailInput {
  organisationName: string;
  teamName: string;
  /** An absolute http(s) link with no query, fragment or id in it: `signInLink(publicUrl)`. */
  signInUrl: string;
  /** The organisation's footer: plain text, lines separated by newlines. */
  footer: string;
}

export type ReminderEmailInput = NewMessageEmailInput;

export interface DigestEmailInput {
  organisationName: string;
  /** Unread counts per team; teams with none are left out. */
  counts: readonly { teamName: string; unread: number }[];
  signInUrl: string;
  footer: string;
}

/** The one link an email may carry: the sign-in page, nothing more specific. */
export function signInLink(publicUrl: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/sign-in`;
}

const SIGN_IN = 'Sign in to Carethread to read your secure messages';
const NOT_INCLUDED = 'For your privacy, this email does not include the message.';
const NO_DETAILS = 'For your privacy, this email does not include any personal details.';
const DO_NOT_REPLY = 'This is an automatic email. Do not reply to it.';

export function newMessageEmail(input: NewMessageEmailInput): RenderedEmail {
  checkKeys(input, ['organisationName', 'teamName', 'signInUrl', 'footer']);
  const from = { team: oneLine(input.teamName), organisation: oneLine(input.organisationName) };
  return render({
    subject: 'You have a new secure message',
    lines: [
      [
        'You have a new secure message from ',
        strong(from.team),
        ' at ',
        strong(from.organisation),
        '.',
      ],
    ],
    signInUrl: checkSignInUrl(input.signInUrl),
    footer: input.footer,
  });
}

export function reminderEmail(input: ReminderEmailInput): RenderedEmail {
  checkKeys(input, ['organisationName', 'teamName', 'signInUrl', 'footer']);
  const from = { team: oneLine(input.teamName), organisation: oneLine(input.organisationName) };
  return render({
    subject: 'Reminder: you have an unread secure message',
    lines: [
      [
        'You have an unread secure message from ',
        strong(from.team),
        ' at ',
        strong(from.organisation),
        '.',
      ],
    ],
    signInUrl: checkSignInUrl(input.signInUrl),
    footer: input.footer,
  });
}

export function digestEmail(input: DigestEmailInput): RenderedEmail {
  checkKeys(input, ['organisationName', 'counts', 'signInUrl', 'footer']);
  const counts = input.counts.map((count) => {
    checkKeys(count, ['teamName', 'unread']);
    if (!Number.isSafeInteger(count.unread) || count.unread < 0) {
      throw new TypeError('unread must be a whole number, 0 or more');
    }
    return { team: oneLine(count.teamName), unread: count.unread };
  });
  const waiting = counts.filter((c) => c.unread > 0);
  const organisation = oneLine(input.organisationName);
  const lines: Line[] =
    waiting.length === 0
      ? [['You have no unread secure messages at ', strong(organisation), '.']]
      : [
          ['You have unread secure messages at ', strong(organisation), ':'],
          ...waiting.map((c): Line => [bullet(), strong(c.team), `: ${plural(c.unread)}`]),
        ];
  return render({
    subject: 'Your daily summary of secure messages',
    lines,
    signInUrl: checkSignInUrl(input.signInUrl),
    footer: input.footer,
  });
}

export interface CarerInvitationEmailInput {
  signInUrl: string;
  footer: string;
}

/** "You have been invited to be someone's carer": no name, no code, no link but sign-in (N2). */
export function carerInvitationEmail(input: CarerInvitationEmailInput): RenderedEmail {
  checkKeys(input, ['signInUrl', 'footer']);
  return render({
    subject: 'You have been invited to be a carer on Carethread',
    lines: [
      ['Someone has invited you to be their carer on Carethread.'],
      [
        'To accept, sign in with your own account, choose ',
        strong('Accept a carer invitation'),
        ' and enter the code they gave you.',
      ],
    ],
    signInUrl: checkSignInUrl(input.signInUrl),
    footer: input.footer,
  });
}

export interface RecordAccessedEmailInput {
  organisationName: string;
  /** Whether the reader is a carer of the patient rather than the patient. */
  forCarer: boolean;
  signInUrl: string;
  footer: string;
}

/** Emergency (break-glass) access to a record: who and why are on the sign-in side only (N2). */
export function recordAccessedEmail(input: RecordAccessedEmailInput): RenderedEmail {
  checkKeys(input, ['organisationName', 'forCarer', 'signInUrl', 'footer']);
  const organisation = oneLine(input.organisationName);
  return render({
    subject: 'Someone used emergency access to a record',
    lines: [
      [
        'Someone at ',
        strong(organisation),
        input.forCarer
          ? ' used emergency access to the record of a person you care for.'
          : ' used emergency access to your record.',
      ],
      input.forCarer
        ? ['They can see who and why on their "Who has seen my record" page.']
        : ['Sign in and open ', strong('Who has seen my record'), ' to see who and why.'],
    ],
    signInUrl: checkSignInUrl(input.signInUrl),
    footer: input.footer,
  });
}

export interface AppointmentUpdateEmailInput {
  organisationName: string;
  signInUrl: string;
  footer: string;
}

/**
 * An appointment was booked, moved or cancelled: the organisation only — no date, place,
 * team, clinician or name (N2). What changed is on the sign-in side.
 */
export function appointmentUpdateEmail(input: AppointmentUpdateEmailInput): RenderedEmail {
  checkKeys(input, ['organisationName', 'signInUrl', 'footer']);
  return render({
    subject: 'You have an appointment update',
    lines: [
      ['You have an appointment update from ', strong(oneLine(input.organisationName)), '.'],
      ['Sign in to see what has changed.'],
    ],
    signInUrl: checkSignInUrl(input.signInUrl),
    footer: input.footer,
    note: NO_DETAILS,
  });
}

export interface InvitationEmailInput {
  organisationName: string;
  signInUrl: string;
  footer: string;
}

/** A member of staff added by their organisation's coordinator: come and sign in. */
export function staffInvitationEmail(input: InvitationEmailInput): RenderedEmail {
  checkKeys(input, ['organisationName', 'signInUrl', 'footer']);
  return render({
    subject: 'You have been invited to Carethread',
    lines: [
      [
        strong(oneLine(input.organisationName)),
        ' has added you to Carethread, its secure messaging service for patients and care teams.',
      ],
      ['Sign in with your organisation’s account to see your teams’ messages.'],
    ],
    signInUrl: checkSignInUrl(input.signInUrl),
    footer: input.footer,
    note: NO_DETAILS,
  });
}

/**
 * A patient registered by an organisation. Says nothing about them (N2): no name, no NHS
 * number, not even why — the organisation alone, and where to sign in.
 */
export function patientInvitationEmail(input: InvitationEmailInput): RenderedEmail {
  checkKeys(input, ['organisationName', 'signInUrl', 'footer']);
  return render({
    subject: 'You can now send secure messages to your care team',
    lines: [
      [
        'You can now send secure messages to care teams at ',
        strong(oneLine(input.organisationName)),
        ' through Carethread.',
      ],
      ['Sign in with NHS login to get started.'],
    ],
    signInUrl: checkSignInUrl(input.signInUrl),
    footer: input.footer,
    note: NO_DETAILS,
  });
}

// ─── Rendering ────────────────────────────────────────────────────────────────────────────

/** Text that is bold in HTML and plain in text. */
interface Strong {
  strong: string;
}
/** The start of a list item. */
interface Bullet {
  bullet: true;
}
type Part = string | Strong | Bullet;
type Line = Part[];

const strong = (value: string): Strong => ({ strong: value });
const bullet = (): Bullet => ({ bullet: true });
const plural = (n: number) => (n === 1 ? '1 unread message' : `${n} unread messages`);

function render(email: {
  subject: string;
  lines: Line[];
  signInUrl: string;
  footer: string;
  /** The privacy line; by default, that the message is not in the email. */
  note?: string;
}): RenderedEmail {
  const note = email.note ?? NOT_INCLUDED;
  const footer = email.footer
    .split(/\r\n|\r|\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

  const text = [
    ...email.lines.map((line) => line.map(partText).join('')),
    '',
    `${SIGN_IN}: ${email.signInUrl}`,
    '',
    note,
    '',
    '--',
    ...footer,
    DO_NOT_REPLY,
    '',
  ].join('\n');

  const paragraphs: string[] = [];
  let list: string[] = [];
  for (const line of email.lines) {
    if (line[0] !== undefined && typeof line[0] === 'object' && 'bullet' in line[0]) {
      list.push(`<li>${line.slice(1).map(partHtml).join('')}</li>`);
      continue;
    }
    if (list.length > 0) paragraphs.push(`<ul>${list.join('')}</ul>`);
    list = [];
    paragraphs.push(`<p>${line.map(partHtml).join('')}</p>`);
  }
  if (list.length > 0) paragraphs.push(`<ul>${list.join('')}</ul>`);

  const href = escapeHtml(email.signInUrl);
  const html = [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head><meta charset="utf-8">',
    `<title>${escapeHtml(email.subject)}</title></head>`,
    '<body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #212b32;">',
    ...paragraphs,
    `<p><a href="${href}">${SIGN_IN}</a></p>`,
    `<p>${escapeHtml(note)}</p>`,
    '<hr>',
    `<p style="font-size: 14px; color: #4c6272;">${[...footer, DO_NOT_REPLY].map(escapeHtml).join('<br>')}</p>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');

  return { subject: email.subject, text, html };
}

function partText(part: Part): string {
  if (typeof part === 'string') return part;
  return 'strong' in part ? part.strong : '- ';
}

function partHtml(part: Part): string {
  if (typeof part === 'string') return escapeHtml(part);
  return 'strong' in part ? `<strong>${escapeHtml(part.strong)}</strong>` : '';
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

// ─── Checks ───────────────────────────────────────────────────────────────────────────────

/** A name on one line: a newline in a team name must not forge a line of the email. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

function checkKeys(input: object, allowed: readonly string[]): void {
  for (const key of Object.keys(input)) {
    if (!allowed.includes(key)) {
      throw new TypeError(`An email template does not take "${key}" (DESIGN N2)`);
    }
  }
}

const UUID_ANYWHERE = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** The link goes to a page, not to a record: no query, fragment, uuid or long number. */
function checkSignInUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError('signInUrl must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('signInUrl must be http(s)');
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new TypeError('signInUrl must not carry a query, fragment or credentials');
  }
  if (UUID_ANYWHERE.test(url.pathname) || /\d{6,}/.test(url.pathname)) {
    throw new TypeError('signInUrl must not name a record');
  }
  return url.toString();
}
