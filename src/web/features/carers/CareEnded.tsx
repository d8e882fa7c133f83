import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import type { SessionUser } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { Heading, usePageTitle } from '../../components/Page';
import { carerKeys } from './carersApi';

/**
 * Whether a carer's request about someone they cared for was refused because their access has
 * gone (C1): stopped by the patient or staff, or past its last day. The API then answers as
 * if the record did not exist, so this also covers a wrong link.
 */
export const careEnded = (error: unknown): boolean =>
  error instanceof ApiError && error.status === 404 && error.code === 'patient.not_found';

/**
 * Whether the API refused one thing in someone else's record — a conversation, appointment or
 * document — because this carer's access to that person has ended (C1). It answers so only to
 * someone who would see the thing had their access not ended; to anyone else (a wrong link, a
 * stranger) it is "not found", and the page says "Page not found".
 */
export const careEndedForItem = (error: unknown): boolean =>
  error instanceof ApiError && error.status === 404 && error.code === 'carer.access_ended';

/**
 * Whether a page about one thing in someone else's record (an appointment), which this carer
 * could see a moment ago, has gone from view: the API says their access has ended, or answers
 * 404 while what the page showed says whose it was.
 */
export const careEndedSince = (
  error: unknown,
  shownFor: string | undefined,
  user: SessionUser,
): boolean =>
  careEndedForItem(error) ||
  (error instanceof ApiError &&
    error.status === 404 &&
    user.kind === 'patient' &&
    shownFor !== undefined &&
    shownFor !== user.patientId);

/** Said when a carer's message was refused because their access had just ended. */
export const CARE_ENDED_NOT_SENT =
  'Your message has not been sent. You can no longer send messages for this person: your access has been stopped or has reached its last day.';

/** Drops the cared-for list the app holds, so "People you care for" shows access as it is now. */
export function useForgetCaredFor(): () => void {
  const client = useQueryClient();
  // Exactly that list: the cared-for pages' own queries start with its key, and refetching the
  // one that just failed would bring this page back, and again.
  return () => void client.invalidateQueries({ queryKey: carerKeys.caredFor, exact: true });
}

/** What a cared-for page shows of the person's record: a list, or one thing in it. */
type CaredForPages =
  'messages' | 'documents' | 'appointments' | 'conversation' | 'document' | 'appointment';

const ONE_THING: ReadonlySet<CaredForPages> = new Set(['conversation', 'document', 'appointment']);

/**
 * The title of CareEndedPage. A page that sets its own title, and may show CareEndedPage in
 * its place, sets this one then: a parent's title is set after its child's.
 */
export const careEndedTitle = (what: CaredForPages) =>
  ONE_THING.has(what) ? `You cannot see this ${what}` : `You cannot see these ${what}`;

/**
 * In place of "Page not found" on a cared-for page when the carer's access has ended — while
 * they were using it, or before they opened a link to it: what has happened, in words that do
 * not alarm, and who can change it. `what` names what the page shows: their messages (the
 * default), documents or appointments, or one conversation, document or appointment.
 */
export function CareEndedPage({ what = 'messages' }: { what?: CaredForPages }) {
  const forget = useForgetCaredFor();
  useEffect(forget, []);
  const title = careEndedTitle(what);
  usePageTitle(title);
  return (
    <>
      <BackLink to="/cared-for">Back to people you care for</BackLink>
      <Heading>{title}</Heading>
      <p className="nhsuk-body">
        You are not a carer for this person in Carethread at the moment. They may have stopped your
        access, or it may have reached its last day.
      </p>
      <p className="nhsuk-body">If you think this is wrong, talk to the person you care for.</p>
      <p className="nhsuk-body">
        <Link to="/cared-for">People you care for</Link>
      </p>
    </>
  );
}
