/**
 * A small DICOM Part 10 encoder for tests: a 128-byte preamble, "DICM", the group 0002 file
 * meta information, then a data set in explicit VR little endian with the study's headers
 * and a few bytes of pixel data.
 */
export interface DicomImage {
  modality: string;
  studyDate: string; // YYYYMMDD
  studyDescription: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  /** Pixel bytes; 16 by default. */
  pixels?: Buffer;
}

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const LONG_LENGTH_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function element(group: number, elementNo: number, vr: string, value: Buffer | string): Buffer {
  let bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  if (bytes.length % 2 === 1) {
    bytes = Buffer.concat([bytes, Buffer.from(vr === 'UI' || vr === 'OB' ? [0] : [0x20])]);
  }
  const long = LONG_LENGTH_VRS.has(vr);
  const header = Buffer.alloc(long ? 12 : 8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(elementNo, 2);
  header.write(vr, 4, 'latin1');
  if (long) header.writeUInt32LE(bytes.length, 8);
  else header.writeUInt16LE(bytes.length, 6);
  return Buffer.concat([header, bytes]);
}

const us = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

export function encodeDicom(image: DicomImage): Buffer {
  const meta = Buffer.concat([
    element(0x0002, 0x0001, 'OB', Buffer.from([0, 1])),
    element(0x0002, 0x0002, 'UI', SECONDARY_CAPTURE),
    element(0x0002, 0x0003, 'UI', image.sopInstanceUid),
    element(0x0002, 0x0010, 'UI', EXPLICIT_VR_LITTLE_ENDIAN),
    element(0x0002, 0x0012, 'UI', '1.2.826.0.1.3680043.10.1'),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(meta.length);
  const pixels = image.pixels ?? Buffer.alloc(16, 0x7f);
  const dataSet = Buffer.concat([
    element(0x0008, 0x0016, 'UI', SECONDARY_CAPTURE),
    element(0x0008, 0x0018, 'UI', image.sopInstanceUid),
    element(0x0008, 0x0020, 'DA', image.studyDate),
    element(0x0008, 0x0060, 'CS', image.modality),
    element(0x0008, 0x1030, 'LO', image.studyDescription),
    element(0x0010, 0x0010, 'PN', 'TEST^PATIENT'),
    element(0x0020, 0x000d, 'UI', image.studyInstanceUid),
    element(0x0020, 0x000e, 'UI', image.seriesInstanceUid),
    element(0x0028, 0x0010, 'US', us(4)),
    element(0x0028, 0x0011, 'US', us(pixels.length / 4)),
    element(0x0028, 0x0100, 'US', us(8)),
    element(0x7fe0, 0x0010, 'OB', pixels),
  ]);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'latin1'),
    element(0x0002, 0x0000, 'UL', groupLength),
    meta,
    dataSet,
  ]);
}

/** A study: `series` series of `imagesPerSeries` images each, all with the same headers. */
export function dicomStudy(options: {
  modality: string;
  studyDate: string;
  studyDescription: string;
  series: number;
  imagesPerSeries: number;
}): { name: string; bytes: Buffer }[] {
  const study = `1.2.826.0.1.3680043.10.2.${Date.now() % 100000}`;
  const files: { name: string; bytes: Buffer }[] = [];
  for (let s = 1; s <= options.series; s += 1) {
    for (let i = 1; i <= options.imagesPerSeries; i += 1) {
      files.push({
        name: `STUDY/SERIES${s}/IMG${String(i).padStart(4, '0')}.dcm`,
        bytes: encodeDicom({
          ...options,
          studyInstanceUid: study,
          seriesInstanceUid: `${study}.${s}`,
          sopInstanceUid: `${study}.${s}.${i}`,
        }),
      });
    }
  }
  return files;
}
