// The part of the protobuf wire format that ONNX files need: varints, fixed32 floats and length-delimited
// fields (https://protobuf.dev/programming-guides/encoding/). Large byte arrays (weights) are kept by reference
// and copied once, into the final buffer.

const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;
const WIRE_FIXED32 = 5;

/**
 * Writes one protobuf message, field by field, in the order of the calls. Nested messages are written by a
 * child writer ({@link ProtoWriter.message}), whose parts are appended without copying.
 */
export class ProtoWriter {
  private readonly parts: Uint8Array[] = [];
  private pending: number[] = [];
  private size = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.size + this.pending.length;
  }

  /** A varint field (`int32`, `int64`, enums); negative values take ten bytes, as protobuf's int64 does. */
  varint(field: number, value: number): this {
    this.tag(field, WIRE_VARINT);
    this.rawVarint(value);
    return this;
  }

  /** A `float` field: four little-endian bytes. */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    this.pending.push(...bytes);
    return this;
  }

  /** A `string` field, UTF-8. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** A `bytes` field; `value` is referenced, not copied, until {@link ProtoWriter.finish}. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(value.length);
    this.flush();
    this.parts.push(value);
    this.size += value.length;
    return this;
  }

  /** A nested message, written by `write` into a child writer. */
  message(field: number, write: (w: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    write(child);
    child.flush();
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.rawVarint(child.size);
    this.flush();
    this.parts.push(...child.parts);
    this.size += child.size;
    return this;
  }

  /** The message's bytes, in one new buffer. */
  finish(): Uint8Array {
    this.flush();
    const out = new Uint8Array(this.size);
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(field * 8 + wireType);
  }

  private rawVarint(value: number): void {
    if (!Number.isSafeInteger(value)) throw new RangeError(`protobuf varint: ${value} is not a safe integer`);
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.pending.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.pending.push(Number(v));
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.parts.push(Uint8Array.from(this.pending));
    this.size += this.pending.length;
    this.pending = [];
  }
}
