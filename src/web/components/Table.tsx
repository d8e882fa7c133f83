import type { ReactNode } from 'react';

/**
 * NHS.UK responsive table: on small screens each row becomes a card and every cell
 * shows its column heading (hidden from screen readers, which already announce it).
 * The explicit roles keep table semantics once CSS changes the display.
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
  return (
    <table className="nhsuk-table nhsuk-table--responsive" role="table">
      <caption className={`nhsuk-table__caption${captionHidden ? ' nhsuk-u-visually-hidden' : ''}`}>
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
