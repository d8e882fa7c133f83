import { useEffect, useRef, useState, type ReactNode } from 'react';
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

/** How long a wait goes unremarked: a quick load shows and says nothing. */
export const LOADING_QUIET_MS = 500;

/**
 * "Loading …" for a wait that lasts. The status region is on the page from the start and
 * empty: words added to a region already there are read out, while a region that turns up
 * with its words in it often is not. A load quicker than LOADING_QUIET_MS says nothing, so
 * neither a flash of text nor a stray announcement comes before the page itself.
 */
export function Loading({ what = 'page' }: { what?: string }) {
  const [waiting, setWaiting] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setWaiting(true), LOADING_QUIET_MS);
    return () => clearTimeout(timer);
  }, []);
  return (
    <p className="nhsuk-body" role="status">
      {waiting ? `Loading ${what}…` : ''}
    </p>
  );
}
