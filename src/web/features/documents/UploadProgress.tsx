import type { UploadState } from './useResumableUpload';
import { formatSize } from './documentWords';

type Uploading = Extract<UploadState, { phase: 'uploading' }>;

/**
 * An upload's progress: a labelled <progress>, the percentage in words (announced in steps
 * of ten, so a screen reader is not flooded), and what happens while the connection is lost.
 */
export function UploadProgress({ id, state }: { id: string; state: Uploading }) {
  const percent = state.total > 0 ? Math.floor((state.sent / state.total) * 100) : 0;
  const announced = Math.floor(percent / 10) * 10;
  return (
    <div className="app-upload-progress nhsuk-u-margin-bottom-4">
      <label className="nhsuk-label" htmlFor={id}>
        Uploading <span className="app-break-word">{state.fileName}</span>
      </label>
      <progress className="app-upload-progress__bar" id={id} max={100} value={percent}>
        {percent}%
      </progress>
      <p className="nhsuk-body-s nhsuk-u-margin-bottom-2" aria-hidden="true">
        {percent}% uploaded ({formatSize(state.sent)} of {formatSize(state.total)})
      </p>
      <p className="nhsuk-u-visually-hidden" role="status">
        {announced}% uploaded
      </p>
      <div role="alert">
        {state.offline ? (
          <div className="nhsuk-inset-text app-upload-progress__offline">
            <p>Connection lost — we’ll carry on when you’re back online</p>
          </div>
        ) : null}
      </div>
    </div>
  );
}
