import { useState } from 'react';
import type { SummaryError } from '../../components/ErrorSummary';
import type { AttachedFile } from './AttachmentPicker';

const STILL_UPLOADING = 'Wait for your file to finish uploading';

/**
 * The files a message being written will carry, for an `<AttachmentPicker>` with this `id`:
 * each is already in the patient's record, so the message only names them.
 */
export function useAttachments(id: string) {
  const [attached, setAttached] = useState<AttachedFile[]>([]);
  const [attaching, setAttaching] = useState(false);
  const documentIds = attached.map((f) => f.id);
  const problem: SummaryError | null = attaching
    ? { href: `${id}-progress`, message: STILL_UPLOADING }
    : null;
  return {
    documentIds,
    /** For a new message's body: `documentIds` only when there are some. */
    payload: documentIds.length > 0 ? { documentIds } : {},
    /** Sending waits while a file is still uploading: this goes in the error summary. */
    problem,
    clear: () => setAttached([]),
    /** Spread into `<AttachmentPicker>`. */
    picker: { id, attached, onChange: setAttached, onBusyChange: setAttaching },
  };
}
