import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSmtpMailer, notificationMessageId } from './mailer';
import { type ReceivedEmail, type SmtpReceiver, startSmtpReceiver } from './receiver';
import {
  digestEmail,
  escapeHtml,
  newMessageEmail,
  type RenderedEmail,
  reminderEmail,
  signInLink,
} from './templates';

const SIGN_IN = 'https://carethread.example.nhs.uk/sign-in';
const FOOTER = 'Leeds Teaching Hospitals NHS Trust\nSt James’s University Hospital, Leeds';
const base = {
  organisationName: 'Leeds Teaching Hospitals NHS Trust',
  teamName: 'Cardiology Nurses',
  signInUrl: SIGN_IN,
  footer: FOOTER,
};
const HOSTILE = {
  organisationName: 'Trust & Co <img src=x onerror=alert(1)>',
  teamName: '<script>alert("team")</script> \'A&E\'',
};

/** Everything a reader of the email could see, in one string. */
const everything = (e: RenderedEmail) => `${e.subject}\n${e.text}\n${e.html}`;

describe('newMessageEmail (DESIGN N2)', () => {
  it('says only who the message is from and where to sign in', () => {
    const email = newMessageEmail(base);
    expect(email.subject).toBe('You have a new secure message');
    expect(email.text).toContain(
      'You have a new secure message from Cardiology Nurses at Leeds Teaching Hospitals NHS Trust.',
    );
    expect(email.text).toContain(`Sign in to Carethread to read your secure messages: ${SIGN_IN}`);
    expect(email.text).toContain('this email does not include the message');
    expect(email.html).toContain(
      'You have a new secure message from <strong>Cardiology Nurses</strong> at <strong>Leeds Teaching Hospitals NHS Trust</strong>.',
    );
    expect(email.html).toContain(`<a href="${SIGN_IN}">`);
  });

  it('ends with the organisation’s footer, line by line', () => {
    const email = newMessageEmail(base);
    expect(email.text).toContain(
      '--\nLeeds Teaching Hospitals NHS Trust\nSt James’s University Hospital, Leeds\n',
    );
    expect(email.html).toContain(
      'Leeds Teaching Hospitals NHS Trust<br>St James’s University Hospital, Leeds<br>',
    );
  });

  it('escapes names in HTML, so a team name cannot add markup', () => {
    const email = newMessageEmail({ ...base, ...HOSTILE, footer: '<b>footer</b> & "more"' });
    expect(email.html).not.toMatch(/<script|<img|<b>footer/i);
    expect(email.html).toContain(
      '&lt;script&gt;alert(&quot;team&quot;)&lt;/script&gt; &#39;A&amp;E&#39;',
    );
    expect(email.html).toContain('Trust &amp; Co &lt;img src=x onerror=alert(1)&gt;');
    expect(email.html).toContain('&lt;b&gt;footer&lt;/b&gt; &amp; &quot;more&quot;');
    // Plain text is not HTML: names appear as written.
    expect(email.text).toContain(`from ${HOSTILE.teamName} at ${HOSTILE.organisationName}.`);
  });

  it('keeps a name on one line, so it cannot forge lines of the email', () => {
    const email = newMessageEmail({
      ...base,
      teamName: 'PALS\n\nSign in at https://evil.example\r\n',
    });
    expect(email.text).toContain('from PALS Sign in at https://evil.example at ');
    expect(email.text.split('\n').filter((l) => l.includes('evil'))).toHaveLength(1);
  });

  it('refuses any input beyond organisation, team, link and footer — even when cast', () => {
    for (const extra of [
      { subject: 'Chest pain since Tuesday' },
      { body: 'I have been feeling dizzy' },
      { patientName: 'Ada Lovelace' },
      { nhsNumber: '9434765919' },
      { conversationId: crypto.randomUUID() },
    ]) {
      const input = { ...base, ...extra } as unknown as Parameters<typeof newMessageEmail>[0];
      expect(() => newMessageEmail(input)).toThrow(/does not take/);
      expect(() => reminderEmail(input)).toThrow(/does not take/);
    }
  });

  it('refuses a link that names a record, carries a query or is not http(s)', () => {
    for (const signInUrl of [
      `https://carethread.example/conversations/${crypto.randomUUID()}`,
      'https://carethread.example/patients/9434765919',
      'https://carethread.example/sign-in?next=/conversations/1',
      'https://carethread.example/sign-in#conversation',
      'https://user:pass@carethread.example/sign-in',
      'javascript:alert(1)',
      '/sign-in',
    ]) {
      expect(() => newMessageEmail({ ...base, signInUrl }), signInUrl).toThrow(/signInUrl/);
    }
  });
});

describe('reminderEmail', () => {
  it('is as content-free as the first email', () => {
    const email = reminderEmail(base);
    expect(email.subject).toBe('Reminder: you have an unread secure message');
    expect(email.text).toContain(
      'You have an unread secure message from Cardiology Nurses at Leeds Teaching Hospitals NHS Trust.',
    );
    expect(email.html).toContain(`<a href="${SIGN_IN}">`);
    expect(reminderEmail({ ...base, ...HOSTILE }).html).not.toMatch(/<script|<img/i);
  });
});

describe('digestEmail', () => {
  const digest = {
    organisationName: base.organisationName,
    signInUrl: SIGN_IN,
    footer: FOOTER,
    counts: [
      { teamName: 'Cardiology Nurses', unread: 3 },
      { teamName: 'PALS', unread: 1 },
      { teamName: 'Medical Records', unread: 0 },
    ],
  };

  it('lists unread counts per team and nothing else', () => {
    const email = digestEmail(digest);
    expect(email.subject).toBe('Your daily summary of secure messages');
    expect(email.text).toContain(
      'You have unread secure messages at Leeds Teaching Hospitals NHS Trust:\n- Cardiology Nurses: 3 unread messages\n- PALS: 1 unread message\n',
    );
    expect(email.text).not.toContain('Medical Records');
    expect(email.html).toContain(
      '<ul><li><strong>Cardiology Nurses</strong>: 3 unread messages</li><li><strong>PALS</strong>: 1 unread message</li></ul>',
    );
  });

  it('escapes team names and refuses anything but a name and a count', () => {
    const email = digestEmail({ ...digest, counts: [{ teamName: HOSTILE.teamName, unread: 2 }] });
    expect(email.html).not.toMatch(/<script/i);
    const sneaky = {
      ...digest,
      counts: [{ teamName: 'PALS', unread: 1, subject: 'Chest pain' }],
    } as unknown as Parameters<typeof digestEmail>[0];
    expect(() => digestEmail(sneaky)).toThrow(/does not take "subject"/);
    expect(() => digestEmail({ ...digest, counts: [{ teamName: 'PALS', unread: -1 }] })).toThrow();
    expect(() => digestEmail({ ...digest, counts: [{ teamName: 'PALS', unread: 1.5 }] })).toThrow();
  });
});

describe('signInLink and escapeHtml', () => {
  it('links to the sign-in page of the public URL', () => {
    expect(signInLink('https://carethread.example.nhs.uk')).toBe(SIGN_IN);
    expect(signInLink('https://carethread.example.nhs.uk/')).toBe(SIGN_IN);
    expect(() =>
      newMessageEmail({ ...base, signInUrl: signInLink('http://localhost:3000') }),
    ).not.toThrow();
  });

  it('escapes the five HTML-special characters', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
  });
});

describe('a rendered email, sent through SMTP and parsed', () => {
  const received: ReceivedEmail[] = [];
  let smtp: SmtpReceiver;
  beforeAll(async () => {
    smtp = await startSmtpReceiver({ onMessage: async (e) => void received.push(e) });
  });
  afterAll(() => smtp.close());

  it('arrives with its names escaped and no markup of theirs, in every part', async () => {
    const from = 'Carethread <no-reply@carethread.example>';
    const mailer = createSmtpMailer({ smtpUrl: smtp.url, mailFrom: from });
    const rendered = newMessageEmail({ ...base, ...HOSTILE });
    const messageId = notificationMessageId(['message.sent', crypto.randomUUID()], from);
    try {
      await mailer.send({ to: 'patient@example.test', messageId, ...rendered });
    } finally {
      mailer.close();
    }
    const email = received.find((e) => e.messageId === messageId);
    expect(email?.subject).toBe('You have a new secure message');
    expect(email?.html).not.toMatch(/<script|<img/i);
    expect(email?.html).toContain('&lt;script&gt;');
    expect(email?.text).toContain(HOSTILE.teamName);
    // The sign-in page is the only link anywhere in it.
    const links = `${email?.text}\n${email?.html}`.match(/https?:\/\/[^\s"<>]+/g) ?? [];
    expect(new Set(links)).toEqual(new Set([SIGN_IN]));
    expect(everything(rendered)).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  });
});
