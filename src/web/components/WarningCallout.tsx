import type { ReactNode } from 'react';

/** The NHS.UK warning callout: a heading read as "Important: <title>", then its text. */
export function WarningCallout({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="nhsuk-warning-callout">
      <h2 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {title}
        </span>
      </h2>
      <p>{children}</p>
    </div>
  );
}
