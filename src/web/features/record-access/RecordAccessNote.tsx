import { Link } from 'react-router';
import type { RecordConversations } from '../../api/types';
import { formatDateTime } from '../conversations/format';

/** Why the viewer sees this record (C2), and what they do not see without access. */
export function RecordAccessNote({ access }: { access: RecordConversations['access'] }) {
  switch (access.basis) {
    case 'participant':
      return (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Your team has no access to this patient’s record, so you see only the conversations your
            team takes part in. In an emergency, use <Link to="/break-glass">emergency access</Link>
            .
          </p>
        </div>
      );
    case 'record_grant':
      return (
        <p className="nhsuk-body">
          The patient has shared their record with your team until{' '}
          {access.until ? formatDateTime(access.until) : 'they stop it'}.
        </p>
      );
    case 'break_glass':
      return (
        <p className="nhsuk-body">
          You are using emergency access until{' '}
          {access.until ? formatDateTime(access.until) : 'you sign out'}. It is being recorded.
        </p>
      );
    default:
      return null;
  }
}
