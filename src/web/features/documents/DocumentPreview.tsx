import { lazy, Suspense, useEffect, useState } from 'react';
import { fetchDocumentBytes, type RecordDocument } from './documentsApi';

// pdf.js is large: only pages that show a PDF load it.
const PdfPreview = lazy(() => import('./PdfPreview'));

/** Files larger than this are offered for download only, not drawn in the page. */
const MAX_PREVIEW_BYTES = 50 * 1024 * 1024;

/**
 * A preview drawn by the page itself from the document's bytes: never the server's response
 * in a frame, so the download headers (attachment, sandbox) always apply to the file.
 */
export function DocumentPreview({ document }: { document: RecordDocument }) {
  if (document.status !== 'available') return null;
  if (document.kind !== 'pdf' && document.kind !== 'image') return null;
  if ((document.sizeBytes ?? 0) > MAX_PREVIEW_BYTES) {
    return (
      <p className="nhsuk-body">
        This file is too large to preview here. Download it to open it on your device.
      </p>
    );
  }
  return (
    <section aria-labelledby="preview-heading">
      <h2 className="nhsuk-heading-m" id="preview-heading">
        Preview
      </h2>
      {document.kind === 'image' ? (
        <ImagePreview document={document} />
      ) : (
        <Suspense fallback={<p className="nhsuk-body">Loading the preview…</p>}>
          <PdfPreview document={document} />
        </Suspense>
      )}
    </section>
  );
}

function ImagePreview({ document }: { document: RecordDocument }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | null = null;
    fetchDocumentBytes(document.id, controller.signal).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => {
        if (!controller.signal.aborted) setFailed(true);
      },
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [document.id]);
  if (failed) return <PreviewFailed />;
  if (!url) return <p className="nhsuk-body">Loading the preview…</p>;
  return (
    <figure className="app-preview">
      <img className="app-preview__image" src={url} alt={`Preview of ${document.title}`} />
    </figure>
  );
}

export function PreviewFailed() {
  return (
    <p className="nhsuk-body" role="alert">
      Sorry, the preview could not be shown. Download the document to open it on your device.
    </p>
  );
}
