import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
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

/**
 * In place of "Page not found" on a cared-for page when the carer's access has ended while
 * they were using it: what has happened, in words that do not alarm, and who can change it.
 */
export function CareEndedPage() {
  const forget = useForgetCaredFor();
  useEffect(forget, []);
  usePageTitle('You cannot see these messages');
  return (
    <>
      <BackLink to="/cared-for">Back to people you care for</BackLink>
      <Heading>You cannot see these messages</Heading>
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
