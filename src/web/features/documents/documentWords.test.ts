import { describe, expect, test } from 'vitest';
import { REJECTION_CODES } from '../../../server/modules/documents/documents.contracts';
import {
  backToDocumentsWords,
  chosenFileProblem,
  formatSize,
  formatStudyDate,
  modalityWords,
  statusWords,
} from './documentWords';

describe('a chosen file is looked at before it uploads', () => {
  test('an empty file is refused in plain words, as the server refuses it (document.empty)', () => {
    expect(chosenFileProblem({ size: 0 })).toBe('The selected file is empty');
  });

  test('a file of one byte or more goes on to upload', () => {
    expect(chosenFileProblem({ size: 1 })).toBeNull();
  });
});

describe('document words', () => {
  test.each(REJECTION_CODES.filter((code) => code !== 'document.infected'))(
    'a rejection for %s is explained in its own words',
    (code) => {
      const words = statusWords({ status: 'rejected', rejectionCode: code });
      expect(words).toMatch(/^Not accepted: /);
      expect(words).not.toContain('did not pass our checks');
    },
  );

  test('the statuses read as the issue words them', () => {
    expect(statusWords({ status: 'checking', rejectionCode: null })).toBe('Being checked');
    expect(statusWords({ status: 'rejected', rejectionCode: 'document.type_mismatch' })).toBe(
      'Not accepted: the file is not the type its name says',
    );
    expect(statusWords({ status: 'quarantined', rejectionCode: 'document.infected' })).toBe(
      'Held back: it failed a security check',
    );
    expect(statusWords({ status: 'withdrawn', rejectionCode: 'document.withdrawn' })).toBe(
      'Removed before it was sent',
    );
    expect(statusWords({ status: 'withdrawn', rejectionCode: 'document.draft_expired' })).toBe(
      'Deleted: it was not sent within 7 days',
    );
    expect(statusWords({ status: 'withdrawn', rejectionCode: 'document.upload_cancelled' })).toBe(
      'Removed before it finished uploading',
    );
    expect(statusWords({ status: 'rejected', rejectionCode: 'document.unknown_new' })).toBe(
      'Not accepted: it did not pass our checks',
    );
  });

  test('sizes are given in the units people know', () => {
    expect(formatSize(null)).toBe('Not known yet');
    expect(formatSize(1)).toBe('1 byte');
    expect(formatSize(842)).toBe('842 bytes');
    expect(formatSize(12_697)).toBe('12.4 KB');
    expect(formatSize(5 * 1024 * 1024)).toBe('5 MB');
    expect(formatSize(10 * 1024 ** 3)).toBe('10 GB');
  });

  test('study dates and modalities read in words', () => {
    expect(formatStudyDate('2026-03-03')).toBe('3 March 2026');
    expect(formatStudyDate(null)).toBe('Not recorded');
    expect(modalityWords('CT')).toBe('CT scan (CT)');
    expect(modalityWords('OT')).toBe('OT');
  });
});

describe('the link back to the documents', () => {
  test('says "your documents" in the patient’s own record only', () => {
    expect(backToDocumentsWords({ kind: 'patient', patientId: 'p-1' }, 'p-1')).toBe(
      'Back to your documents',
    );
    // A carer, in the record of the person they care for; staff, in any record.
    expect(backToDocumentsWords({ kind: 'patient', patientId: 'carer-1' }, 'p-1')).toBe(
      'Back to the documents',
    );
    expect(backToDocumentsWords({ kind: 'professional', patientId: null }, 'p-1')).toBe(
      'Back to the documents',
    );
  });
});
