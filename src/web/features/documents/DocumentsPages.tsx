import { Link, useParams } from 'react-router';
import { BackLink } from '../../components/BackLink';
import { Heading, Loading, usePageTitle } from '../../components/Page';
import { LoadFailure } from '../../components/ProblemPanel';
import { CareEndedPage, careEndedTitle } from '../carers/CareEnded';
import { useCaredFor } from '../carers/useCaredFor';
import { formatNhsNumber } from '../conversations/format';
import { usePatient } from '../patients/usePatient';
import { useUser } from '../session/useSession';
import { RecordDocuments } from './DocumentTable';
import { UploadForm } from './UploadForm';

/** The patient's own documents ("Your documents"). */
export function MyDocumentsPage() {
  const user = useUser();
  usePageTitle('Your documents');
  const patientId = user.patientId ?? '';
  return (
    <>
      <BackLink to="/">Back to your messages</BackLink>
      <Heading caption={user.displayName}>Your documents</Heading>
      <p className="nhsuk-body">
        Letters, scans, pictures and imaging studies in your health record, from you and from your
        care teams. Newest first.
      </p>
      <Link className="nhsuk-button" to="/documents/upload">
        Upload a document
      </Link>
      <RecordDocuments
        patientId={patientId}
        caption="Your documents, newest first"
        emptyText="There are no documents in your record yet."
      />
    </>
  );
}

export function MyUploadPage() {
  const user = useUser();
  return (
    <UploadLayout back="/documents" backText="Back to your documents">
      <UploadForm patientId={user.patientId ?? ''} teams={[]} documentsPath="/documents" />
    </UploadLayout>
  );
}

/**
 * A carer's view of the documents of someone they care for (C1). Someone they no longer care
 * for (stopped, or past its last day) is told so, as on their messages, not "Page not found".
 */
export function CaredForDocumentsPage() {
  const { patientId = '' } = useParams();
  const caredFor = useCaredFor(patientId);
  const name = caredFor.person?.patient.name;
  const ended = caredFor.isSuccess && !caredFor.person;
  usePageTitle(name ? `${name}’s documents` : ended ? careEndedTitle('documents') : 'Documents');
  if (caredFor.isPending) return <Loading what="documents" />;
  if (caredFor.isError) return <LoadFailure error={caredFor.error} />;
  if (!caredFor.person) return <CareEndedPage what="documents" />;
  return (
    <>
      <BackLink to={`/cared-for/${patientId}`}>Back to {name}’s messages</BackLink>
      <Heading caption="You are their carer">{name}’s documents</Heading>
      {caredFor.person.level === 'message' ? (
        <Link className="nhsuk-button" to={`/cared-for/${patientId}/documents/upload`}>
          Upload a document for {name}
        </Link>
      ) : null}
      <RecordDocuments
        patientId={patientId}
        caption={`${name}’s documents, newest first`}
        emptyText="There are no documents to show."
      />
    </>
  );
}

export function CaredForUploadPage() {
  const { patientId = '' } = useParams();
  const caredFor = useCaredFor(patientId);
  const name = caredFor.person?.patient.name;
  if (caredFor.isPending) return <Loading />;
  if (caredFor.isError) return <LoadFailure error={caredFor.error} />;
  if (!caredFor.person) return <CareEndedPage what="documents" />;
  const documentsPath = `/cared-for/${patientId}/documents`;
  return (
    <UploadLayout back={documentsPath}>
      <UploadForm
        patientId={patientId}
        teams={[]}
        documentsPath={documentsPath}
        caption={`For ${name}`}
      />
    </UploadLayout>
  );
}

/** Staff upload to a patient's record, for one of their teams (Medical Records, say). */
export function StaffUploadPage() {
  const { patientId = '' } = useParams();
  const user = useUser();
  const patient = usePatient(patientId);
  if (patient.isPending) return <Loading />;
  if (patient.isError) return <LoadFailure error={patient.error} />;
  const { givenName, familyName, nhsNumber } = patient.data;
  const documentsPath = `/patients/${patientId}`;
  return (
    <UploadLayout back={documentsPath}>
      <UploadForm
        patientId={patientId}
        teams={user.memberships}
        documentsPath={documentsPath}
        caption={`${givenName} ${familyName}`}
        intro={<p className="nhsuk-body">NHS number: {formatNhsNumber(nhsNumber)}</p>}
      />
    </UploadLayout>
  );
}

/** The upload form draws its own heading, after its error summary (NHS design system). */
function UploadLayout({
  back,
  backText = 'Back to the documents',
  children,
}: {
  back: string;
  backText?: string;
  children: React.ReactNode;
}) {
  return (
    <>
      <BackLink to={back}>{backText}</BackLink>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">{children}</div>
      </div>
    </>
  );
}
