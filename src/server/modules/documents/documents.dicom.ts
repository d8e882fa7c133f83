import dicomParser from 'dicom-parser';
import type { StudySummary } from './documents.schema';

/** Headers are read from at most this many bytes of each DICOM file (they come first). */
export const DICOM_PREFIX_BYTES = 512 * 1024;
const PIXEL_DATA = 'x7fe00010';

/** A DICOM Part 10 file: a 128-byte preamble, then "DICM". */
export function isDicom(prefix: Uint8Array): boolean {
  return (
    prefix.length >= 132 && Buffer.from(prefix.subarray(128, 132)).toString('latin1') === 'DICM'
  );
}

/**
 * Gathers an imaging study's summary from the headers of its DICOM files: modalities
 * (0008,0060), study date (0008,0020) and description (0008,1030), series (distinct
 * 0020,000E) and images (distinct 0008,0018). Parsing stops before the pixel data, and only
 * a bounded prefix of each file is ever given to it.
 */
export class StudyCollector {
  private readonly modalities = new Set<string>();
  private readonly series = new Set<string>();
  private readonly images = new Set<string>();
  private studyDate: string | null = null;
  private studyDescription: string | null = null;
  private files = 0;

  /** Reads one file's headers from its prefix; false when they cannot be read. */
  add(prefix: Uint8Array): boolean {
    const dataSet = parseHeaders(prefix);
    if (!dataSet) return false;
    this.files += 1;
    const text = (tag: string) => {
      const value = dataSet.string(tag)?.trim();
      return value === undefined || value === '' ? null : value;
    };
    const modality = text('x00080060');
    if (modality) this.modalities.add(modality);
    const series = text('x0020000e');
    if (series) this.series.add(series);
    const image = text('x00080018');
    if (image) this.images.add(image);
    this.studyDate ??= isoDate(text('x00080020'));
    this.studyDescription ??= text('x00081030');
    return true;
  }

  summary(): StudySummary | null {
    if (this.files === 0) return null;
    return {
      modalities: [...this.modalities].sort(),
      studyDate: this.studyDate,
      studyDescription: this.studyDescription,
      seriesCount: this.series.size,
      imageCount: this.images.size,
    };
  }
}

type DataSet = ReturnType<typeof dicomParser.parseDicom>;

function parseHeaders(prefix: Uint8Array): DataSet | null {
  try {
    return dicomParser.parseDicom(prefix, { untilTag: PIXEL_DATA });
  } catch (error) {
    // A prefix cut inside the data set: what was read before the cut is still good.
    const partial = (error as { dataSet?: DataSet } | null)?.dataSet;
    return partial ?? null;
  }
}

/** DICOM DA (YYYYMMDD) → YYYY-MM-DD; anything else → null. */
function isoDate(value: string | null): string | null {
  const match = value === null ? null : /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  return match ? `${match[1]}-${match[2]}-${match[3]}` : null;
}
