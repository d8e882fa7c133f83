import { useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import type { SummaryError } from '../../components/ErrorSummary';
import type { AttachedFile, AttachmentsBusy } from './AttachmentPicker';
import { documentQuery, type RecordDocument } from './documentsApi';

const WAIT: Record<Exclude<AttachmentsBusy, null>, (id: string) => SummaryError> = {
  uploading: (id) => ({
    href: `${id}-progress`,
    message: 'Wait for your file to finish uploading',
  }),
  removing: (id) => ({ href: `${id}-list`, message: 'Wait until your file has been removed' }),
};

/** How often a file still being checked is looked at again. */
const CHECKING_POLL_MS = 2_000;

/** The id of a file's Remove button in the picker, for the error summary to link to. */
export const removeButtonId = (pickerId: string, documentId: string) =>
  `${pickerId}-remove-${documentId}`;

/** A file whose checks failed cannot go with a message. */
export const failedChecks = (document: Pick<RecordDocument, 'status'> | undefined) =>
  document?.status === 'rejected' || document?.status === 'quarantined';

/**
 * The files a message being written will carry, for an `<AttachmentPicker>` with this `id`:
 * each is already uploaded as a draft only its uploader sees, so the message only names them.
 * Each is looked at until its checks decide, so that one that was not accepted is shown as
 * such and must be removed before sending.
 */
export function useAttachments(id: string) {
  const [attached, setAttached] = useState<AttachedFile[]>([]);
  const [busy, setBusy] = useState<AttachmentsBusy>(null);
  const checked = useQueries({
    queries: attached.map((file) => documentQuery(file.id, CHECKING_POLL_MS)),
  });
  const documents = new Map(attached.map((file, i) => [file.id, checked[i]?.data]));
  const failed = attached.find((file) => failedChecks(documents.get(file.id)));
  const documentIds = attached.map((f) => f.id);
  const problem: SummaryError | null = busy
    ? WAIT[busy](id)
    : failed
      ? {
          href: removeButtonId(id, failed.id),
          message: `Remove ${failed.fileName}: it was not accepted. You can attach a different file`,
        }
      : null;
  return {
    documentIds,
    /** For a new message's body: `documentIds` only when there are some. */
    payload: documentIds.length > 0 ? { documentIds } : {},
    /**
     * Sending waits while a file is uploading or being removed, and until a file that was not
     * accepted is removed: this goes in the error summary.
     */
    problem,
    /** A file is attached or still uploading: leaving the page would lose it. */
    chosen: attached.length > 0 || busy === 'uploading',
    clear: () => setAttached([]),
    /** Spread into `<AttachmentPicker>`. */
    picker: {
      id,
      attached,
      documents,
      onChange: (update: (files: AttachedFile[]) => AttachedFile[]) => setAttached(update),
      onBusyChange: setBusy,
    },
  };
}
