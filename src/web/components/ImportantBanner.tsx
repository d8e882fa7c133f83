import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * The NHS.UK notification banner that is not a success: titled "Important", its heading, then
 * what to do. Shown with the page it is a labelled region. Shown because something changed
 * elsewhere while the page was open (`alert`), it is an alert and takes focus, so a screen
 * reader hears it and keyboard users go on from it (what they were using may have gone).
 */
export function ImportantBanner({
  heading,
  alert = false,
  children,
}: {
  heading: string;
  alert?: boolean;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (alert) ref.current?.focus();
  }, [alert]);
  return (
    <div
      className="nhsuk-notification-banner"
      role={alert ? 'alert' : 'region'}
      aria-labelledby={titleId}
      tabIndex={alert ? -1 : undefined}
      ref={ref}
    >
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id={titleId}>
          Important
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">{heading}</p>
        {children}
      </div>
    </div>
  );
}
