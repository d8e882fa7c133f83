import { describe, expect, it } from 'vitest';
import { csvFileText } from './csvFileText';

// Decision 0012: a coordinator's file imports the names as written, accents and all.
describe('csvFileText: the text of a coordinator’s CSV file', () => {
  const row = 'NHS number,Given name,Family name\r\n9990000069,Siân,Müller\r\n';

  it('reads UTF-8, dropping the BOM Excel’s “CSV UTF-8” writes', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from(row, 'utf8')]);
    expect(csvFileText(bytes)).toBe(row);
  });

  it('reads Windows-1252 (Excel’s plain “CSV (comma delimited)”) without spoiling accented names', () => {
    const bytes = new Uint8Array(Buffer.from(row, 'latin1'));
    expect(csvFileText(bytes)).toBe(row);
    // Curly quotes are where Windows-1252 and Latin-1 differ.
    expect(csvFileText(new Uint8Array([0x93, 0x4f, 0x94]))).toBe('“O”');
  });

  it('leaves a UTF-16 file full of NULs, for the server to refuse as unreadable', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...Buffer.from(row, 'utf16le')]);
    expect(csvFileText(bytes)).toContain('\u0000');
  });
});
