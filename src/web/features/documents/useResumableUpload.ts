import { useCallback, useEffect, useRef, useState } from 'react';
import type { DetailedError, Upload } from 'tus-js-client';
import { useSession } from '../session/useSession';
import { UPLOAD_ENDPOINT } from './documentsApi';
import { resumableUploadStorage, uploadFingerprint } from './uploadStorage';

/** Big enough to keep requests few, small enough that a dropped connection loses little. */
export const CHUNK_SIZE = 5 * 1024 * 1024;
const RETRY_DELAYS = [0, 1_000, 3_000, 5_000, 10_000, 20_000, 30_000];

export interface UploadMetadata {
  patientId: string;
  title?: string;
  teamId?: string;
  conversationId?: string;
  /** `message`: a draft only the uploader sees until a message carries it. */
  purpose?: 'record' | 'message';
}

export type UploadState =
  | { phase: 'idle' }
  | { phase: 'uploading'; fileName: string; sent: number; total: number; offline: boolean }
  | { phase: 'uploaded'; fileName: string; documentId: string }
  | { phase: 'failed'; fileName: string; message: string; canRetry: boolean };

/** Messages for refusals of the upload itself (the checks after it have their own words). */
const REFUSALS: Record<string, string> = {
  'document.too_large': 'The file is too large to upload',
  'document.empty': 'The selected file is empty',
  'document.invalid_metadata': 'The file could not be uploaded. Choose the file again',
  'document.quota_exceeded':
    'You have too many uploads that are not finished or files not yet sent with a message. ' +
    'Finish those uploads (choose the same file again) or send or remove those files, then try again',
};

function failureOf(error: Error | DetailedError): { message: string; canRetry: boolean } {
  const response = 'originalResponse' in error ? error.originalResponse : null;
  const status = response?.getStatus() ?? 0;
  if (!response || status === 0 || status >= 500) {
    return {
      message: 'The upload stopped because Carethread could not be reached. Try again',
      canRetry: true,
    };
  }
  let code = '';
  let detail = '';
  try {
    const problem = JSON.parse(response.getBody()) as { code?: string; detail?: string };
    code = problem.code ?? '';
    detail = problem.detail ?? '';
  } catch {
    // Not a problem document: fall back to the generic message.
  }
  if (status === 401) return { message: 'Your session has ended. Sign in again', canRetry: false };
  if (status === 403 || status === 404) {
    return { message: 'You cannot upload documents to this record', canRetry: false };
  }
  return {
    message: REFUSALS[code] ?? (detail || 'The file could not be uploaded'),
    canRetry: false,
  };
}

const isOffline = () => typeof navigator !== 'undefined' && navigator.onLine === false;

/**
 * A resumable upload (tus) with progress that survives a dropped connection: while the
 * browser is offline it waits, and carries on from the server's offset once it is back.
 * The same file uploaded again for the same record resumes where it stopped.
 */
export function useResumableUpload() {
  const session = useSession().data;
  const [state, setState] = useState<UploadState>({ phase: 'idle' });
  const upload = useRef<Upload | null>(null);
  /** Stops the current upload for good (see `cancel`). */
  const stopUpload = useRef<(() => Promise<string | null>) | null>(null);
  const waitingForNetwork = useRef(false);

  useEffect(() => {
    const onOffline = () =>
      setState((s) => (s.phase === 'uploading' ? { ...s, offline: true } : s));
    const onOnline = () => {
      setState((s) => (s.phase === 'uploading' ? { ...s, offline: false } : s));
      if (waitingForNetwork.current && upload.current) {
        waitingForNetwork.current = false;
        upload.current.start();
      }
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      // Leaving the page pauses the upload; choosing the same file later resumes it.
      void upload.current?.abort();
    };
  }, []);

  const start = useCallback(
    async (file: File, metadata: UploadMetadata) => {
      if (!session) return;
      const { Upload } = await import('tus-js-client');
      const purpose = metadata.purpose ?? 'record';
      const scope = [
        session.user.id,
        metadata.patientId,
        metadata.conversationId ?? '',
        metadata.teamId ?? '',
        purpose,
      ];
      const fields: Record<string, string> = { patientId: metadata.patientId, filename: file.name };
      if (metadata.title) fields.title = metadata.title;
      if (metadata.teamId) fields.teamId = metadata.teamId;
      if (metadata.conversationId) fields.conversationId = metadata.conversationId;
      fields.purpose = purpose;

      const fileName = file.name;
      waitingForNetwork.current = false;
      setState({ phase: 'uploading', fileName, sent: 0, total: file.size, offline: isOffline() });
      // A creation request (POST) on its way may already have made the document on the server:
      // aborting it would lose the only answer that says which one. Stopping waits for it.
      let creating = false;
      let stopped = false;
      let created: (() => void) | null = null;
      const creationSettled = () => {
        creating = false;
        // Before tus sends the first bytes to the address it has just learnt.
        if (stopped) void next.abort();
        created?.();
        created = null;
      };
      const next = new Upload(file, {
        endpoint: UPLOAD_ENDPOINT,
        chunkSize: CHUNK_SIZE,
        retryDelays: RETRY_DELAYS,
        metadata: fields,
        headers: { 'X-CSRF-Token': session.csrfToken },
        urlStorage: resumableUploadStorage,
        fingerprint: (f) => uploadFingerprint(f, scope),
        storeFingerprintForResuming: true,
        removeFingerprintOnSuccess: true,
        onBeforeRequest: (req) => {
          if (req.getMethod() === 'POST') creating = true;
        },
        onUploadUrlAvailable: creationSettled,
        // Offline, retrying only wastes the delays: wait for the browser to be back instead.
        onShouldRetry: (error) => {
          if (stopped || isOffline()) return false;
          const status = error.originalResponse?.getStatus() ?? 0;
          const retrying = status === 0 || status >= 500 || status === 409 || status === 423;
          // Until the retry goes, no creation is on its way.
          if (retrying) creating = false;
          return retrying;
        },
        onProgress: (sent, total) => {
          if (!stopped)
            setState({ phase: 'uploading', fileName, sent, total, offline: isOffline() });
        },
        onError: (error) => {
          if (stopped) return creationSettled();
          creating = false;
          const status =
            'originalResponse' in error ? (error.originalResponse?.getStatus() ?? 0) : 0;
          if (isOffline() && status === 0) {
            waitingForNetwork.current = true;
            setState((s) => (s.phase === 'uploading' ? { ...s, offline: true } : s));
            return;
          }
          setState({ phase: 'failed', fileName, ...failureOf(error) });
        },
        onSuccess: () => {
          if (stopped) return;
          const documentId = (next.url ?? '').split('/').pop() ?? '';
          setState({ phase: 'uploaded', fileName, documentId });
        },
      });
      upload.current = next;
      stopUpload.current = async () => {
        stopped = true;
        if (creating) await new Promise<void>((resolve) => (created = resolve));
        await next.abort();
        return next.url?.split('/').pop() ?? null;
      };
      const previous = await next.findPreviousUploads();
      // Cancelled while looking: it must not start after all.
      if (upload.current !== next) return;
      const [latest] = previous.sort((a, b) => b.creationTime.localeCompare(a.creationTime));
      if (latest) next.resumeFromPreviousUpload(latest);
      next.start();
    },
    [session],
  );

  /** After a failure that may pass (the server was unreachable): carry on from the offset. */
  const retry = useCallback(() => {
    const current = upload.current;
    if (!current) return;
    setState((s) =>
      s.phase === 'failed'
        ? { phase: 'uploading', fileName: s.fileName, sent: 0, total: 0, offline: isOffline() }
        : s,
    );
    current.start();
  }, []);

  const reset = useCallback(() => {
    void upload.current?.abort();
    upload.current = null;
    stopUpload.current = null;
    waitingForNetwork.current = false;
    setState({ phase: 'idle' });
  }, []);

  /**
   * Stops the upload for good (the form is back at once): the id of the document it had
   * started, if it got that far. A creation still on its way is waited for first, so a document
   * the server made is never left unknown to the caller, who withdraws it.
   */
  const cancel = useCallback(async (): Promise<string | null> => {
    const stop = stopUpload.current;
    upload.current = null;
    stopUpload.current = null;
    waitingForNetwork.current = false;
    setState({ phase: 'idle' });
    return stop ? stop() : null;
  }, []);

  return { state, start, retry, reset, cancel };
}
