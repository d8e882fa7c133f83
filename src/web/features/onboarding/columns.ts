import type { ImportKind } from './api';

export interface ColumnHelp {
  heading: string;
  what: string;
}

/** The columns each file needs, as the page explains them and the template lays them out. */
export const COLUMNS: Record<ImportKind, ColumnHelp[]> = {
  staff: [
    { heading: 'Name', what: 'Their full name' },
    { heading: 'Job title', what: 'For example, Staff Nurse' },
    { heading: 'Email', what: 'Their work email address: how they are matched and invited' },
    { heading: 'Team', what: 'The team’s short name or name. One row for each team they join' },
    { heading: 'Role', what: 'manager or member' },
    { heading: 'Contactable', what: 'yes if patients can message them directly, otherwise no' },
  ],
  patients: [
    { heading: 'NHS number', what: '10 digits, spaces allowed: how patients are matched' },
    { heading: 'Given name', what: 'Their first name' },
    { heading: 'Family name', what: 'Their last name' },
    { heading: 'Date of birth', what: 'Like 31/01/1970 or 1970-01-31' },
    { heading: 'Email', what: 'Optional: where their invitation goes' },
  ],
};

export function templateCsv(kind: ImportKind): string {
  return `${COLUMNS[kind].map((c) => c.heading).join(',')}\r\n`;
}
