/** Marks and embeddings, overrides and isolates that reorder what follows them when shown. */
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text from outside (a file name, an upload's title) made safe to keep and show: NFC, no
 * control characters (NUL included, which PostgreSQL text cannot hold), no bidirectional
 * controls (a right-to-left override shows `results\u202Efdp.exe` as `resultsexe.pdf`), runs of
 * white space as one space, trimmed.
 */
export function cleanText(raw: string): string {
  return (
    raw
      .normalize('NFC')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
      .replace(BIDI_CONTROLS, '')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * A file name made safe to keep, show and send back: no path (only what follows the last
 * `/` or `\`), cleaned as any text (`cleanText`), no quotes, trimmed of dots and spaces at its
 * ends, at most 200 characters. Null when nothing is left.
 */
export function safeFileName(raw: string): string | null {
  const base = raw.split(/[\\/]/).pop() ?? '';
  const cleaned = cleanText(base.normalize('NFC').replace(/["<>|:*?]/g, '')).replace(
    /^[\s.]+|[\s.]+$/g,
    '',
  );
  const limited = [...cleaned].slice(0, 200).join('');
  return limited === '' ? null : limited;
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback (`filename="…"`: no quotes,
 * backslashes, CR/LF or path separators) and the exact name as RFC 5987 `filename*`
 * (RFC 6266).
 */
export function contentDisposition(fileName: string): string {
  const safe = safeFileName(fileName) ?? 'document';
  const ascii =
    safe
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\/;%]/g, '')
      .trim() || 'document';
  const encoded = encodeURIComponent(safe).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
