import { ApiError } from '../api/client';
import { Heading, usePageTitle } from './Page';

/** Shown when a page's data cannot be loaded; 404s read as "Page not found". */
export function LoadFailure({ error }: { error: unknown }) {
  const notFound = error instanceof ApiError && error.status === 404;
  const forbidden = error instanceof ApiError && error.status === 403;
  const title = notFound
    ? 'Page not found'
    : forbidden
      ? 'You do not have permission to see this page'
      : 'Sorry, there is a problem with the service';
  usePageTitle(title);
  return (
    <>
      <Heading>{title}</Heading>
      {notFound ? (
        <p className="nhsuk-body">If you typed the web address, check it is correct.</p>
      ) : error instanceof ApiError ? (
        <p className="nhsuk-body">{error.message}</p>
      ) : (
        <p className="nhsuk-body">Try again later.</p>
      )}
    </>
  );
}

/** A part of a page that could not be loaded, inside a page that already has its heading. */
export function SectionLoadFailure({ error, what }: { error: unknown; what: string }) {
  return (
    <p className="nhsuk-body" role="alert">
      Sorry, {what} could not be loaded.{' '}
      {error instanceof ApiError && error.status !== 404 && error.status < 500
        ? error.message
        : 'Try again later.'}
    </p>
  );
}
