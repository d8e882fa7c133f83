import { type ReactNode, useEffect, useId, useRef } from 'react';

/**
 * The NHS.UK notification banner, titled "Success" or "Important", with its heading and what
 * follows. As an alert it can take focus, so a screen reader hears it and keyboard users go
 * on from it (what they were using may have gone).
 */
export function NotificationBanner({
  heading,
  success = false,
  alert = false,
  focus = false,
  children,
}: {
  heading: string;
  success?: boolean;
  alert?: boolean;
  focus?: boolean;
  children?: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus, heading]);
  return (
    <div
      className={`nhsuk-notification-banner${success ? ' nhsuk-notification-banner--success' : ''}`}
      role={alert ? 'alert' : 'region'}
      aria-labelledby={titleId}
      tabIndex={alert || focus ? -1 : undefined}
      ref={ref}
    >
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id={titleId}>
          {success ? 'Success' : 'Important'}
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">{heading}</p>
        {children}
      </div>
    </div>
  );
}

/**
 * The banner that is not a success. Shown with the page it is a labelled region; shown
 * because something changed elsewhere while the page was open (`alert`), it is an alert and
 * takes focus.
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
  return (
    <NotificationBanner heading={heading} alert={alert} focus={alert}>
      {children}
    </NotificationBanner>
  );
}
