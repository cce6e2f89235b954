// Reads the protobuf wire format (https://protobuf.dev/programming-guides/encoding/) field by field: the inverse of
// ProtoWriter, for the messages an ONNX file holds. Byte fields are views into the input, not copies.

/** One field of a message: a varint's value, or the bytes of a length-delimited or fixed-width field. */
export type ProtoField =
  | { field: number; wire: 'varint'; value: bigint }
  | { field: number; wire: 'bytes' | 'fixed32' | 'fixed64'; bytes: Uint8Array };

function readVarint(bytes: Uint8Array, at: { i: number }): bigint {
  let value = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    if (at.i >= bytes.length) throw new RangeError('protobuf: truncated varint');
    const b = bytes[at.i++];
    value |= BigInt(b & 0x7f) << shift;
    if (b < 0x80) return BigInt.asUintN(64, value);
  }
  throw new RangeError('protobuf: varint longer than ten bytes');
}

function take(bytes: Uint8Array, at: { i: number }, n: number): Uint8Array {
  if (at.i + n > bytes.length) throw new RangeError('protobuf: field runs past the end of its message');
  const out = bytes.subarray(at.i, at.i + n);
  at.i += n;
  return out;
}

/**
 * The fields of one message, in the order they are stored.
 *
 * @throws RangeError on a truncated message or a wire type protobuf no longer uses (groups).
 */
export function* protoFields(bytes: Uint8Array): Generator<ProtoField> {
  const at = { i: 0 };
  while (at.i < bytes.length) {
    const tag = readVarint(bytes, at);
    const field = Number(tag >> 3n);
    const wire = Number(tag & 7n);
    if (wire === 0) yield { field, wire: 'varint', value: readVarint(bytes, at) };
    else if (wire === 2)
      yield { field, wire: 'bytes', bytes: take(bytes, at, Number(readVarint(bytes, at))) };
    else if (wire === 5) yield { field, wire: 'fixed32', bytes: take(bytes, at, 4) };
    else if (wire === 1) yield { field, wire: 'fixed64', bytes: take(bytes, at, 8) };
    else throw new RangeError(`protobuf: field ${field} has wire type ${wire}, which is not read here`);
  }
}

/** A varint field's value as a signed 64-bit number (int64 fields store negatives in ten bytes). */
export function int64Of(f: ProtoField): number {
  if (f.wire !== 'varint') throw new RangeError(`protobuf: field ${f.field} is not a varint`);
  return Number(BigInt.asIntN(64, f.value));
}

/** A length-delimited field's bytes. */
export function bytesOf(f: ProtoField): Uint8Array {
  if (f.wire !== 'bytes') throw new RangeError(`protobuf: field ${f.field} is not length-delimited`);
  return f.bytes;
}

/** A length-delimited field as UTF-8 text. */
export function stringOf(f: ProtoField): string {
  return new TextDecoder().decode(bytesOf(f));
}

/** A repeated int64 field's values from one occurrence: one unpacked varint, or a packed run of them. */
export function int64sOf(f: ProtoField): number[] {
  if (f.wire === 'varint') return [int64Of(f)];
  const values: number[] = [];
  const bytes = bytesOf(f);
  const at = { i: 0 };
  while (at.i < bytes.length) values.push(Number(BigInt.asIntN(64, readVarint(bytes, at))));
  return values;
}
