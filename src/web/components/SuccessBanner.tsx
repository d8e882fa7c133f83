import { useEffect, useId, useRef } from 'react';

/** NHS.UK success notification banner; takes focus so the outcome is announced. */
export function SuccessBanner({ message, focus = false }: { message: string; focus?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const titleId = useId();
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus, message]);
  return (
    <div
      className="nhsuk-notification-banner nhsuk-notification-banner--success"
      role="alert"
      aria-labelledby={titleId}
      tabIndex={-1}
      ref={ref}
    >
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id={titleId}>
          Success
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">{message}</p>
      </div>
    </div>
  );
}

/** Reads a one-off message passed in navigation state, e.g. after registering a team. */
export function flashFrom(state: unknown): string | null {
  if (state && typeof state === 'object' && 'flash' in state) {
    const flash = state.flash;
    return typeof flash === 'string' ? flash : null;
  }
  return null;
}
