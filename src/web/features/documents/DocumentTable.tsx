import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { Loading } from '../../components/Page';
import { SectionLoadFailure } from '../../components/ProblemPanel';
import { Cell, Row, Table } from '../../components/Table';
import { formatDateTime } from '../conversations/format';
import {
  CancelNotice,
  type CancelOutcome,
  CancelUploadButton,
  useCancelUpload,
} from './CancelUpload';
import {
  documentKeys,
  isPending,
  listPatientDocuments,
  mayCancelUpload,
  type RecordDocument,
} from './documentsApi';
import { formatSize, kindWords, STATUS_TAGS, statusWords } from './documentWords';
import './documents.scss';

export function StatusTag({ document }: { document: RecordDocument }) {
  return (
    <strong className={`nhsuk-tag ${STATUS_TAGS[document.status]}`}>{statusWords(document)}</strong>
  );
}

/**
 * The documents in a patient's record, newest first, every status (the uploader sees what is
 * still being checked and what was not accepted). Pages on with "Show more documents". An
 * upload of the reader's own that stopped half-way has "Remove".
 */
export function RecordDocuments({
  patientId,
  caption,
  emptyText,
}: {
  patientId: string;
  caption: string;
  emptyText: string;
}) {
  const documents = useInfiniteQuery({
    queryKey: documentKeys.record(patientId),
    queryFn: ({ pageParam }) => listPatientDocuments(patientId, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    // While something is being checked, look again so its outcome shows without a reload.
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((d) => isPending(d.status))) ? 5_000 : false,
  });
  const [outcome, setOutcome] = useState<CancelOutcome | null>(null);
  const cancel = useCancelUpload(setOutcome);
  if (documents.isPending) return <Loading what="documents" />;
  if (documents.isError) return <SectionLoadFailure error={documents.error} what="documents" />;
  const items = documents.data.pages.flatMap((p) => p.items);
  const notice = <CancelNotice outcome={outcome} />;
  if (items.length === 0) {
    return (
      <>
        {notice}
        <p className="nhsuk-body">{emptyText}</p>
      </>
    );
  }
  return (
    <>
      {notice}
      <Table
        caption={caption}
        captionHidden
        headings={['Document', 'Type', 'Size', 'Uploaded', 'Status']}
      >
        {items.map((d) => (
          <Row key={d.id}>
            <Cell heading="Document">
              <Link to={`/documents/${d.id}`} className="app-break-word">
                {d.title}
              </Link>
              {d.title !== d.fileName ? (
                <>
                  <br />
                  <span className="nhsuk-body-s app-break-word">{d.fileName}</span>
                </>
              ) : null}
            </Cell>
            <Cell heading="Type">{kindWords(d)}</Cell>
            <Cell heading="Size">{formatSize(d.sizeBytes)}</Cell>
            <Cell heading="Uploaded">
              {formatDateTime(d.uploadedAt)}
              <br />
              by {d.uploadedBy}
            </Cell>
            <Cell heading="Status">
              <StatusTag document={d} />
              {mayCancelUpload(d) ? (
                <>
                  <br />
                  <CancelUploadButton
                    document={d}
                    pending={cancel.isPending}
                    onCancel={(document) => {
                      setOutcome(null);
                      cancel.mutate(document);
                    }}
                  />
                </>
              ) : null}
            </Cell>
          </Row>
        ))}
      </Table>
      {documents.hasNextPage ? (
        <button
          type="button"
          className="nhsuk-button nhsuk-button--secondary"
          disabled={documents.isFetchingNextPage}
          onClick={() => void documents.fetchNextPage()}
        >
          Show more documents
        </button>
      ) : null}
    </>
  );
}
