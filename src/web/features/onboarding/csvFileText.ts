const utf8 = new TextDecoder('utf-8', { fatal: true });
const windows1252 = new TextDecoder('windows-1252');

/**
 * A CSV file's text as the spreadsheet meant it. Excel's “CSV UTF-8” is UTF-8 (its BOM is
 * dropped); its plain “CSV (comma delimited)” on Windows is Windows-1252, which read as UTF-8
 * would turn “Siân Müller” into “Si�n M�ller”. Bytes that are not valid UTF-8 are therefore
 * read as Windows-1252. A UTF-16 file stays full of NULs either way, which the server refuses.
 */
export function csvFileText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return windows1252.decode(bytes);
  }
}
