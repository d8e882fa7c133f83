import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from 'react';

/** Whether the element's content is wider than it is, kept up to date as either changes size. */
function useScrollsSideways(ref: RefObject<HTMLElement | null>): boolean {
  const [scrolls, setScrolls] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    const observer = new ResizeObserver(() =>
      setScrolls(element.scrollWidth > element.clientWidth),
    );
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, [ref]);
  return scrolls;
}

/**
 * NHS.UK responsive table: on small screens each row becomes a card and every cell
 * shows its column heading (hidden from screen readers, which already announce it).
 * The explicit roles keep table semantics once CSS changes the display. A table wider than the
 * page (a long subject on a desktop) scrolls inside its own box, which then becomes a region
 * named by the caption that the keyboard can focus to scroll (WCAG 1.4.10, 2.1.1); a table that
 * fits adds no landmark or tab stop.
 */
export function Table({
  caption,
  captionHidden = false,
  headings,
  children,
}: {
  caption: ReactNode;
  captionHidden?: boolean;
  headings: ReactNode[];
  children: ReactNode;
}) {
  const captionId = useId();
  const region = useRef<HTMLDivElement>(null);
  const scrolls = useScrollsSideways(region);
  return (
    <div
      className="app-table-scroll"
      ref={region}
      {...(scrolls ? { role: 'region', 'aria-labelledby': captionId, tabIndex: 0 } : {})}
    >
      <table className="nhsuk-table nhsuk-table--responsive" role="table">
        <caption
          className={`nhsuk-table__caption${captionHidden ? ' nhsuk-u-visually-hidden' : ''}`}
          id={captionId}
        >
          {caption}
        </caption>
        <thead className="nhsuk-table__head" role="rowgroup">
          <tr className="nhsuk-table__row" role="row">
            {headings.map((heading, index) => (
              <th className="nhsuk-table__header" scope="col" role="columnheader" key={index}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">{children}</tbody>
      </table>
    </div>
  );
}

export function Row({ children }: { children: ReactNode }) {
  return (
    <tr className="nhsuk-table__row" role="row">
      {children}
    </tr>
  );
}

/** A cell; `heading` is the column name shown beside the value on small screens. */
export function Cell({ heading, children }: { heading?: string; children: ReactNode }) {
  return (
    <td className="nhsuk-table__cell" role="cell">
      {heading ? (
        <span className="nhsuk-table__heading" aria-hidden="true">
          {heading}{' '}
        </span>
      ) : null}
      <div className="app-table-value">{children}</div>
    </td>
  );
}

export const hidden = (text: string) => <span className="nhsuk-u-visually-hidden">{text}</span>;
