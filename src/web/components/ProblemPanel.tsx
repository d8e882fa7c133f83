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
