import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { StatusTag } from './DocumentTable';
import { isPending, type RecordDocument, withdrawDocument } from './documentsApi';
import { chosenFileProblem, statusWords } from './documentWords';
import { removeButtonId } from './useAttachments';
import { FILE_HINT } from './UploadForm';
import { UploadProgress } from './UploadProgress';
import { useResumableUpload } from './useResumableUpload';
import './documents.scss';

/** Why sending must wait: a file is still uploading, or one is being removed. */
export type AttachmentsBusy = 'uploading' | 'removing' | null;

export interface AttachedFile {
  id: string;
  fileName: string;
}

/** A message may carry up to this many documents (the server holds the same limit). */
export const MAX_ATTACHMENTS = 10;

/**
 * "Attach a file" under a message box: each chosen file uploads at once as a draft for the
 * patient's record (and the conversation, when there is one) that only its uploader sees;
 * the message is then sent naming them, which puts them in the record. "Remove" withdraws a
 * draft: the server deletes it.
 */
export function AttachmentPicker({
  id,
  patientId,
  conversationId,
  teamId,
  attached,
  documents,
  onChange,
  onBusyChange,
}: {
  id: string;
  patientId: string;
  conversationId?: string;
  /** Staff: the team they write for, named beside the file. */
  teamId?: string;
  attached: AttachedFile[];
  /** What the server says of each attached file, as far as it is known yet. */
  documents: Map<string, RecordDocument | undefined>;
  onChange: (update: (files: AttachedFile[]) => AttachedFile[]) => void;
  onBusyChange: (busy: AttachmentsBusy) => void;
}) {
  const upload = useResumableUpload();
  const [inputKey, setInputKey] = useState(0);
  const [removing, setRemoving] = useState<AttachedFile | null>(null);
  // What went wrong with a Remove: while `fileId` is still attached, or (null) until the next
  // action, for a file taken off the message anyway.
  const [problem, setProblem] = useState<{ fileId: string | null; text: string } | null>(null);
  // A chosen file refused before it uploads (an empty one), as the upload form refuses it.
  const [refused, setRefused] = useState<string | null>(null);
  // After Remove or Cancel their button is gone: focus goes to the file input, and a screen
  // reader hears what happened.
  const [said, setSaid] = useState({ text: '', focus: 0 });
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (said.focus > 0) input.current?.focus();
  }, [said.focus]);
  const announce = (text: string, focus = true) =>
    setSaid((s) => ({ text, focus: focus ? s.focus + 1 : s.focus }));
  const { state } = upload;

  // A screen reader hears when a file's checks decide, not only when Send is refused.
  const decided = useRef(new Set<string>());
  useEffect(() => {
    for (const file of attached) {
      const document = documents.get(file.id);
      if (!document || isPending(document.status) || decided.current.has(file.id)) continue;
      decided.current.add(file.id);
      announce(`${file.fileName}: ${statusWords(document)}`, false);
    }
  });

  // Stopped half-way: the draft it started is withdrawn too. Should that fail, nobody else
  // can see the draft, and the server deletes it after 7 days.
  // Focus and the words come back at once, even while the stop waits for an upload still being
  // created: a draft that finished meanwhile is withdrawn all the same.
  const cancel = async () => {
    const fileName = state.phase === 'uploading' ? state.fileName : 'the file';
    const stopping = upload.cancel();
    setInputKey((k) => k + 1);
    announce(`Upload of ${fileName} cancelled`);
    const documentId = await stopping;
    if (documentId) await withdrawDocument(documentId).catch(() => undefined);
  };

  const remove = async (file: AttachedFile) => {
    if (removing) return;
    setRemoving(file);
    setProblem(null);
    announce(`Removing ${file.fileName}`, false);
    const drop = () => onChange((files) => files.filter((f) => f.id !== file.id));
    try {
      await withdrawDocument(file.id);
      drop();
      announce(`${file.fileName} removed`);
    } catch (error) {
      const status = error instanceof ApiError ? error.status : 0;
      if (status === 404) {
        // Gone already (or never visible): it cannot go with the message either.
        drop();
        announce(`${file.fileName} removed`);
      } else if (status === 403 || status === 409) {
        // Held back by the security check (kept for investigation), or no longer allowed.
        drop();
        setProblem({
          fileId: null,
          text: `${file.fileName} cannot be deleted. It will not be sent`,
        });
        announce('', true);
      } else {
        setProblem({ fileId: file.id, text: `${file.fileName} could not be removed. Try again` });
      }
    } finally {
      setRemoving(null);
    }
  };

  const busy: AttachmentsBusy =
    state.phase === 'uploading' ? 'uploading' : removing ? 'removing' : null;
  useEffect(() => onBusyChange(busy), [busy]);

  useEffect(() => {
    if (state.phase === 'uploaded') {
      const added = { id: state.documentId, fileName: state.fileName };
      onChange((files) => [...files, added]);
      upload.reset();
      setInputKey((k) => k + 1);
      // The field that was used went away while the file uploaded. Focus comes back to it,
      // unless the person has gone on to something else meanwhile.
      const lost = document.activeElement === null || document.activeElement === document.body;
      announce(`${state.fileName} attached`, lost);
    }
    // Reacts to the upload's phase; the callbacks are the parent's current ones.
  }, [state.phase]);

  const shownProblem =
    problem && (problem.fileId === null || attached.some((f) => f.id === problem.fileId))
      ? problem.text
      : null;
  const full = attached.length >= MAX_ATTACHMENTS;
  return (
    <div className="nhsuk-form-group">
      <p className="nhsuk-u-visually-hidden" role="status">
        {said.text}
      </p>
      {shownProblem ? (
        <span className="nhsuk-error-message" id={`${id}-remove-error`} role="alert">
          <span className="nhsuk-u-visually-hidden">Error:</span> {shownProblem}.
        </span>
      ) : null}
      {attached.length > 0 ? (
        <>
          <p className="nhsuk-body nhsuk-u-margin-bottom-2" id={`${id}-list`}>
            <strong>Files attached to your message</strong>
          </p>
          <ul className="app-attachments" aria-labelledby={`${id}-list`}>
            {attached.map((file) => (
              <li className="app-attachments__item app-actions" key={file.id}>
                <span className="app-break-word">{file.fileName}</span>
                <CheckStatus document={documents.get(file.id)} />
                <button
                  id={removeButtonId(id, file.id)}
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                  aria-disabled={removing !== null}
                  onClick={() => void remove(file)}
                >
                  {removing?.id === file.id ? 'Removing…' : 'Remove'}
                  <span className="nhsuk-u-visually-hidden"> {file.fileName}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {state.phase === 'uploading' ? (
        <>
          <UploadProgress id={`${id}-progress`} state={state} />
          <button
            type="button"
            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small"
            onClick={() => void cancel()}
          >
            Cancel upload
            <span className="nhsuk-u-visually-hidden"> of {state.fileName}</span>
          </button>
        </>
      ) : full ? (
        <p className="nhsuk-body">You have attached the most files a message can carry.</p>
      ) : (
        <>
          <label className="nhsuk-label" htmlFor={id}>
            Attach a file (optional)
          </label>
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {FILE_HINT} Only you can see a file until you send your message. Remove deletes it, and
            a file never sent is deleted after 7 days.
          </div>
          {refused || state.phase === 'failed' ? (
            <span className="nhsuk-error-message" id={`${id}-error`} role="alert">
              <span className="nhsuk-u-visually-hidden">Error:</span>{' '}
              {refused ?? (state.phase === 'failed' ? state.message : null)}
            </span>
          ) : null}
          <input
            ref={input}
            key={inputKey}
            className="nhsuk-file-upload"
            id={id}
            name={id}
            type="file"
            aria-describedby={
              refused || state.phase === 'failed' ? `${id}-hint ${id}-error` : `${id}-hint`
            }
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) {
                setProblem(null);
                const fileProblem = chosenFileProblem(file);
                setRefused(fileProblem);
                if (fileProblem) {
                  // Nothing is uploaded; the field is emptied so that any file can be chosen next.
                  upload.reset();
                  setInputKey((k) => k + 1);
                  announce('', true);
                  return;
                }
                void upload.start(file, { patientId, conversationId, teamId, purpose: 'message' });
              }
            }}
          />
        </>
      )}
    </div>
  );
}

/** How an attached file's checks stand, once the server has said. */
function CheckStatus({ document }: { document: RecordDocument | undefined }) {
  return document ? <StatusTag document={document} /> : null;
}
