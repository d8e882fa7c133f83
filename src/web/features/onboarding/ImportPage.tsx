import { useMutation } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, usePageTitle } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { useUser } from '../session/useSession';
import { importFile, MAX_FILE_BYTES, type ImportKind, type ImportResult } from './api';
import { COLUMNS, templateCsv } from './columns';
import { csvFileText } from './csvFileText';
import { ImportOutcome } from './ImportOutcome';

const TITLES: Record<ImportKind, string> = { staff: 'Import staff', patients: 'Import patients' };

/** A coordinator uploads a CSV file of staff or patients for their organisation. */
export function ImportPage({ kind }: { kind: ImportKind }) {
  const { organisationId = '' } = useParams();
  const user = useUser();
  const organisation = user.coordinatorOf.find((o) => o.id === organisationId);
  const [result, setResult] = useState<ImportResult | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const errors = useFormErrors();
  const title = TITLES[kind];
  usePageTitle(title, errors.hasErrors);

  const upload = useMutation({
    mutationFn: (csv: string) => importFile(organisationId, kind, csv),
    onSuccess: (outcome) => {
      errors.clear();
      setResult(outcome);
    },
    onError: (error) => {
      setResult(null);
      errors.showApiError(error, () => 'file');
    },
  });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return errors.show([{ href: 'file', message: 'Select a CSV file' }]);
    if (file.size > MAX_FILE_BYTES)
      return errors.show([
        { href: 'file', message: 'The selected file must be smaller than 1 MB' },
      ]);
    upload.mutate(csvFileText(new Uint8Array(await file.arrayBuffer())));
  };

  const template = `data:text/csv;charset=utf-8,${encodeURIComponent(templateCsv(kind))}`;
  return (
    <>
      <BackLink to="/teams">Back to teams</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
          <Heading caption={organisation?.name}>{title}</Heading>
          <p className="nhsuk-body">
            Upload a CSV file saved from a spreadsheet. The first row names the columns:
          </p>
          <dl className="nhsuk-summary-list">
            {COLUMNS[kind].map((column) => (
              <div className="nhsuk-summary-list__row" key={column.heading}>
                <dt className="nhsuk-summary-list__key">{column.heading}</dt>
                <dd className="nhsuk-summary-list__value">{column.what}</dd>
              </div>
            ))}
          </dl>
          <p className="nhsuk-body">
            <a href={template} download={`${kind}-template.csv`}>
              Download an empty {kind === 'staff' ? 'staff' : 'patient'} file (CSV)
            </a>
          </p>
          <div className="nhsuk-inset-text">
            <span className="nhsuk-u-visually-hidden">Information: </span>
            <p>
              Nothing is imported until every row is right: if any row has a problem, you get a list
              of what to fix. People already on Carethread are left as they are, so you can upload
              the same file again safely. Each new person gets one email inviting them to sign in.
            </p>
          </div>
          <form noValidate onSubmit={(event) => void onSubmit(event)}>
            <div
              className={`nhsuk-form-group${errors.fields.file ? ' nhsuk-form-group--error' : ''}`}
            >
              <label className="nhsuk-label nhsuk-label--s" htmlFor="file">
                CSV file
              </label>
              <div className="nhsuk-hint" id="file-hint">
                Up to 1,000 rows and 1 MB
              </div>
              {errors.fields.file ? (
                <span className="nhsuk-error-message" id="file-error">
                  <span className="nhsuk-u-visually-hidden">Error:</span> {errors.fields.file}
                </span>
              ) : null}
              <input
                className={`nhsuk-file-upload${errors.fields.file ? ' nhsuk-input--error' : ''}`}
                id="file"
                name="file"
                type="file"
                accept=".csv,text/csv"
                ref={fileInput}
                aria-describedby={`file-hint${errors.fields.file ? ' file-error' : ''}`}
                onChange={() => setResult(null)}
              />
            </div>
            <button className="nhsuk-button" type="submit" disabled={upload.isPending}>
              Upload and import
            </button>
          </form>
          {result ? <ImportOutcome result={result} /> : null}
        </div>
      </div>
    </>
  );
}
