/**
 * A DICOM UID under the `2.25` root (an integer of 128 bits, ISO/IEC 9834-8) derived from `input`: the same input
 * always gives the same UID, different inputs practically never the same one. Not a cryptographic hash.
 *
 * @param input - what identifies the object: text (its source series, creation time…) or bytes (its content).
 * @returns a UID of at most 44 characters.
 */
export function uidFrom(input: string | Uint8Array): string {
  const code = typeof input === 'string' ? (i: number) => input.charCodeAt(i) : (i: number) => input[i];
  // four 32-bit lanes of a multiply-xorshift hash (cyrb128), mixed after the last character
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < input.length; i++) {
    const k = code(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  const value = [h1, h2, h3, h4].reduce((acc, h) => (acc << 32n) | BigInt(h >>> 0), 0n);
  return `2.25.${value === 0n ? 1n : value}`;
}
