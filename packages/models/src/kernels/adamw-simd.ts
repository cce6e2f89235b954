/**
 * AdamW's update as a 128-bit SIMD WebAssembly function that works in place in tfjs-backend-wasm's own memory
 * (it imports that memory), four weights per instruction: the JS loop spends ~6 ns per weight on float64 square
 * roots, this one is bound by memory. Written as bytes here (no toolchain; 292 bytes), checked by
 * `WebAssembly.validate` and by tests against the op-by-op formulas.
 */

/** `adamw(p, g, m, v, p2, m2, v2, n, keep, rate, mom, 1−mom, β2, 1−β2, 1/debias2, eps)`: byte offsets, `n % 4 = 0`. */
export type SimdAdamW = (
  p: number,
  g: number,
  m: number,
  v: number,
  p2: number,
  m2: number,
  v2: number,
  n: number,
  keep: number,
  rate: number,
  mom: number,
  oneMinusMom: number,
  beta2: number,
  oneMinusBeta2: number,
  inverseDebias2: number,
  eps: number,
) => void;

const SIMD = 0xfd;
const get = (i: number) => [0x20, i];
const set = (i: number) => [0x21, i];
const i32 = { const: (n: number) => [0x41, n], add: [0x6a], shl: [0x74], geU: [0x4f] };
const v128 = { load: [SIMD, 0x00, 0x02, 0x00], store: [SIMD, 0x0b, 0x02, 0x00] }; // align 2^2, offset 0
const f32x4 = {
  splat: [SIMD, 0x13],
  sqrt: [SIMD, 0xe3, 0x01],
  add: [SIMD, 0xe4, 0x01],
  sub: [SIMD, 0xe5, 0x01],
  mul: [SIMD, 0xe6, 0x01],
  div: [SIMD, 0xe7, 0x01],
};
const control = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  brIf: (depth: number) => [0x0d, depth],
  br: (depth: number) => [0x0c, depth],
  end: [0x0b],
};

// parameters 0-6: byte offsets p, g, m, v, p2, m2, v2; 7: n; 8-15: keep, rate, mom, om, b2, ob, inv2, eps (f32)
// locals 16: i (bytes), 17: end (bytes), 18-25: the f32 parameters splat, 26: g, 27: m2, 28: v2 (v128)
const [P, G, M, V, P2, M2, V2, N] = [0, 1, 2, 3, 4, 5, 6, 7];
const I = 16;
const END = 17;
const [KEEP, RATE, MOM, OM, B2, OB, INV2, EPS] = [18, 19, 20, 21, 22, 23, 24, 25]; // splat
const [GI, MI, VI] = [26, 27, 28];
/** The address of element `i` of the array at byte offset `pointer`. */
const at = (pointer: number) => [...get(pointer), ...get(I), ...i32.add];
const load = (pointer: number) => [...at(pointer), ...v128.load];

const body = [
  ...[0, 1, 2, 3, 4, 5, 6, 7].flatMap((k) => [...get(8 + k), ...f32x4.splat, ...set(KEEP + k)]),
  ...[...get(N), ...i32.const(2), ...i32.shl, ...set(END)], // end = 4·n
  ...control.block,
  ...control.loop,
  ...[...get(I), ...get(END), ...i32.geU, ...control.brIf(1)],
  ...[...load(G), ...set(GI)],
  // m2 = mom·m + om·g
  ...[...get(MOM), ...load(M), ...f32x4.mul, ...get(OM), ...get(GI), ...f32x4.mul, ...f32x4.add, ...set(MI)],
  // v2 = b2·v + ob·g·g
  ...[...get(B2), ...load(V), ...f32x4.mul, ...get(OB), ...get(GI), ...f32x4.mul, ...get(GI), ...f32x4.mul],
  ...[...f32x4.add, ...set(VI)],
  ...[...at(M2), ...get(MI), ...v128.store, ...at(V2), ...get(VI), ...v128.store],
  // p2 = p·keep − rate·m2 / (√(v2·inv2) + eps)
  ...[...at(P2), ...load(P), ...get(KEEP), ...f32x4.mul, ...get(RATE), ...get(MI), ...f32x4.mul],
  ...[...get(VI), ...get(INV2), ...f32x4.mul, ...f32x4.sqrt, ...get(EPS), ...f32x4.add],
  ...[...f32x4.div, ...f32x4.sub, ...v128.store],
  ...[...get(I), ...i32.const(16), ...i32.add, ...set(I)],
  ...control.br(0),
  ...control.end, // loop
  ...control.end, // block
  ...control.end, // function
];

const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
/** Unsigned LEB128. */
function leb(n: number): number[] {
  const out: number[] = [];
  let rest = n;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    out.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return out;
}
const section = (id: number, content: number[]) => [id, ...leb(content.length), ...content];

function moduleBytes(shared: boolean): Uint8Array {
  const locals = [2, 2, 0x7f, 11, 0x7b]; // 2 i32, 11 v128
  const code = [...leb(locals.length + body.length), ...locals, ...body];
  // shared memories must declare a maximum: the wasm32 limit (65536 pages)
  const limits = shared ? [0x03, 0x00, ...leb(65536)] : [0x00, 0x00];
  return Uint8Array.from([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...section(1, [1, 0x60, 16, ...Array(8).fill(0x7f), ...Array(8).fill(0x7d), 0]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, ...limits]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('adamw'), 0x00, 0]),
    ...section(10, [1, ...code]),
  ]);
}

/** A WebAssembly memory: the part of it used here (the package's lib is ES2022, without DOM's types). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
}

/** The WebAssembly API calls used here. */
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

const instances = new WeakMap<WasmMemory, SimdAdamW | null>();

/**
 * The SIMD AdamW working in `memory` (tfjs-backend-wasm's), or null where WebAssembly SIMD or the memory's import
 * fails (the caller then loops in JS).
 */
export function simdAdamW(memory: WasmMemory): SimdAdamW | null {
  if (instances.has(memory)) return instances.get(memory) ?? null;
  let fn: SimdAdamW | null = null;
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const bytes = moduleBytes(shared);
    if (wasm?.validate(bytes)) {
      const instance = new wasm.Instance(new wasm.Module(bytes), { env: { memory } });
      fn = instance.exports.adamw as SimdAdamW;
    }
  } catch {
    fn = null;
  }
  instances.set(memory, fn);
  return fn;
}
