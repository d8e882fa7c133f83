import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Heading, usePageTitle } from '../../components/Page';
import { sessionKey } from '../session/useSession';
import { useReturnTo } from './destination';

/**
 * The ten recovery codes, shown once right after set-up (only their hashes are kept).
 * Continuing reloads the session, which no longer owes a set-up.
 */
export function RecoveryCodesPage({ codes }: { codes: string[] }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const destination = useReturnTo();
  const [leaving, setLeaving] = useState(false);
  usePageTitle('Save your recovery codes');

  const onContinue = async () => {
    setLeaving(true);
    await client.invalidateQueries({ queryKey: sessionKey });
    void navigate(destination, { replace: true });
  };

  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <Heading>Save your recovery codes</Heading>
        <p className="nhsuk-body">
          Your authenticator app is set up. If you lose your phone or cannot use the app, you can
          sign in with one of these codes instead. Each code works once.
        </p>
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Print them or write them down and keep them somewhere safe. We will not show them again.
          </p>
        </div>
        <h2 className="nhsuk-heading-s" id="recovery-codes-heading">
          Your recovery codes
        </h2>
        <ul className="nhsuk-list" aria-labelledby="recovery-codes-heading">
          {codes.map((code) => (
            <li key={code}>
              <code>{code}</code>
            </li>
          ))}
        </ul>
        <button
          className="nhsuk-button"
          type="button"
          disabled={leaving}
          onClick={() => void onContinue()}
        >
          I have saved these codes
        </button>
      </div>
    </div>
  );
}
