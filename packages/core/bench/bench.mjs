// Benchmarks @myoseg/core on 512×512 inputs against naive implementations run in the same process, and against
// scipy (bench/scipy_baseline.py) when /usr/bin/python3 has scipy. Prints medians and ratios (ours / baseline).
// Usage: npm run bench -w @myoseg/core [-- --json]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import ndarray from 'ndarray';
import {
  dice,
  distanceTransform,
  gaussianBlur,
  gaussianKernel2d,
  hausdorffDistance,
  largestConnectedComponent,
} from '../dist/index.js';

const N = 512;
const json = process.argv.includes('--json');

function medianMs(fn, repeats) {
  fn();
  const times = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}

const image = ndarray(new Float32Array(N * N), [N, N]);
const a = ndarray(new Uint8Array(N * N), [N, N]);
const b = ndarray(new Uint8Array(N * N), [N, N]);
for (let y = 0; y < N; y++)
  for (let x = 0; x < N; x++) {
    image.set(y, x, (Math.sin(y / 7) + Math.cos(x / 5)) * 50);
    a.set(y, x, ((y - N * 0.5) / (N * 0.3)) ** 2 + ((x - N * 0.5) / (N * 0.25)) ** 2 < 1 ? 1 : 0);
    b.set(y, x, ((y - N * 0.52) / (N * 0.28)) ** 2 + ((x - N * 0.47) / (N * 0.27)) ** 2 < 1 ? 1 : 0);
  }

// Naive baselines: what one writes without thinking about it.
function naiveBlur(img, sigma) {
  const k = gaussianKernel2d(sigma);
  const r = (k.shape[0] - 1) / 2;
  const out = new Float32Array(N * N);
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      let acc = 0;
      for (let dy = -r; dy <= r; dy++)
        for (let dx = -r; dx <= r; dx++) {
          let sy = y + dy;
          let sx = x + dx;
          sy = sy < 0 ? -sy - 1 : sy >= N ? 2 * N - sy - 1 : sy;
          sx = sx < 0 ? -sx - 1 : sx >= N ? 2 * N - sx - 1 : sx;
          acc += k.get(dy + r, dx + r) * img.get(sy, sx);
        }
      out[y * N + x] = acc;
    }
  return out;
}
function surfacePoints(m) {
  const pts = [];
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      if (!m.get(y, x)) continue;
      const edge =
        y === 0 ||
        x === 0 ||
        y === N - 1 ||
        x === N - 1 ||
        !m.get(y - 1, x) ||
        !m.get(y + 1, x) ||
        !m.get(y, x - 1) ||
        !m.get(y, x + 1);
      if (edge) pts.push([y * 1.2, x * 1.2]);
    }
  return pts;
}
function naiveHd95(m1, m2) {
  const p = surfacePoints(m1);
  const q = surfacePoints(m2);
  const directed = (from, to) =>
    from.map(([y, x]) => Math.min(...to.map(([v, u]) => Math.hypot(y - v, x - u))));
  const all = [...directed(p, q), ...directed(q, p)].sort((s, t) => s - t);
  const pos = 0.95 * (all.length - 1);
  const lo = Math.floor(pos);
  return all[lo] + (all[Math.min(lo + 1, all.length - 1)] - all[lo]) * (pos - lo);
}
function naiveDice(m1, m2) {
  let i = 0;
  let s = 0;
  for (let y = 0; y < N; y++)
    for (let x = 0; x < N; x++) {
      const u = m1.get(y, x) ? 1 : 0;
      const v = m2.get(y, x) ? 1 : 0;
      i += u & v;
      s += u + v;
    }
  return (2 * i) / s;
}
function naiveLcc(m) {
  const seen = new Uint8Array(N * N);
  let best = [];
  for (let start = 0; start < N * N; start++) {
    if (seen[start] || !m.data[start]) continue;
    const comp = [];
    const stack = [start];
    seen[start] = 1;
    while (stack.length) {
      const i = stack.pop();
      comp.push(i);
      const y = Math.floor(i / N);
      const x = i % N;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) {
          const ny = y + dy;
          const nx = x + dx;
          if (ny < 0 || nx < 0 || ny >= N || nx >= N) continue;
          const j = ny * N + nx;
          if (!seen[j] && m.data[j]) {
            seen[j] = 1;
            stack.push(j);
          }
        }
    }
    if (comp.length > best.length) best = comp;
  }
  return best.length;
}

const union = ndarray(
  a.data.map((v, i) => v | b.data[i]),
  [N, N],
);
const rows = [
  {
    name: 'gaussianBlur σ=2',
    ours: medianMs(() => gaussianBlur(image, 2), 20),
    naive: medianMs(() => naiveBlur(image, 2), 2),
    scipyKey: 'gaussianBlur',
  },
  {
    name: 'hausdorffDistance HD95',
    ours: medianMs(() => hausdorffDistance(a, b, { percentile: 95, spacing: [1.2, 1.2] }), 10),
    naive: medianMs(() => naiveHd95(a, b), 1),
    scipyKey: 'hausdorffDistance',
  },
  {
    name: 'distanceTransform',
    ours: medianMs(() => distanceTransform(a, { spacing: [1.2, 1.2] }), 10),
    naive: null,
    scipyKey: 'distanceTransform',
  },
  {
    name: 'dice',
    ours: medianMs(() => dice(a, b), 20),
    naive: medianMs(() => naiveDice(a, b), 5),
    scipyKey: 'dice',
  },
  {
    name: 'largestConnectedComponent',
    ours: medianMs(() => largestConnectedComponent(union), 10),
    naive: medianMs(() => naiveLcc(union), 3),
    scipyKey: 'largestConnectedComponent',
  },
];

let scipy = null;
try {
  const script = fileURLToPath(new URL('./scipy_baseline.py', import.meta.url));
  scipy = JSON.parse(
    execFileSync('/usr/bin/python3', [script, String(N)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
} catch {
  scipy = null;
}

const out = rows.map((r) => ({
  name: `${r.name} ${N}x${N}`,
  ours_ms: +r.ours.toFixed(3),
  naive_ms: r.naive === null ? null : +r.naive.toFixed(3),
  speedup_vs_naive: r.naive === null ? null : +(r.naive / r.ours).toFixed(1),
  scipy_ms: scipy ? +scipy[r.scipyKey].toFixed(3) : null,
  ratio_vs_scipy: scipy ? +(r.ours / scipy[r.scipyKey]).toFixed(2) : null,
}));
if (json) console.log(JSON.stringify(out));
else {
  console.table(out);
  if (!scipy)
    console.log(
      'scipy baseline skipped: /usr/bin/python3 with scipy not found (apt-get install python3-scipy)',
    );
  console.log(
    'ratio_vs_scipy = ours / scipy (lower is better; target ≤ 2 for gaussianBlur and the distance transform)',
  );
}
