/**
 * A small DICOM Part 10 encoder, explicit VR little endian, for the objects myoseg writes (DICOM SEG). It knows
 * only the value representations those use; every element states its VR, so no data dictionary is needed.
 */

/** The value representations the encoder writes. */
export type Vr =
  | 'AT'
  | 'CS'
  | 'DA'
  | 'DS'
  | 'IS'
  | 'LO'
  | 'OB'
  | 'PN'
  | 'SH'
  | 'SQ'
  | 'ST'
  | 'TM'
  | 'UI'
  | 'UL'
  | 'US';

/** One data element: a tag as `0xGGGGEEEE`, its VR, and its value (sequence items are element lists). */
export type DicomElement =
  | { tag: number; vr: 'SQ'; value: readonly (readonly DicomElement[])[] }
  | { tag: number; vr: 'OB'; value: Uint8Array }
  | { tag: number; vr: 'US' | 'UL' | 'AT'; value: number | readonly number[] }
  | { tag: number; vr: Exclude<Vr, 'SQ' | 'OB' | 'US' | 'UL' | 'AT'>; value: string | readonly string[] };

/** VRs written with a 2-byte reserved field and a 4-byte length. */
const LONG = new Set<Vr>(['OB', 'SQ']);

/**
 * A decimal string of at most 16 characters (DS), as close to `x` as that allows.
 *
 * @throws RangeError for a value that is not finite.
 */
export function decimalString(x: number): string {
  if (!Number.isFinite(x)) throw new RangeError(`DS value must be finite, got ${x}`);
  for (let digits = 12; digits >= 1; digits--) {
    const s = String(Number(x.toPrecision(digits)));
    if (s.length <= 16) return s;
  }
  return x.toExponential(8);
}

const ascii = (s: string) => Uint8Array.from(s, (ch) => ch.charCodeAt(0) & 0xff);

function valueBytes(e: DicomElement): Uint8Array {
  switch (e.vr) {
    case 'SQ':
      return concat(
        e.value.flatMap((item) => {
          const body = encodeDataset(item);
          return [header(0xfffee000, null, body.length), body];
        }),
      );
    case 'OB':
      return e.value.length % 2 ? concat([e.value, new Uint8Array(1)]) : e.value;
    case 'US':
    case 'UL':
    case 'AT': {
      const values = typeof e.value === 'number' ? [e.value] : e.value;
      const size = e.vr === 'US' ? 2 : 4;
      const out = new DataView(new ArrayBuffer(values.length * size));
      values.forEach((v, i) => {
        if (e.vr === 'US') out.setUint16(i * 2, v, true);
        else if (e.vr === 'UL') out.setUint32(i * 4, v, true);
        else {
          out.setUint16(i * 4, v >>> 16, true);
          out.setUint16(i * 4 + 2, v & 0xffff, true);
        }
      });
      return new Uint8Array(out.buffer);
    }
    default: {
      const text = typeof e.value === 'string' ? e.value : e.value.join('\\');
      const bytes = ascii(text);
      if (bytes.length % 2 === 0) return bytes;
      return concat([bytes, Uint8Array.of(e.vr === 'UI' ? 0 : 0x20)]);
    }
  }
}

/** A tag (and VR) header; `vr` null for an item (tag, then a 4-byte length). */
function header(tag: number, vr: Vr | null, length: number): Uint8Array {
  const long = vr === null || LONG.has(vr);
  const view = new DataView(new ArrayBuffer(vr === null ? 8 : long ? 12 : 8));
  view.setUint16(0, tag >>> 16, true);
  view.setUint16(2, tag & 0xffff, true);
  if (vr === null) {
    view.setUint32(4, length, true);
  } else {
    view.setUint8(4, vr.charCodeAt(0));
    view.setUint8(5, vr.charCodeAt(1));
    if (long) view.setUint32(8, length, true);
    else {
      if (length > 0xffff)
        throw new RangeError(`a ${vr} value of ${length} bytes does not fit its 16-bit length`);
      view.setUint16(6, length, true);
    }
  }
  return new Uint8Array(view.buffer);
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Encodes a dataset (elements in any order; written in ascending tag order, as DICOM requires).
 *
 * @throws RangeError when a tag appears twice or a short-length value is over 64 KiB.
 */
export function encodeDataset(elements: readonly DicomElement[]): Uint8Array {
  const sorted = [...elements].sort((a, b) => a.tag - b.tag);
  sorted.forEach((e, i) => {
    if (i > 0 && sorted[i - 1].tag === e.tag)
      throw new RangeError(`tag ${e.tag.toString(16).padStart(8, '0')} appears twice`);
  });
  return concat(
    sorted.flatMap((e) => {
      const value = valueBytes(e);
      return [header(e.tag, e.vr, value.length), value];
    }),
  );
}

/**
 * A DICOM Part 10 file: 128-byte preamble, `DICM`, the file meta information (explicit VR little endian) and the
 * dataset in the same transfer syntax.
 *
 * @param sopClassUid - MediaStorageSOPClassUID (the dataset's SOPClassUID).
 * @param sopInstanceUid - MediaStorageSOPInstanceUID (the dataset's SOPInstanceUID).
 */
export function encodePart10(
  sopClassUid: string,
  sopInstanceUid: string,
  dataset: readonly DicomElement[],
  implementation: { classUid: string; versionName: string },
): Uint8Array {
  const metaBody = encodeDataset([
    { tag: 0x00020001, vr: 'OB', value: Uint8Array.of(0, 1) },
    { tag: 0x00020002, vr: 'UI', value: sopClassUid },
    { tag: 0x00020003, vr: 'UI', value: sopInstanceUid },
    { tag: 0x00020010, vr: 'UI', value: '1.2.840.10008.1.2.1' },
    { tag: 0x00020012, vr: 'UI', value: implementation.classUid },
    { tag: 0x00020013, vr: 'SH', value: implementation.versionName },
  ]);
  const groupLength = encodeDataset([{ tag: 0x00020000, vr: 'UL', value: metaBody.length }]);
  return concat([new Uint8Array(128), ascii('DICM'), groupLength, metaBody, encodeDataset(dataset)]);
}
