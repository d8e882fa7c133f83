import { useEffect } from 'react';
import { useRouteError } from 'react-router';

/** Last-resort boundary: anything thrown while rendering a route lands here. */
export function RouteError() {
  const error = useRouteError();
  useEffect(() => {
    console.error(error);
    document.title = 'Sorry, there is a problem with the service – Carethread';
  }, [error]);
  return (
    <div className="nhsuk-width-container">
      <main className="nhsuk-main-wrapper" id="maincontent">
        <h1 className="nhsuk-heading-l">Sorry, there is a problem with the service</h1>
        <p className="nhsuk-body">Try again later.</p>
        <p className="nhsuk-body">
          <a href="/">Go to the Carethread home page</a>
        </p>
      </main>
    </div>
  );
}
