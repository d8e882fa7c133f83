import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { CorrectionForm, correctionFieldId } from '../../components/CorrectionForm';
import { addedInErrorHint } from '../../components/correctionWords';
import { ErrorSummary } from '../../components/ErrorSummary';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { useFormErrors } from '../../components/useFormErrors';
import { WarningCallout } from '../../components/WarningCallout';
import { useUser } from '../session/useSession';
import { useDocument } from './DocumentPage';
import { documentKeys, markEnteredInError, mayMarkEnteredInError } from './documentsApi';

const TITLE = 'Remove a document added in error';

/**
 * Its uploader takes a document out of the record when it was added in error (the wrong file,
 * the wrong patient): asks why, warns what happens, then marks it (markDocumentEnteredInError).
 */
export function EnteredInErrorPage() {
  const { documentId = '' } = useParams();
  const document = useDocument(documentId);
  const user = useUser();
  const errors = useFormErrors();
  const navigate = useNavigate();
  const client = useQueryClient();
  usePageTitle(TITLE, errors.hasErrors);
  const remove = useMutation({
    mutationFn: (text: string) => markEnteredInError(documentId, text),
    onSuccess: (updated) => {
      client.setQueryData(documentKeys.one(documentId), updated);
      void client.invalidateQueries({ queryKey: documentKeys.all });
      void navigate(`/documents/${documentId}`);
    },
    onError: (error) => errors.showApiError(error, correctionFieldId),
  });
  if (document.isPending) return <Loading what="document" />;
  if (document.isError) return <LoadFailure error={document.error} />;
  if (!mayMarkEnteredInError(document.data)) {
    return (
      <>
        <BackLink to={`/documents/${documentId}`}>Back to the document</BackLink>
        <Heading>{TITLE}</Heading>
        <p className="nhsuk-body">
          {document.data.enteredInError
            ? 'This document has already been removed from the record.'
            : 'Only the person who added a document can say it was added in error, once its checks have finished. If this document should not be in the record, ask them.'}
        </p>
      </>
    );
  }

  return (
    <>
      <BackLink to={`/documents/${documentId}`}>Back to the document</BackLink>
      <ErrorSummary errors={errors.summary} ref={errors.summaryRef} />
      <Heading caption={document.data.title}>{TITLE}</Heading>
      <WarningCallout title="Important">
        Once removed, nobody can open or download it, you included. Everyone who can see the record
        will see that a document was removed, when, and that you removed it. Its contents are kept
        only for investigation.
      </WarningCallout>
      <CorrectionForm
        label="Why was it added in error?"
        hint={addedInErrorHint(user)}
        missing="Say why it was added in error"
        button="Remove it from the record"
        pending={remove.isPending}
        errors={errors}
        onReason={(text) => remove.mutate(text)}
      />
    </>
  );
}
