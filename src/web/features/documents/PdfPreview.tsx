import { useEffect, useRef, useState } from 'react';
import { getDocument, GlobalWorkerOptions, type PDFDocumentLoadingTask } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import { fetchDocumentBytes, type RecordDocument } from './documentsApi';
import { PreviewFailed } from './DocumentPreview';

// The worker is bundled with the app and served from our own origin (CSP: script 'self').
GlobalWorkerOptions.workerSrc = workerUrl;

/** How many pages the preview draws; the rest are in the download. */
const PAGES_SHOWN = 3;

interface PageText {
  number: number;
  text: string;
}

function captionOf(shown: number, total: number, title: string): string {
  if (shown < total) return `The first ${shown} of ${total} pages of ${title}`;
  return total === 1 ? `The only page of ${title}` : `All ${total} pages of ${title}`;
}

/**
 * The first pages of a PDF drawn on canvases, each with a text alternative: the page's text
 * when it has some, or a note that it is a scanned image. Loaded only where a PDF is shown.
 */
export default function PdfPreview({ document }: { document: RecordDocument }) {
  const container = useRef<HTMLDivElement>(null);
  const [pages, setPages] = useState<{ shown: PageText[]; total: number } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    let task: PDFDocumentLoadingTask | null = null;
    const draw = async () => {
      const blob = await fetchDocumentBytes(document.id, controller.signal);
      const data = new Uint8Array(await blob.arrayBuffer());
      task = getDocument({ data, enableXfa: false });
      const pdf = await task.promise;
      const shown: PageText[] = [];
      const target = container.current;
      if (!target) return;
      target.replaceChildren();
      for (let number = 1; number <= Math.min(pdf.numPages, PAGES_SHOWN); number++) {
        if (controller.signal.aborted) return;
        const page = await pdf.getPage(number);
        const viewport = page.getViewport({ scale: 1.5 });
        const canvas = window.document.createElement('canvas');
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        canvas.className = 'app-preview__page';
        // The canvas is a picture of the page; its words follow as text below.
        canvas.setAttribute('aria-hidden', 'true');
        target.append(canvas);
        await page.render({ canvas, viewport }).promise;
        const content = await page.getTextContent();
        const text = content.items
          .map((item) => ('str' in item ? item.str : ''))
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim();
        shown.push({ number, text });
      }
      setPages({ shown, total: pdf.numPages });
    };
    draw().catch(() => {
      if (!controller.signal.aborted) setFailed(true);
    });
    return () => {
      controller.abort();
      void task?.destroy();
    };
  }, [document.id]);

  if (failed) return <PreviewFailed />;
  return (
    <>
      <figure className="app-preview" aria-labelledby="pdf-preview-caption">
        <div ref={container} />
        <figcaption className="nhsuk-body-s" id="pdf-preview-caption">
          {pages
            ? captionOf(pages.shown.length, pages.total, document.title)
            : 'Loading the preview…'}
        </figcaption>
      </figure>
      {pages ? (
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">Text of the pages shown</span>
          </summary>
          <div className="nhsuk-details__text">
            {pages.shown.map((page) => (
              <p key={page.number}>
                <strong>Page {page.number}:</strong>{' '}
                {page.text ||
                  'This page is a scanned picture with no text that can be read out. Download the document, or ask the team who uploaded it for a copy you can read.'}
              </p>
            ))}
          </div>
        </details>
      ) : null}
    </>
  );
}
