import { Link } from 'react-router';
import { useUser } from '../session/useSession';
import { RecordDocuments } from './DocumentTable';

/** The documents part of a patient's record as staff see it. */
export function RecordDocumentsSection({
  patientId,
  patientName,
}: {
  patientId: string;
  patientName: string;
}) {
  const user = useUser();
  return (
    <section aria-labelledby="documents-heading">
      <h2 className="nhsuk-heading-m" id="documents-heading">
        Documents
      </h2>
      {user.memberships.length > 0 ? (
        <Link
          className="nhsuk-button nhsuk-button--secondary"
          to={`/patients/${patientId}/documents/upload`}
        >
          Upload a document
        </Link>
      ) : null}
      <RecordDocuments
        patientId={patientId}
        caption={`Documents in ${patientName}'s record, newest first`}
        emptyText="There are no documents in this record."
      />
    </section>
  );
}
