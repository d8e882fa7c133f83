import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ApiError } from '../../api/client';
import { SuccessBanner } from '../../components/SuccessBanner';
import { documentKeys, type RecordDocument, withdrawDocument } from './documentsApi';

export type CancelOutcome = { cancelled: true; title: string } | { cancelled: false; text: string };

/**
 * Cancels an upload into the record that stopped before it finished (withdrawDocument): its
 * uploader's only. It is then no longer listed; the outcome is for the caller to show.
 */
export function useCancelUpload(onOutcome: (outcome: CancelOutcome) => void) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (document: RecordDocument) => withdrawDocument(document.id),
    onSuccess: (_nothing, document) => {
      void client.invalidateQueries({ queryKey: documentKeys.all });
      onOutcome({ cancelled: true, title: document.title });
    },
    onError: (error) =>
      onOutcome({
        cancelled: false,
        text:
          error instanceof ApiError && error.status < 500
            ? `The upload could not be removed: ${error.message}`
            : 'The upload could not be removed because Carethread could not be reached. Try again.',
      }),
  });
}

/** "Remove", named for the upload it removes; one press only while it is on its way. */
export function CancelUploadButton({
  document,
  pending,
  onCancel,
}: {
  document: RecordDocument;
  pending: boolean;
  onCancel: (document: RecordDocument) => void;
}) {
  return (
    <button
      type="button"
      className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-0"
      disabled={pending}
      onClick={() => onCancel(document)}
    >
      Remove<span className="nhsuk-u-visually-hidden"> the unfinished upload {document.title}</span>
    </button>
  );
}

/** How a cancellation went, focused so that it is read out where the row was. */
export function CancelNotice({ outcome }: { outcome: CancelOutcome | null }) {
  const failure = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (outcome && !outcome.cancelled) failure.current?.focus();
  }, [outcome]);
  if (!outcome) return null;
  if (outcome.cancelled) {
    return (
      <SuccessBanner focus message={`The unfinished upload of ${outcome.title} has been removed`} />
    );
  }
  return (
    <div className="nhsuk-error-summary" role="alert" tabIndex={-1} ref={failure}>
      <h2 className="nhsuk-error-summary__heading">There is a problem</h2>
      <div className="nhsuk-error-summary__body">
        <p>{outcome.text}</p>
      </div>
    </div>
  );
}
