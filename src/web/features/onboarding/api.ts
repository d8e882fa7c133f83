import { request } from '../../api/client';

export type ImportKind = 'staff' | 'patients';

export interface ImportProblem {
  row: number;
  column: string;
  code: string;
  message: string;
}

/** What an import did (importStaff / importPatients). */
export interface ImportResult {
  id: string;
  kind: ImportKind;
  outcome: 'imported' | 'rejected';
  createdAt: string;
  counts: {
    rows: number;
    created: number;
    linked: number;
    alreadyPresent: number;
    invitations: number;
  };
  rows: { row: number; outcome: 'created' | 'linked' | 'already_present' }[];
  problems: ImportProblem[];
  errorReportUrl: string | null;
}

export function importFile(
  organisationId: string,
  kind: ImportKind,
  csv: string,
): Promise<ImportResult> {
  return request<ImportResult>(
    'POST',
    `/organisations/${encodeURIComponent(organisationId)}/imports/${kind}`,
    { csv },
  );
}

/** The same limit the server applies, checked first so a big file is not sent for nothing. */
export const MAX_FILE_BYTES = 1024 * 1024;
