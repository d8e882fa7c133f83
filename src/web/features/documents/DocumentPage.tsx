import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { SessionUser } from '../../api/types';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { CareEndedPage, careEndedForItem, careEndedTitle } from '../carers/CareEnded';
import { formatDateTime } from '../conversations/format';
import { useUser } from '../session/useSession';
import { DocumentPreview } from './DocumentPreview';
import { StatusTag } from './DocumentTable';
import {
  CancelNotice,
  type CancelOutcome,
  CancelUploadButton,
  useCancelUpload,
} from './CancelUpload';
import {
  contentUrl,
  documentQuery,
  isPending,
  mayCancelUpload,
  mayMarkEnteredInError,
  type RecordDocument,
  type StudySummary,
} from './documentsApi';
import {
  backToDocumentsWords,
  formatSize,
  formatStudyDate,
  kindWords,
  modalityWords,
  statusWords,
} from './documentWords';
import './documents.scss';

/** Polls a document while it is being received or checked, then stops. */
export function useDocument(documentId: string) {
  return useQuery({ ...documentQuery(documentId, 1_000), enabled: documentId !== '' });
}

/** One document of a record: what it is, its checks, a preview and the download. */
export function DocumentPage() {
  const { documentId = '' } = useParams();
  const document = useDocument(documentId);
  // A carer whose access has ended, opening (or still on) one of that person's documents.
  const ended = careEndedForItem(document.error);
  usePageTitle(ended ? careEndedTitle('document') : (document.data?.title ?? 'Document'));
  if (document.isPending) return <Loading what="document" />;
  if (ended) return <CareEndedPage what="document" />;
  if (document.isError) return <LoadFailure error={document.error} />;
  return <DocumentView document={document.data} />;
}

export function documentsListPath(user: SessionUser, patientId: string): string {
  if (user.kind === 'professional') return `/patients/${patientId}`;
  return user.patientId === patientId ? '/documents' : `/cared-for/${patientId}/documents`;
}

/** Where the reader uploads to this record. */
function uploadPath(user: SessionUser, patientId: string): string {
  if (user.kind === 'professional') return `/patients/${patientId}/documents/upload`;
  return user.patientId === patientId
    ? '/documents/upload'
    : `/cared-for/${patientId}/documents/upload`;
}

function SummaryRow({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

function DocumentView({ document }: { document: RecordDocument }) {
  const user = useUser();
  const [outcome, setOutcome] = useState<CancelOutcome | null>(null);
  const cancel = useCancelUpload(setOutcome);
  return (
    <>
      <BackLink to={documentsListPath(user, document.patientId)}>
        {backToDocumentsWords(user, document.patientId)}
      </BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <CancelNotice outcome={outcome} />
          <Heading caption="Document">
            <span className="app-break-word">{document.title}</span>
          </Heading>
          <dl className="nhsuk-summary-list">
            {document.enteredInError ? null : (
              <>
                <SummaryRow label="File name">
                  <span className="app-break-word">{document.fileName}</span>
                </SummaryRow>
                <SummaryRow label="Type">{kindWords(document)}</SummaryRow>
                <SummaryRow label="Size">{formatSize(document.sizeBytes)}</SummaryRow>
              </>
            )}
            <SummaryRow label="Uploaded by">{document.uploadedBy}</SummaryRow>
            <SummaryRow label="Uploaded">{formatDateTime(document.uploadedAt)}</SummaryRow>
            <SummaryRow label="Status">
              <StatusTag document={document} />
            </SummaryRow>
          </dl>
          {document.conversationId ? (
            <p className="nhsuk-body">
              <Link to={`/conversations/${document.conversationId}`}>
                Open the conversation this document belongs to
              </Link>
            </p>
          ) : null}
          <StatusAnnouncement document={document} />
          <Outcome document={document} uploadPath={uploadPath(user, document.patientId)} />
          {mayCancelUpload(document) ? (
            <CancelUploadButton
              document={document}
              pending={cancel.isPending}
              onCancel={(d) => {
                setOutcome(null);
                cancel.mutate(d);
              }}
            />
          ) : null}
          {mayMarkEnteredInError(document) ? (
            <p className="nhsuk-body">
              <Link to={`/documents/${document.id}/added-in-error`}>
                Remove this document (added in error)
              </Link>
            </p>
          ) : null}
          {document.studySummary ? <StudySummaryList summary={document.studySummary} /> : null}
          <DocumentPreview document={document} />
          {document.status === 'available' ? (
            <p className="nhsuk-body">
              <a href={contentUrl(document.id)} download>
                Download {document.title}
                <span className="nhsuk-u-visually-hidden">,</span> ({kindWords(document)},{' '}
                {formatSize(document.sizeBytes)})
              </a>
            </p>
          ) : null}
        </div>
      </div>
    </>
  );
}

/**
 * Tells a screen reader when the document's status changes while the page is open. The live
 * region is there, empty, from the first render: one inserted with its text already in it is
 * not announced.
 */
function StatusAnnouncement({ document }: { document: RecordDocument }) {
  const [said, setSaid] = useState('');
  const shown = useRef(document.status);
  useEffect(() => {
    if (document.status === shown.current) return;
    shown.current = document.status;
    setSaid(`Status changed: ${statusWords(document)}`);
  }, [document.status]);
  return (
    <p className="nhsuk-u-visually-hidden" role="status" id="document-status-announcement">
      {said}
    </p>
  );
}

function Outcome({ document, uploadPath }: { document: RecordDocument; uploadPath: string }) {
  if (document.status === 'uploading') {
    return (
      <div className="nhsuk-inset-text">
        {mayCancelUpload(document) ? (
          <p>
            This file has not finished uploading. To finish it,{' '}
            <Link to={uploadPath}>upload the same file again</Link>: it carries on where it stopped.
            If you do not need it, remove it. An upload not finished within 7 days is removed by
            itself.
          </p>
        ) : (
          <p>
            This file has not finished uploading. It can be opened once it has been uploaded and
            checked.
          </p>
        )}
      </div>
    );
  }
  if (isPending(document.status)) {
    return (
      <div className="nhsuk-inset-text">
        <p>
          We are checking this file to keep the record safe. It can be opened once the checks are
          finished. This page updates by itself.
        </p>
      </div>
    );
  }
  if (document.enteredInError) {
    return (
      <div className="nhsuk-inset-text">
        <p>
          {document.enteredInError.by} removed this document from the record on{' '}
          {formatDateTime(document.enteredInError.at)} because it was added in error. It cannot be
          opened or downloaded.
        </p>
      </div>
    );
  }
  if (document.status === 'rejected' || document.status === 'quarantined') {
    return (
      <div className="nhsuk-inset-text">
        <p>
          This file cannot be opened or downloaded. If it is needed, upload it again in a form that
          passes the checks, or ask the team who sent it.
        </p>
      </div>
    );
  }
  return null;
}

/** What the DICOM headers of an imaging study say: shown instead of a preview. */
export function StudySummaryList({ summary }: { summary: StudySummary }) {
  return (
    <section aria-labelledby="study-heading">
      <h2 className="nhsuk-heading-m" id="study-heading">
        Imaging study
      </h2>
      <dl className="nhsuk-summary-list">
        <SummaryRow label="Modality">
          {summary.modalities.length > 0
            ? summary.modalities.map(modalityWords).join(', ')
            : 'Not recorded'}
        </SummaryRow>
        <SummaryRow label="Study date">{formatStudyDate(summary.studyDate)}</SummaryRow>
        <SummaryRow label="Description">{summary.studyDescription || 'Not recorded'}</SummaryRow>
        <SummaryRow label="Series">{summary.seriesCount}</SummaryRow>
        <SummaryRow label="Images">{summary.imageCount}</SummaryRow>
      </dl>
      <p className="nhsuk-body">
        Imaging studies cannot be previewed here. Download the study to open it in an imaging
        viewer.
      </p>
    </section>
  );
}
