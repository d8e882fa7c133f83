import { useState } from 'react';
import type { SummaryError } from '../../components/ErrorSummary';
import type { AttachedFile, AttachmentsBusy } from './AttachmentPicker';

const WAIT: Record<Exclude<AttachmentsBusy, null>, (id: string) => SummaryError> = {
  uploading: (id) => ({
    href: `${id}-progress`,
    message: 'Wait for your file to finish uploading',
  }),
  removing: (id) => ({ href: `${id}-list`, message: 'Wait until your file has been removed' }),
};

/**
 * The files a message being written will carry, for an `<AttachmentPicker>` with this `id`:
 * each is already uploaded as a draft only its uploader sees, so the message only names them.
 */
export function useAttachments(id: string) {
  const [attached, setAttached] = useState<AttachedFile[]>([]);
  const [busy, setBusy] = useState<AttachmentsBusy>(null);
  const documentIds = attached.map((f) => f.id);
  const problem: SummaryError | null = busy ? WAIT[busy](id) : null;
  return {
    documentIds,
    /** For a new message's body: `documentIds` only when there are some. */
    payload: documentIds.length > 0 ? { documentIds } : {},
    /** Sending waits while a file is uploading or being removed: this goes in the error summary. */
    problem,
    clear: () => setAttached([]),
    /** Spread into `<AttachmentPicker>`. */
    picker: {
      id,
      attached,
      onChange: (update: (files: AttachedFile[]) => AttachedFile[]) => setAttached(update),
      onBusyChange: setBusy,
    },
  };
}
