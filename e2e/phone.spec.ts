import { expect, test, type Page } from '@playwright/test';
import { makePng } from './fixtures/documents';
import {
  COORDINATOR,
  expectAccessible,
  PATIENT_P9,
  personPage,
  sendNewMessage,
  signIn,
} from './helpers';

// WCAG 2.2 SC 1.4.10 (reflow): every page is usable 320 CSS pixels wide without scrolling
// sideways; only a data table may scroll, inside a region of its own. SC 1.4.12: the same
// with the largest text spacing a reader may set.
const PHONE = { width: 320, height: 640 };
test.use({ viewport: PHONE });

const TEXT_SPACING = `* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
  word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }`;

const NURSE = 'cardiology.nurses.member1@demo.carethread.test';
const OTHER_NURSE = 'cardiology.nurses.member2@demo.carethread.test';
const NURSES_MANAGER = 'cardiology.nurses.manager@demo.carethread.test';
const CARER = 'aisha.khan@demo.carethread.test';
const RECEPTION = 'dermatology.reception.member1@demo.carethread.test';
const PATIENT_NHS_NUMBER = '999 000 0018';

// What people paste: a word or address far wider than a phone, with no space to break at.
const LONG_WORD = 'Pneumonoultramicroscopicsilicovolcanoconiosis'.repeat(4);
const LONG_URL = `https://www.example.nhs.uk/results/${'a1b2c3d4e5'.repeat(20)}`;

const h1 = (page: Page) => page.getByRole('heading', { level: 1 });
const menu = (page: Page) => page.getByRole('navigation', { name: 'Menu' });

/** How wide the page is, and the innermost elements that reach past the screen's edge. */
function measure(page: Page) {
  return page.evaluate(() => {
    const edge = window.innerWidth;
    // An element reaching past the edge, or one whose text spills out of it.
    const past = (el: Element) =>
      el.getBoundingClientRect().right > edge + 0.5 ||
      el.getBoundingClientRect().left + el.scrollWidth > edge + 0.5;
    const widest = [...document.body.querySelectorAll('*')]
      .filter((el) => past(el) && ![...el.children].some(past))
      .slice(0, 5)
      .map((el) => {
        const classes = (el.getAttribute('class') ?? '').split(' ').filter(Boolean);
        const name = [el.tagName.toLowerCase(), ...classes].join('.');
        return `${name} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`;
      });
    const wordSpacing = getComputedStyle(document.body).wordSpacing;
    return { viewport: edge, width: document.documentElement.scrollWidth, widest, wordSpacing };
  });
}

/** The page as it is now fits a 320px phone, with and without wider text spacing, and passes axe. */
async function expectReflows(page: Page, where: string): Promise<void> {
  const plain = await measure(page);
  expect(plain.viewport, 'the page is shown on a phone').toBe(PHONE.width);
  expect
    .soft(plain.width, `${where} scrolls sideways at 320px: ${plain.widest.join(', ')}`)
    .toBeLessThanOrEqual(PHONE.width);
  // A constructed style sheet, as a reader's extension adds one: the page's CSP refuses <style>.
  const spacing = (on: boolean) =>
    page.evaluate(
      ([css, add]) => {
        const held = window as Window & { textSpacing?: CSSStyleSheet };
        held.textSpacing ??= new CSSStyleSheet();
        held.textSpacing.replaceSync(css);
        const others = document.adoptedStyleSheets.filter((s) => s !== held.textSpacing);
        document.adoptedStyleSheets = add ? [...others, held.textSpacing] : others;
      },
      [TEXT_SPACING, on] as const,
    );
  await spacing(true);
  const spaced = await measure(page);
  expect(spaced.wordSpacing, 'the text spacing is applied').not.toBe(plain.wordSpacing);
  expect
    .soft(spaced.width, `${where} scrolls sideways with text spacing: ${spaced.widest.join(', ')}`)
    .toBeLessThanOrEqual(PHONE.width);
  await spacing(false);
  await expectAccessible(page);
}

async function openInbox(page: Page): Promise<string> {
  await menu(page).getByRole('link', { name: 'Team inbox' }).click();
  await expect(h1(page)).toContainText('Cardiology Nurses');
  return new URL(page.url()).pathname;
}

test('a patient’s pages, and a thread with words too long for the screen, fit a phone', async ({
  page,
}) => {
  const subject = `${LONG_WORD}${Date.now().toString(36)}`;
  await signIn(page, PATIENT_P9);
  await expect(h1(page)).toContainText('Your messages');
  await expectReflows(page, 'Your messages (none yet)');

  await page.getByRole('link', { name: 'Send a new message' }).click();
  await expect(h1(page)).toHaveText('Send a new message');
  await expectReflows(page, 'Send a new message');
  await page.goto('/');
  await sendNewMessage(page, 'Cardiology Nurses', subject, `See ${LONG_URL}\n${LONG_WORD}`);
  await expect(page.getByRole('alert')).toContainText('Your message has been sent');
  await expectReflows(page, 'the thread with a long subject and message');

  await page.goto('/');
  await expect(page.getByRole('link', { name: subject })).toBeVisible();
  await expectReflows(page, 'Your messages, with a long subject');

  await page.goto('/documents/upload');
  await page
    .getByLabel('Choose a file')
    .setInputFiles({ name: `${LONG_WORD}.png`, mimeType: 'image/png', buffer: makePng() });
  await page.getByLabel('Title (optional)').fill(LONG_WORD);
  await page.getByRole('button', { name: 'Upload document' }).click();
  await expect(page.getByText(`${LONG_WORD} has been added to the record`)).toBeVisible({
    timeout: 30_000,
  });
  await expectReflows(page, 'a document uploaded with a long name');
  await menu(page).getByRole('link', { name: 'Documents' }).click();
  await expect(page.getByRole('link', { name: LONG_WORD })).toBeVisible();
  await expectReflows(page, 'Your documents');
  await page.getByRole('link', { name: LONG_WORD }).click();
  await expect(h1(page)).toContainText(LONG_WORD);
  await expectReflows(page, 'a document with a long name');

  await menu(page).getByRole('link', { name: 'Appointments' }).click();
  await expect(h1(page)).toContainText('appointments');
  await expectReflows(page, 'Your appointments');
  await page.getByRole('link', { name: /View/ }).first().click();
  await expect(page.getByRole('heading', { level: 2, name: 'History' })).toBeVisible();
  await expectReflows(page, 'an appointment');

  await page.goto('/carers');
  await expect(h1(page)).toContainText('carers');
  await expectReflows(page, 'Your carers');

  await page.goto('/access-log');
  await expect(h1(page)).toContainText('Who has seen my record');
  await expect(page.getByRole('table')).toBeVisible();
  await expectReflows(page, 'Who has seen my record');
});

test('a team works a conversation with a long subject on a phone', async ({ browser }) => {
  const subject = `${LONG_WORD}${Date.now().toString(36)}`;
  const patient = await personPage(browser, PATIENT_P9);
  await sendNewMessage(patient, 'Cardiology Nurses', subject, LONG_URL);
  await patient.context().close();

  const nurse = await personPage(browser, NURSE);
  const inbox = await openInbox(nurse);
  await expect(nurse.getByRole('link', { name: subject })).toBeVisible();
  await expectReflows(nurse, 'Team inbox: Unassigned');
  // On a desktop the table keeps whole words, so the subject makes it scroll: inside its own
  // region, which the keyboard can reach, never the page.
  await nurse.setViewportSize({ width: 1280, height: 800 });
  const region = nurse.getByRole('region', { name: 'Unassigned conversations' });
  await expect(region).toHaveAttribute('tabindex', '0');
  expect(await nurse.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
    1280,
  );
  await expectAccessible(nurse);
  await nurse.setViewportSize(PHONE);
  // As cards on the phone it fits: no landmark, no tab stop.
  await expect(region).toHaveCount(0);
  await expect(nurse.locator('.app-table-scroll[tabindex]')).toHaveCount(0);

  await nurse.getByRole('link', { name: subject }).click();
  await expect(nurse.getByRole('button', { name: 'Assign to me' })).toBeVisible();
  await expect(nurse.getByRole('link', { name: 'Leave conversation' })).toBeVisible();
  await expectReflows(nurse, 'a thread with Assign to me, Archive, Add people and Leave');
  await nurse.getByRole('button', { name: 'Assign to me' }).click();
  await expect(nurse.getByRole('alert')).toContainText('now assigned to you');
  await expectReflows(nurse, 'a thread assigned to me');
  const thread = nurse.url();

  await nurse.getByRole('link', { name: 'Add people' }).click();
  await expect(h1(nurse)).toContainText('Add people');
  await expectReflows(nurse, 'Add people');

  await nurse.goto(`${inbox}?view=mine`);
  await expect(nurse.getByRole('link', { name: subject })).toBeVisible();
  await expectReflows(nurse, 'Team inbox: Mine');

  const colleague = await personPage(browser, OTHER_NURSE);
  await colleague.goto(`${inbox}?view=others`);
  await expect(colleague.getByRole('link', { name: subject })).toBeVisible();
  await expectReflows(colleague, 'Team inbox: Assigned to others');
  await colleague.context().close();

  const manager = await personPage(browser, NURSES_MANAGER);
  await manager.goto(`${inbox}/workload`);
  await expect(manager.getByRole('link', { name: subject })).toBeVisible();
  await expectReflows(manager, 'Who is helping whom');
  await manager.context().close();

  await menu(nurse).getByRole('link', { name: 'Find a patient' }).click();
  await expect(h1(nurse)).toHaveText('Find a patient');
  await expectReflows(nurse, 'Find a patient');
  await nurse.getByLabel('NHS number').fill(PATIENT_NHS_NUMBER);
  await nurse.getByRole('button', { name: 'Find the record' }).click();
  await expect(h1(nurse)).toContainText('Margaret Thompson');
  await expect(nurse.getByRole('link', { name: subject })).toBeVisible();
  await expectReflows(nurse, 'the patient’s record');

  await nurse.goto(thread);
  await nurse.getByRole('button', { name: 'Archive' }).click();
  await expect(nurse.getByRole('alert')).toContainText('has been archived');
  await expectReflows(nurse, 'Team inbox after archiving, with the subject in the banner');
  await nurse.goto(`${inbox}?view=archived`);
  await expect(nurse.getByRole('link', { name: subject })).toBeVisible();
  await expectReflows(nurse, 'Team inbox: Archived');
});

test('a coordinator’s tables and a carer’s pages fit a phone', async ({ browser, page }) => {
  // Before signing in: a team's public page, and signing in.
  await page.goto('/t/demo-cardiology-nurses');
  await expect(h1(page)).toContainText('Cardiology Nurses');
  await expectReflows(page, 'a team’s public page');
  await page.goto('/sign-in');
  await expect(h1(page)).toHaveText('Sign in to Carethread');
  await expectReflows(page, 'Sign in');

  // Emergency access, its reason in the person's own words: a long one, to be reviewed.
  const reception = await personPage(browser, RECEPTION);
  await menu(reception).getByRole('link', { name: 'Emergency access' }).click();
  await expect(h1(reception)).toHaveText('Emergency access to a record');
  await expectReflows(reception, 'Emergency access');
  await reception.getByLabel('Patient’s NHS number').fill(PATIENT_NHS_NUMBER);
  await reception.getByRole('radio', { name: /Emergency care/ }).check();
  await reception.getByLabel('In your own words').fill(LONG_WORD);
  await reception.getByRole('button', { name: 'Open the record' }).click();
  await expect(h1(reception)).toContainText('Margaret Thompson');
  await expectReflows(reception, 'a record opened with emergency access');
  await reception.context().close();

  const coordinator = await personPage(browser, COORDINATOR);
  await menu(coordinator).getByRole('link', { name: 'Review emergency access' }).click();
  await expect(coordinator.getByRole('table')).toContainText(LONG_WORD);
  await expectReflows(coordinator, 'Emergency access to review');
  await menu(coordinator).getByRole('link', { name: 'Teams' }).click();
  await expect(coordinator.getByRole('link', { name: 'Cardiology Nurses' })).toBeVisible();
  await expectReflows(coordinator, 'Teams');

  await coordinator.getByRole('link', { name: 'Statistics' }).click();
  await expect(coordinator.getByRole('table').first()).toBeVisible();
  await expectReflows(coordinator, 'Statistics');

  await menu(coordinator).getByRole('link', { name: 'Teams' }).click();
  await coordinator.getByRole('link', { name: 'Cardiology Nurses' }).click();
  await expect(h1(coordinator)).toContainText('Cardiology Nurses');
  await expectReflows(coordinator, 'a team');
  await coordinator.getByRole('link', { name: /members of Cardiology Nurses/ }).click();
  await expect(coordinator.getByRole('table')).toBeVisible();
  await expectReflows(coordinator, 'Team members');
  await coordinator.context().close();

  const subject = `${LONG_WORD}${Date.now().toString(36)}`;
  const carer = await personPage(browser, CARER);
  await carer.goto('/cared-for');
  await carer.getByRole('link', { name: 'George Williams' }).click();
  await expect(h1(carer)).toContainText('George Williams');
  await carer.getByRole('link', { name: 'Send a message for George Williams' }).click();
  await expectReflows(carer, 'Send a message for someone you care for');
  await carer.getByRole('radio', { name: /^PALS,/ }).check();
  await carer.getByLabel('Subject').fill(subject);
  await carer.getByLabel('Message', { exact: true }).fill(LONG_URL);
  await carer.getByRole('button', { name: 'Send message' }).click();
  await expect(h1(carer)).toContainText(subject);
  await carer.getByRole('link', { name: 'Back to George Williams’s messages' }).click();
  await expect(carer.getByRole('link', { name: subject })).toBeVisible();
  await expectReflows(carer, 'a person cared for, with a long subject');
  await carer.goto('/cared-for');
  await expectReflows(carer, 'People you care for');
});
