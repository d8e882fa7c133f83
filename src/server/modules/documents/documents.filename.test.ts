import { describe, expect, it } from 'vitest';
import { cleanText, safeFileName } from './documents.filename';

describe('file names and titles from outside', () => {
  it('drop bidirectional controls, so a name shows what it is (results\u202Efdp.exe)', () => {
    expect(safeFileName('results\u202Efdp.exe')).toBe('resultsfdp.exe');
    expect(cleanText('Letter \u2067from\u2069 \u200Fclinic')).toBe('Letter from clinic');
  });

  it('keep the words of any script, and lose only what cannot be shown', () => {
    expect(safeFileName('نامه\u200Cها.pdf')).toBe('نامه\u200Cها.pdf');
    expect(safeFileName('C:\\scans\\Scan\u0000 1.pdf')).toBe('Scan 1.pdf');
    expect(safeFileName(' ..\u202E ')).toBeNull();
  });
});
