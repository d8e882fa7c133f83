import { Link } from 'react-router';
import { Heading, usePageTitle } from '../components/Page';

export function NotFoundPage() {
  usePageTitle('Page not found');
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Heading>Page not found</Heading>
        <p className="nhsuk-body">If you typed the web address, check it is correct.</p>
        <p className="nhsuk-body">
          If you pasted the web address, check you copied the entire address.
        </p>
        <p className="nhsuk-body">
          <Link to="/">Go to the Carethread home page</Link>
        </p>
      </div>
    </div>
  );
}
