import { useEffect, useRef, type ReactNode } from 'react';
import { useLocation } from 'react-router';

const SERVICE = 'Carethread';
let lastFocusedKey: string | null = null;

/** Sets the document title: "Teams – Carethread", prefixed with "Error: " when a form has errors. */
export function usePageTitle(title: string, hasError = false): void {
  useEffect(() => {
    document.title = `${hasError ? 'Error: ' : ''}${title} – ${SERVICE}`;
  }, [title, hasError]);
}

/**
 * The page's h1. After a client-side navigation focus moves here, so screen reader
 * users hear the new page; the first page load keeps the browser's own focus order.
 */
export function Heading({
  children,
  size = 'l',
  caption,
}: {
  children: ReactNode;
  size?: 'xl' | 'l' | 'm';
  caption?: string;
}) {
  const ref = useRef<HTMLHeadingElement>(null);
  const location = useLocation();
  useEffect(() => {
    if (location.key === 'default' || lastFocusedKey === location.key) return;
    lastFocusedKey = location.key;
    ref.current?.focus();
  }, [location.key]);
  return (
    <h1 className={`nhsuk-heading-${size} app-heading`} tabIndex={-1} ref={ref}>
      {caption ? (
        <span className="nhsuk-caption-l">
          {caption}
          <span className="nhsuk-u-visually-hidden"> - </span>
        </span>
      ) : null}
      {children}
    </h1>
  );
}

export function Loading({ what = 'page' }: { what?: string }) {
  return (
    <p className="nhsuk-body" role="status">
      Loading {what}…
    </p>
  );
}
