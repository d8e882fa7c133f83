import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../api/client';
import type { Membership } from '../../api/types';
import { ErrorSummary } from '../../components/ErrorSummary';
import { NotificationBanner } from '../../components/NotificationBanner';
import { Select, TextInput } from '../../components/fields';
import { Heading, usePageTitle } from '../../components/Page';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { useUser } from '../session/useSession';
import { useDocument } from './DocumentPage';
import { documentKeys, isPending, withdrawDocument } from './documentsApi';
import { backToDocumentsWords, chosenFileProblem, statusWords } from './documentWords';
import { UploadProgress } from './UploadProgress';
import { useResumableUpload } from './useResumableUpload';
import './documents.scss';

export const FILE_HINT =
  'A PDF, a picture (such as JPEG or PNG), a compressed folder (ZIP) or a DICOM imaging file.';
const MAX_TITLE = 200;

/**
 * Choose a file, give it a title (and, for staff, the team they upload for), then upload it
 * resumably and wait for its checks. The same file chosen again resumes where it stopped.
 */
export function UploadForm({
  patientId,
  teams,
  documentsPath,
  caption,
  intro,
}: {
  patientId: string;
  teams: Membership[];
  documentsPath: string;
  /** Above the heading: whose record it is. */
  caption?: string;
  /** Under the heading, before the form. */
  intro?: ReactNode;
}) {
  const errors = useFormErrors();
  const user = useUser();
  const client = useQueryClient();
  const upload = useResumableUpload();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState('');
  const [teamId, setTeamId] = useState(teams[0]?.teamId ?? '');
  const [inputKey, setInputKey] = useState(0);
  const { state } = upload;
  // The form, its progress and its outcome take each other's place: focus goes with them.
  const progress = useRef<HTMLDivElement>(null);
  usePageTitle('Upload a document', errors.hasErrors);

  useEffect(() => {
    if (inputKey > 0) document.getElementById('file')?.focus();
  }, [inputKey]);

  useEffect(() => {
    if (state.phase === 'uploading') progress.current?.focus();
    if (state.phase === 'failed') errors.show([{ href: null, message: state.message }]);
    if (state.phase === 'uploaded') {
      void client.invalidateQueries({ queryKey: documentKeys.record(patientId) });
    }
    // errors.show is stable; react to a change of phase only.
  }, [state.phase]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    attempt.current += 1;
    const problems = [];
    const fileProblem = file ? chosenFileProblem(file) : 'Choose a file to upload';
    if (fileProblem) problems.push({ href: 'file', message: fileProblem });
    if ([...title.trim()].length > MAX_TITLE)
      problems.push({ href: 'title', message: `Title must be ${MAX_TITLE} characters or fewer` });
    if (problems.length > 0 || !file) return errors.show(problems);
    errors.clear();
    setCancelled(null);
    void upload.start(file, {
      patientId,
      title: title.trim() || undefined,
      teamId: teamId || undefined,
    });
  };

  const another = () => {
    upload.reset();
    errors.clear();
    setFile(null);
    setTitle('');
    setInputKey((k) => k + 1);
  };

  // Stopped on purpose (the wrong file, or too big for this connection): the unfinished
  // upload it started leaves the record too, so nobody sees it "Still uploading". The form is
  // back at once; what became of the file is said only once the server has answered, since the
  // last bytes may have arrived first (then it is in the record) or the removal may fail.
  // Once another upload has started, a late "cancelled" about the old file is not said.
  const [cancelled, setCancelled] = useState<Cancelled | null>(null);
  const attempt = useRef(0);
  const cancel = async () => {
    const fileName = state.phase === 'uploading' ? state.fileName : 'the file';
    const mine = ++attempt.current;
    const stopping = upload.cancel();
    errors.clear();
    setFile(null);
    setInputKey((k) => k + 1);
    setCancelled(null);
    const documentId = await stopping;
    const outcome = documentId
      ? await withdrawCancelled(documentId, fileName)
      : ({ kind: 'cancelled', fileName } as const);
    // A warning about the old file (it is in the record, or still there) is said all the same.
    if (attempt.current === mine || outcome.kind !== 'cancelled') setCancelled(outcome);
    void client.invalidateQueries({ queryKey: documentKeys.record(patientId) });
  };

  // The error summary comes first in the main content, before the h1 (NHS design system).
  const heading = <Heading caption={caption}>Upload a document</Heading>;
  if (state.phase === 'uploaded') {
    return (
      <>
        {heading}
        {intro}
        <UploadOutcome
          documentId={state.documentId}
          documentsPath={documentsPath}
          documentsText={backToDocumentsWords(user, patientId)}
          onAnother={another}
        />
      </>
    );
  }

  return (
    <>
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      {heading}
      {intro}
      <div role="status">
        {cancelled ? (
          <CancelledNotice
            cancelled={cancelled}
            documentsPath={documentsPath}
            ownRecord={user.kind === 'patient' && user.patientId === patientId}
          />
        ) : null}
      </div>
      {state.phase === 'uploading' ? (
        <div tabIndex={-1} ref={progress}>
          <UploadProgress id="upload-progress" state={state} />
          <button
            className="nhsuk-button nhsuk-button--secondary"
            type="button"
            onClick={() => void cancel()}
          >
            Cancel upload<span className="nhsuk-u-visually-hidden"> of {state.fileName}</span>
          </button>
        </div>
      ) : state.phase === 'failed' ? (
        <div className="app-actions nhsuk-u-margin-bottom-4">
          {state.canRetry ? (
            <button
              className="nhsuk-button nhsuk-u-margin-bottom-0"
              type="button"
              onClick={() => {
                errors.clear();
                upload.retry();
              }}
            >
              Try again
            </button>
          ) : null}
          <button
            className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
            type="button"
            onClick={another}
          >
            Choose another file
          </button>
        </div>
      ) : (
        <form noValidate onSubmit={onSubmit}>
          <div
            className={`nhsuk-form-group${errors.fields.file ? ' nhsuk-form-group--error' : ''}`}
          >
            <label className="nhsuk-label nhsuk-label--s" htmlFor="file">
              Choose a file
            </label>
            <div className="nhsuk-hint" id="file-hint">
              {FILE_HINT} Large files are fine: if your connection drops, the upload carries on when
              it is back.
            </div>
            {errors.fields.file ? (
              <span className="nhsuk-error-message" id="file-error">
                <span className="nhsuk-u-visually-hidden">Error:</span> {errors.fields.file}
              </span>
            ) : null}
            <input
              key={inputKey}
              className="nhsuk-file-upload"
              id="file"
              name="file"
              type="file"
              aria-describedby={errors.fields.file ? 'file-hint file-error' : 'file-hint'}
              onChange={(event) => setFile(event.target.files?.[0] ?? null)}
            />
          </div>
          <TextInput
            id="title"
            label="Title (optional)"
            labelClassName="nhsuk-label--s"
            hint="For example, Clinic letter, March 2026. If you leave this empty, the file name is used."
            value={title}
            onChange={setTitle}
            error={errors.fields.title}
          />
          {teams.length > 1 ? (
            <Select
              id="team"
              label="Which team are you uploading for?"
              labelClassName="nhsuk-label--s"
              options={teams.map((t) => ({ value: t.teamId, label: t.teamName }))}
              value={teamId}
              onChange={setTeamId}
            />
          ) : teams[0] ? (
            <p className="nhsuk-body">You are uploading for {teams[0].teamName}.</p>
          ) : null}
          <button className="nhsuk-button" type="submit">
            Upload document
          </button>
        </form>
      )}
    </>
  );
}

/** What became of an upload its uploader cancelled. */
type Cancelled =
  | { kind: 'cancelled'; fileName: string }
  /** Its last bytes arrived before it stopped: it is in the record. */
  | { kind: 'finished'; fileName: string; documentId: string }
  | { kind: 'not_removed'; fileName: string };

async function withdrawCancelled(documentId: string, fileName: string): Promise<Cancelled> {
  try {
    await withdrawDocument(documentId);
    return { kind: 'cancelled', fileName };
  } catch (error) {
    return error instanceof ApiError && error.code === 'document.not_withdrawable'
      ? { kind: 'finished', fileName, documentId }
      : { kind: 'not_removed', fileName };
  }
}

/** Inside the status region that was on the page first, so that it is read out. */
function CancelledNotice({
  cancelled,
  documentsPath,
  ownRecord,
}: {
  cancelled: Cancelled;
  documentsPath: string;
  ownRecord: boolean;
}) {
  const { fileName } = cancelled;
  if (cancelled.kind === 'cancelled') {
    return <p className="nhsuk-u-visually-hidden">Upload of {fileName} cancelled</p>;
  }
  if (cancelled.kind === 'finished') {
    return (
      <WarningCallout title={`${fileName} had already finished uploading`}>
        It could not be cancelled: it is now in the record, and everyone who can see the record can
        see it. If it should not be there,{' '}
        <Link to={`/documents/${cancelled.documentId}`}>
          go to the document and, once its checks have finished, choose “Remove this document (added
          in error)”
        </Link>
        .
      </WarningCallout>
    );
  }
  return (
    <WarningCallout title={`The upload of ${fileName} could not be removed`}>
      It has stopped, but Carethread could not take it out of the record. If{' '}
      <Link to={documentsPath}>{ownRecord ? 'your documents' : 'the documents'}</Link> still list it
      as “Still uploading”, choose “Remove” beside it.
    </WarningCallout>
  );
}

/** After the last byte: the checks run; show how they ended. */
function UploadOutcome({
  documentId,
  documentsPath,
  documentsText,
  onAnother,
}: {
  documentId: string;
  documentsPath: string;
  /** "Back to your documents" in the patient's own record. */
  documentsText: string;
  onAnother: () => void;
}) {
  const document = useDocument(documentId);
  const data = document.data;
  const checking = !data || isPending(data.status);
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => outcome.current?.focus(), []);
  return (
    <>
      <div role="status" tabIndex={-1} ref={outcome}>
        {checking ? (
          <div className="nhsuk-inset-text">
            <p>Your file has been uploaded. We are checking it, which usually takes a moment.</p>
          </div>
        ) : data.status === 'available' ? (
          // Not an alert (SuccessBanner): the status around it already says it, once.
          <NotificationBanner heading={`${data.title} has been added to the record`} success />
        ) : (
          <div className="nhsuk-error-summary">
            <h2 className="nhsuk-error-summary__heading">The file was not added</h2>
            <div className="nhsuk-error-summary__body">
              <p>{statusWords(data)}.</p>
            </div>
          </div>
        )}
      </div>
      {document.isError ? (
        <p className="nhsuk-body">We could not find out how the checks went. See the documents.</p>
      ) : null}
      <div className="app-actions">
        {data && !checking ? <Link to={`/documents/${documentId}`}>View the document</Link> : null}
        <Link to={documentsPath}>{documentsText}</Link>
        <button
          className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0"
          type="button"
          onClick={onAnother}
        >
          Upload another document
        </button>
      </div>
    </>
  );
}
