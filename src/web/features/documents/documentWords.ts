import type { SessionUser } from '../../api/types';
import type { DocumentKind, DocumentStatus, RecordDocument } from './documentsApi';

/** The link back to a record's documents: "your documents" in the patient's own record. */
export function backToDocumentsWords(
  viewer: Pick<SessionUser, 'kind' | 'patientId'>,
  patientId: string,
): string {
  return viewer.kind === 'patient' && viewer.patientId === patientId
    ? 'Back to your documents'
    : 'Back to the documents';
}

/** A file of 0 bytes is refused before it uploads (the server says `document.empty`). */
export const EMPTY_FILE = 'The selected file is empty';

/** What is wrong with a chosen file before it is uploaded, in NHS.UK words, or null. */
export function chosenFileProblem(file: Pick<File, 'size'>): string | null {
  return file.size === 0 ? EMPTY_FILE : null;
}

/** Why a document was not accepted, in words a patient understands (stable server codes). */
const REJECTION_REASONS: Record<string, string> = {
  'document.type_not_allowed': 'this type of file cannot be kept in the record',
  'document.type_mismatch': 'the file is not the type its name says',
  'document.too_large': 'the file is too large',
  'document.zip_invalid': 'the compressed folder could not be opened',
  'document.zip_too_many_entries': 'the compressed folder has too many files in it',
  'document.zip_too_large_uncompressed': 'the compressed folder is too large once opened',
  'document.zip_ratio_exceeded': 'the compressed folder expands to an unsafe size',
  'document.zip_unsafe_path': 'the compressed folder has files in unsafe places',
  'document.zip_symlink': 'the compressed folder contains links to other files',
  'document.zip_nested_too_deep': 'the compressed folder has too many folders inside folders',
  'document.upload_expired': 'the upload was not finished within 7 days',
  'document.upload_refused': 'the person uploading it could no longer add to this record',
};

export function statusWords(document: Pick<RecordDocument, 'status' | 'rejectionCode'>): string {
  switch (document.status) {
    case 'uploading':
      return 'Still uploading';
    case 'checking':
      return 'Being checked';
    case 'available':
      return 'Ready';
    case 'quarantined':
      return 'Held back: it failed a security check';
    case 'entered_in_error':
      return 'Removed: added in error';
    case 'withdrawn':
      if (document.rejectionCode === 'document.upload_cancelled') {
        return 'Removed before it finished uploading';
      }
      return document.rejectionCode === 'document.draft_expired'
        ? 'Deleted: it was not sent within 7 days'
        : 'Removed before it was sent';
    case 'rejected': {
      const reason = document.rejectionCode ? REJECTION_REASONS[document.rejectionCode] : null;
      return `Not accepted: ${reason ?? 'it did not pass our checks'}`;
    }
  }
}

export const STATUS_TAGS: Record<DocumentStatus, string> = {
  uploading: 'nhsuk-tag--grey',
  checking: 'nhsuk-tag--blue',
  available: 'nhsuk-tag--green',
  rejected: 'nhsuk-tag--red',
  quarantined: 'nhsuk-tag--red',
  withdrawn: 'nhsuk-tag--grey',
  entered_in_error: 'nhsuk-tag--grey',
};

const KIND_WORDS: Record<DocumentKind, string> = {
  pdf: 'PDF',
  image: 'Image',
  zip: 'Compressed folder',
  dicom: 'Imaging (DICOM)',
};

export function kindWords(document: Pick<RecordDocument, 'kind' | 'studySummary'>): string {
  if (document.studySummary) return 'Imaging study';
  return document.kind ? KIND_WORDS[document.kind] : 'Not known yet';
}

const number = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 1 });

/** "842 bytes", "12.4 KB", "3.1 MB", "1.2 GB" (1 KB = 1,024 bytes, as computers show). */
export function formatSize(bytes: number | null): string {
  if (bytes === null) return 'Not known yet';
  if (bytes < 1024) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${number.format(value)} ${units[unit]}`;
}

/** A study date (YYYY-MM-DD) as "3 March 2026". */
export function formatStudyDate(isoDate: string | null): string {
  if (!isoDate) return 'Not recorded';
  const date = new Date(`${isoDate}T00:00:00Z`);
  return Number.isNaN(date.getTime())
    ? isoDate
    : new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(date);
}

/** DICOM modality codes most often met, in words; others are shown as their code. */
const MODALITY_WORDS: Record<string, string> = {
  CT: 'CT scan',
  MR: 'MRI scan',
  US: 'Ultrasound',
  CR: 'X-ray',
  DX: 'X-ray',
  XA: 'X-ray angiography',
  MG: 'Mammogram',
  NM: 'Nuclear medicine',
  PT: 'PET scan',
};

/** "CT scan (CT)", or the code alone when it has no common name. */
export function modalityWords(code: string): string {
  const words = MODALITY_WORDS[code];
  return words ? `${words} (${code})` : code;
}
