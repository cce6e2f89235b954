// Helpers for the report tests only (not exported from the package).
import { crc32, inflateSync } from 'node:zlib';
import { seededRandom } from '@myoseg/core';
import ndarray, { type NdArray } from 'ndarray';
import { overlayPng } from './overlay';
import { ReportFormatError } from './read-run-report';
import type { RunReport } from './run-report-schema';

/** A decoded PNG chunk. */
export interface PngChunk {
  type: string;
  data: Uint8Array;
  crcOk: boolean;
}

/** Splits a PNG file into chunks after checking its signature; CRCs are checked with node:zlib's crc32. */
export function pngChunks(png: Uint8Array): PngChunk[] {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => png[i] === b)) throw new Error('not a PNG signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const chunks: PngChunk[] = [];
  for (let p = 8; p < png.length; ) {
    const length = view.getUint32(p);
    const type = String.fromCharCode(...png.subarray(p + 4, p + 8));
    const data = png.subarray(p + 8, p + 8 + length);
    const crcOk = crc32(png.subarray(p + 4, p + 8 + length)) === view.getUint32(p + 8 + length);
    chunks.push({ type, data, crcOk });
    p += 12 + length;
  }
  return chunks;
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (all five filter types) with node:zlib. */
export function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array } {
  const chunks = pngChunks(png);
  const ihdr = new DataView(chunks[0].data.buffer, chunks[0].data.byteOffset, 13);
  const width = ihdr.getUint32(0);
  const height = ihdr.getUint32(4);
  const idat = Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data));
  const raw = inflateSync(idat);
  const stride = width * 4;
  const rgba = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i];
      const a = i >= 4 ? rgba[y * stride + i - 4] : 0;
      const b = y > 0 ? rgba[(y - 1) * stride + i] : 0;
      const c = i >= 4 && y > 0 ? rgba[(y - 1) * stride + i - 4] : 0;
      const p = a + b - c;
      const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
      const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      if (predictor === undefined) throw new Error(`bad filter ${filter} on row ${y}`);
      rgba[y * stride + i] = (x + predictor) & 0xff;
    }
  }
  return { width, height, rgba };
}

/** A `[H, W]` mask from a predicate on (y, x). */
export function maskOf(h: number, w: number, inside: (y: number, x: number) => boolean): NdArray<Uint8Array> {
  const m = ndarray(new Uint8Array(h * w), [h, w]);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m.set(y, x, inside(y, x) ? 1 : 0);
  return m;
}

/** A small synthetic short-axis slice: a bright ring on noise, with its ring mask and a shifted prediction. */
export function sampleSlice(seed: number, shift = 1) {
  const random = seededRandom(seed);
  const n = 48;
  const ring = (y: number, x: number, dx = 0) => {
    const r = Math.hypot(y - 24, x - 24 - dx);
    return r > 9 && r < 15;
  };
  const image = ndarray(new Float32Array(n * n), [n, n]);
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++)
      image.set(y, x, (ring(y, x) ? 300 : Math.hypot(y - 24, x - 24) < 9 ? 420 : 120) + random() * 80);
  return {
    image,
    truth: maskOf(n, n, (y, x) => ring(y, x)),
    prediction: maskOf(n, n, (y, x) => ring(y, x, shift)),
  };
}

let sample: RunReport | undefined;

/** A full sample report (a fresh copy each call), with hostile text in a few places to check escaping. */
export function sampleRunReport(): RunReport {
  sample ??= makeSampleRunReport();
  return structuredClone(sample);
}

function makeSampleRunReport(): RunReport {
  const random = seededRandom(7);
  const png = (seed: number, shift: number) => {
    const { image, truth, prediction } = sampleSlice(seed, shift);
    const bytes = overlayPng(
      image,
      [
        { mask: prediction, color: [230, 80, 40], opacity: 0.35 },
        { mask: truth, color: [40, 220, 120], opacity: 0, outline: true },
      ],
      { scale: 4 },
    );
    return Buffer.from(bytes).toString('base64');
  };
  const groups = ['NOR', 'MINF', 'DCM', 'HCM', 'RV'];
  const paper = [
    [0.889, 0.139, 0.97],
    [0.894, 0.148, 0.973],
    [0.938, 0.824, 0.982],
    [0.948, 0.825, 0.984],
    [0.955, 0.828, 0.986],
  ];
  const labels = [
    'no localization, all labels',
    'no localization, myocardium label only',
    'localization, standardized size',
    'localization, original size',
    'localization, original size + Gaussian blur',
  ];
  const table1 = labels.map((label, i) => ({
    label,
    dice: { mean: paper[i][0] - 0.02 + i * 0.003, min: paper[i][1] + 0.1, max: paper[i][2] - 0.005 },
    paper: { mean: paper[i][0], min: paper[i][1], max: paper[i][2] },
    hd95Mm: { median: 4 - i * 0.5, mean: 5 - i * 0.5, infinite: i < 2 ? 2 - i : 0 },
    perGroup: Object.fromEntries(groups.map((g, j) => [g, { mean: 0.85 + i * 0.02 + j * 0.005, n: 12 + j }])),
  }));
  const epochs = (n: number, start: number) =>
    Array.from({ length: n }, (_, e) => ({
      epoch: e + 1,
      loss: start * Math.exp(-e / 4) + 0.05 + random() * 0.02,
      valLoss: start * Math.exp(-e / 5) + 0.08 + random() * 0.03,
      valDice: Math.min(1, 0.5 + 0.45 * (1 - Math.exp(-e / 3)) + random() * 0.01),
    }));
  return {
    title: 'myoseg demo: quick preset on the synthetic twin',
    createdAt: '2025-01-02T03:04:05.000Z',
    preset: {
      name: 'quick',
      settings: { localizerSize: 96, segmenterSize: 48, epochs: 6, encoder: 'resnet-mini', frame: 0.15 },
    },
    summary: { patients: 30, 'held-out patients': 6, seed: 1, backend: 'wasm' },
    table1,
    diceDistribution: {
      approach: labels[4],
      groups: Object.fromEntries(
        groups.map((g, j) => [
          g,
          Array.from({ length: 12 + j }, () => Math.min(1, 0.86 + j * 0.01 + random() * 0.1)),
        ]),
      ),
    },
    sigma: {
      slope: 0.006,
      intercept: 0.05,
      range: [0, 1],
      points: Array.from({ length: 40 }, () => {
        const width = 40 + random() * 100;
        return {
          width,
          sigma: Math.min(
            1,
            Math.max(0, Math.round((0.006 * width + 0.05 + (random() - 0.5) * 0.3) * 10) / 10),
          ),
        };
      }),
    },
    training: [
      { name: 'localizer', epochs: epochs(8, 0.6) },
      { name: 'segmenter', epochs: epochs(10, 0.8) },
    ],
    slices: [
      {
        title: 'best',
        patientId: 'patient012',
        group: 'NOR',
        dice: 0.981,
        pngBase64: png(1, 0),
        caption: 'ED, slice 4',
      },
      { title: 'median', patientId: 'patient027', group: 'DCM', dice: 0.944, pngBase64: png(2, 1) },
      {
        title: 'worst',
        patientId: 'patient<script>alert(1)</script>',
        group: 'HCM',
        dice: 0.71,
        pngBase64: png(3, 3),
      },
    ],
    timings: {
      synthesize: 1800,
      'train localizer': 152_000,
      'train segmenter': 98_000,
      'fit σ': 4200,
      evaluate: 31_000,
      'inference per slice': 42,
    },
    notes: [
      'Synthetic twin, not ACDC: numbers are not comparable one to one with the paper & its cohort.',
      'Dice <1> "quoted"',
    ],
  };
}

/** The field that the {@link ReportFormatError} thrown by `read` names; its message must start with `source: `. */
export function refusedField(read: () => unknown, source: string): string {
  try {
    read();
  } catch (error) {
    if (error instanceof ReportFormatError && error.message.startsWith(`${source}: `)) return error.field;
    throw error;
  }
  throw new Error('expected a ReportFormatError');
}
