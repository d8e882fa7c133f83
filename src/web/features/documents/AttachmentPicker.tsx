import { useEffect, useState } from 'react';
import { FILE_HINT } from './UploadForm';
import { UploadProgress } from './UploadProgress';
import { useResumableUpload } from './useResumableUpload';
import './documents.scss';

export interface AttachedFile {
  id: string;
  fileName: string;
}

/** A message may carry up to this many documents (the server holds the same limit). */
export const MAX_ATTACHMENTS = 10;

/**
 * "Attach a file" under a message box: each chosen file uploads at once into the patient's
 * record (and the conversation, when there is one); the message is then sent naming them.
 */
export function AttachmentPicker({
  id,
  patientId,
  conversationId,
  attached,
  onChange,
  onBusyChange,
}: {
  id: string;
  patientId: string;
  conversationId?: string;
  attached: AttachedFile[];
  onChange: (files: AttachedFile[]) => void;
  onBusyChange: (busy: boolean) => void;
}) {
  const upload = useResumableUpload();
  const [inputKey, setInputKey] = useState(0);
  const { state } = upload;

  useEffect(() => {
    onBusyChange(state.phase === 'uploading');
    if (state.phase === 'uploaded') {
      onChange([...attached, { id: state.documentId, fileName: state.fileName }]);
      upload.reset();
      setInputKey((k) => k + 1);
    }
    // Reacts to the upload's phase; the callbacks are the parent's current ones.
  }, [state.phase]);

  const full = attached.length >= MAX_ATTACHMENTS;
  return (
    <div className="nhsuk-form-group">
      {attached.length > 0 ? (
        <>
          <p className="nhsuk-body nhsuk-u-margin-bottom-2" id={`${id}-list`}>
            <strong>Files attached to your message</strong>
          </p>
          <ul className="app-attachments" aria-labelledby={`${id}-list`}>
            {attached.map((file) => (
              <li className="app-attachments__item app-actions" key={file.id}>
                <span className="app-break-word">{file.fileName}</span>
                <button
                  type="button"
                  className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                  onClick={() => onChange(attached.filter((f) => f.id !== file.id))}
                >
                  Remove
                  <span className="nhsuk-u-visually-hidden"> {file.fileName} from the message</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {state.phase === 'uploading' ? (
        <UploadProgress id={`${id}-progress`} state={state} />
      ) : full ? (
        <p className="nhsuk-body">You have attached the most files a message can carry.</p>
      ) : (
        <>
          <label className="nhsuk-label" htmlFor={id}>
            Attach a file (optional)
          </label>
          <div className="nhsuk-hint" id={`${id}-hint`}>
            {FILE_HINT} It is added to the record as soon as you choose it. Removing it from the
            message does not take it out of the record.
          </div>
          {state.phase === 'failed' ? (
            <span className="nhsuk-error-message" id={`${id}-error`} role="alert">
              <span className="nhsuk-u-visually-hidden">Error:</span> {state.message}
            </span>
          ) : null}
          <input
            key={inputKey}
            className="nhsuk-file-upload"
            id={id}
            name={id}
            type="file"
            aria-describedby={state.phase === 'failed' ? `${id}-hint ${id}-error` : `${id}-hint`}
            onChange={(event) => {
              const file = event.target.files?.[0];
              if (file) void upload.start(file, { patientId, conversationId });
            }}
          />
        </>
      )}
    </div>
  );
}
