import { useState } from 'react';
import type { Team } from '../../api/types';
import { buttonSnippet, messageLink, teamPageLink } from './websiteButton';

/**
 * The team's website button and plain link for coordinators to copy. Each is in a
 * read-only box too, so people who cannot use the clipboard can select it themselves.
 */
export function WebsiteButton({ team }: { team: Team }) {
  const origin = window.location.origin;
  const snippet = buttonSnippet(origin, team);
  const link = messageLink(origin, team);
  return (
    <section aria-labelledby="website-button-heading" className="nhsuk-u-margin-top-6">
      <h2 className="nhsuk-heading-m" id="website-button-heading">
        Website button
      </h2>
      <p className="nhsuk-body">
        Put a &ldquo;Message us securely&rdquo; button on your department&rsquo;s website. People
        who select it sign in, then write to {team.name}.
      </p>
      {!team.contactable || !team.active ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          {team.active ? (
            <p>
              Patients cannot message this team at the moment. Until they can, the button leads to a
              page saying so.
            </p>
          ) : (
            <p>
              This team is inactive. Patients who use the button or the team&rsquo;s page are told
              it is no longer taking messages, and which of your other teams they can write to
              instead. Take the button off your website.
            </p>
          )}
        </div>
      ) : null}
      <CopyBox
        id="website-button-html"
        label="Button HTML"
        hint="Paste this into your web page. It has no script or styles of its own: your website can style it with the classes carethread-button and carethread-contact."
        value={snippet}
        rows={6}
        copyLabel="Copy button HTML"
      />
      <CopyBox
        id="website-button-link"
        label="Plain link"
        hint="If your website cannot take HTML, link to this address instead."
        value={link}
        rows={2}
        copyLabel="Copy link"
      />
      <p className="nhsuk-body">
        The team&rsquo;s own page, with its opening hours and phone number, is at{' '}
        <a href={teamPageLink(origin, team)}>{teamPageLink(origin, team)}</a>.
      </p>
    </section>
  );
}

function CopyBox(props: {
  id: string;
  label: string;
  hint: string;
  value: string;
  rows: number;
  copyLabel: string;
}) {
  const [status, setStatus] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.value);
      setStatus(`${props.label} copied`);
    } catch {
      setStatus('Your browser did not allow copying. Select the text and copy it yourself.');
      const box = document.getElementById(props.id);
      if (box instanceof HTMLTextAreaElement) {
        box.focus();
        box.select();
      }
    }
  };
  return (
    <div className="nhsuk-form-group">
      <label className="nhsuk-label nhsuk-label--s" htmlFor={props.id}>
        {props.label}
      </label>
      <div className="nhsuk-hint" id={`${props.id}-hint`}>
        {props.hint}
      </div>
      <textarea
        className="nhsuk-textarea"
        id={props.id}
        rows={props.rows}
        readOnly
        spellCheck={false}
        value={props.value}
        aria-describedby={`${props.id}-hint`}
        onFocus={(event) => event.currentTarget.select()}
      />
      <button
        type="button"
        className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-2"
        onClick={() => void copy()}
      >
        {props.copyLabel}
      </button>
      <p className="nhsuk-body-s" role="status" aria-live="polite">
        {status}
      </p>
    </div>
  );
}
