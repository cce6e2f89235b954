/** The float32 value of an IEEE 754 half-precision number given by its 16 bits. */
export function float16ToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The float32 value of a bfloat16 number given by its 16 bits (the high half of a float32). */
export function bfloat16ToFloat32(bits: number, scratch: DataView): number {
  scratch.setUint32(0, bits << 16, true);
  return scratch.getFloat32(0, true);
}
