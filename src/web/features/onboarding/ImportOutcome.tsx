import { useEffect, useRef } from 'react';
import type { ImportResult } from './api';

const people = (n: number, kind: ImportResult['kind']) =>
  `${n} ${kind === 'staff' ? (n === 1 ? 'person' : 'people') : n === 1 ? 'patient' : 'patients'}`;

/** What an upload did: a summary when imported, every problem when not. */
export function ImportOutcome({ result }: { result: ImportResult }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), [result.id]);
  const { counts } = result;
  if (result.outcome === 'imported') {
    const lines = [
      `${counts.rows} ${counts.rows === 1 ? 'row' : 'rows'} read`,
      `${counts.created} new`,
      result.kind === 'staff'
        ? `${counts.linked} added to another team`
        : `${counts.linked} registered who were already known to Carethread`,
      `${counts.alreadyPresent} already present, left unchanged`,
      `${counts.invitations} ${counts.invitations === 1 ? 'invitation' : 'invitations'} to be sent`,
    ];
    return (
      <section aria-labelledby="import-result" className="nhsuk-u-margin-top-6">
        <h2 className="nhsuk-heading-m" id="import-result" tabIndex={-1} ref={ref}>
          File imported
        </h2>
        <ul className="nhsuk-list nhsuk-list--bullet">
          {lines.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </section>
    );
  }
  const shown = result.problems.length;
  return (
    <section aria-labelledby="import-result" className="nhsuk-u-margin-top-6">
      <h2 className="nhsuk-heading-m" id="import-result" tabIndex={-1} ref={ref}>
        The file was not imported
      </h2>
      <p className="nhsuk-body">
        Nothing from this file has been imported. Fix the problems below in your spreadsheet, then
        upload the whole file again. {people(counts.rows, result.kind)} were in the file.
      </p>
      {result.errorReportUrl ? (
        <p className="nhsuk-body">
          <a href={result.errorReportUrl} download>
            Download the list of problems (CSV)
          </a>
        </p>
      ) : null}
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption">
          Problems in the file{shown === 100 ? ' (the first 100; the download has them all)' : ''}
        </caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            <th scope="col" className="nhsuk-table__header">
              Row
            </th>
            <th scope="col" className="nhsuk-table__header">
              Column
            </th>
            <th scope="col" className="nhsuk-table__header">
              Problem
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {result.problems.map((problem, i) => (
            <tr className="nhsuk-table__row" key={`${problem.row}-${problem.column}-${i}`}>
              <td className="nhsuk-table__cell">{problem.row}</td>
              <td className="nhsuk-table__cell">{problem.column || 'Whole row'}</td>
              <td className="nhsuk-table__cell">{problem.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
