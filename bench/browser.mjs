// `npm run bench -- --browser`: the pipeline's time per slice in headless Chromium, in the browser example's Web
// Worker on onnxruntime-web (wasm on 1 thread, wasm on 2 threads, WebGPU on SwiftShader), against onnxruntime-node
// in this process on the same model and study, in the same run. Model: @myoseg/pretrained; study: one 10-slice
// 256² twin stack (as the pretrained-study cell), repeated as the frames of a cine: frame 0 warms up (sessions,
// shaders), frames 1… are timed, each as the worker measures `segmentVolume`. SwiftShader is WebGPU on the CPU, so
// every figure here is a CPU figure.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesizePatient, writeNifti } from '@myoseg/datasets';
import { loadPipelineFolder } from '@myoseg/node';
import { pretrainedModelDir } from '@myoseg/pretrained/node';
import ndarray from 'ndarray';
import { CHROMIUM, launchChromium } from '../examples/browser/test/chromium.mjs';
import { serve } from '../examples/browser/test/static-server.mjs';
import { formatTable } from './lib/report.mjs';
import { median, ratio, round } from './lib/stats.mjs';

const EXAMPLE = fileURLToPath(new URL('../examples/browser/', import.meta.url));

/** The browser runs: a name and the page's query. */
const CONFIGS = [
  ['wasm, 1 thread', 'runtime=wasm&threads=1'],
  ['wasm, 2 threads', 'runtime=wasm&threads=2'],
  ['webgpu (SwiftShader)', 'runtime=webgpu'],
];

/** The study: a 10-slice 256² ED stack of an unseen twin patient, as a cine of `frames` copies. */
function benchCine(frames) {
  const patient = synthesizePatient(0, {
    patients: 1,
    seed: 31,
    params: { sliceCount: [10, 10], imageSizes: [[256, 256]] },
  });
  const { image } = patient.frames.ED;
  const data = new Int16Array(frames * image.data.length);
  for (let t = 0; t < frames; t++) data.set(image.data, t * image.data.length);
  return {
    stack: ndarray(Float32Array.from(image.data), image.shape),
    spacing: patient.spacing,
    bytes: writeNifti(ndarray(data, [frames, ...image.shape]), {
      spacing: [25, ...patient.spacing],
      level: 1,
    }),
  };
}

/** ms per slice of onnxruntime-node on `stack` (after one warm-up), `runs` times. */
async function nodeRuns(stack, spacing, runs, threads) {
  const folder = await loadPipelineFolder(pretrainedModelDir(), {
    runtime: 'onnxruntime',
    intraOpNumThreads: threads,
  });
  const out = [];
  try {
    for (let r = 0; r <= runs; r++) {
      const t0 = performance.now();
      await folder.pipeline.segmentVolume(stack, { spacing });
      if (r > 0) out.push((performance.now() - t0) / stack.shape[0]);
    }
  } finally {
    folder.dispose();
  }
  return out;
}

/** The worker's time for the frame shown, in ms, from the page's Time row; waits for the frame to be done. */
async function frameMs(page) {
  await page.waitForFunction(
    () =>
      document.querySelector('#segment-result')?.getAttribute('aria-busy') === 'false' &&
      /ms for the frame/.test(document.querySelector('#segment-result')?.textContent ?? ''),
    null,
    { timeout: 600_000 },
  );
  const text = await page.$eval('#segment-result', (dl) => dl.textContent);
  return Number(/(\d+) ms for the frame/.exec(text)[1]);
}

/** ms per slice in the page on `query`, frames 1… of the cine; the runtime line the page showed. */
async function browserRuns(context, base, query, cineFile, frames, slices) {
  const page = await context.newPage();
  try {
    await page.goto(`${base}?${query}&model=${base}model/`);
    await page.waitForSelector('#runtime[data-runtime]', { state: 'attached', timeout: 120_000 });
    const runtime = await page.$eval('#runtime', (o) => o.value);
    await page.setInputFiles('#file-input', cineFile);
    await frameMs(page); // frame 0: warm-up
    const out = [];
    for (let t = 1; t < frames; t++) {
      await page.selectOption('#segment-frame', String(t));
      await page.waitForFunction(
        (frame) => document.querySelector('#segment-frame')?.value === frame,
        String(t),
      );
      out.push((await frameMs(page)) / slices);
    }
    return { runtime, runs: out };
  } finally {
    await page.close();
  }
}

/**
 * Runs the browser bench; `say` gets progress lines.
 *
 * @returns one record per path: `{ name, path, ms_per_slice, runs_ms, ratio }` (ratio against onnxruntime-node),
 *   or `{ error }` when Chromium or the built page is missing.
 */
export async function benchBrowser({ runs, threads = availableParallelism(), say = () => {} }) {
  if (!existsSync(CHROMIUM)) return { error: `no Chromium at ${CHROMIUM} (apt-get install -y chromium)` };
  say('… vite build of examples/browser');
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: EXAMPLE, stdio: 'inherit' });
  const frames = runs + 1;
  const { stack, spacing, bytes } = benchCine(frames);
  const work = await mkdtemp(join(tmpdir(), 'myoseg-bench-browser-'));
  const cineFile = join(work, 'bench-cine.nii.gz');
  await writeFile(cineFile, bytes);
  const server = await serve({ '/': join(EXAMPLE, 'dist'), '/model/': pretrainedModelDir() });
  const context = await launchChromium(join(work, 'profile'));
  const node = [];
  const records = [];
  try {
    // Node before and after each browser path, so that load on the machine hits both
    for (const [name, query] of CONFIGS) {
      say(`… onnxruntime-node, ${threads} threads`);
      node.push(...(await nodeRuns(stack, spacing, runs, threads)));
      say(`… Chromium: ${name}`);
      const page = await browserRuns(context, server.url, query, cineFile, frames, stack.shape[0]);
      records.push({
        name: 'browser pipeline per slice',
        path: name,
        runtime: page.runtime,
        runs: page.runs,
      });
    }
    node.push(...(await nodeRuns(stack, spacing, runs, threads)));
  } finally {
    await context.close();
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
  const nodeMs = median(node);
  return {
    node: {
      path: `onnxruntime-node, ${threads} threads`,
      ms_per_slice: round(nodeMs, 4),
      runs_ms: node.map((r) => round(r, 4)),
    },
    records: records.map((r) => ({
      name: r.name,
      path: r.path,
      runtime: r.runtime,
      ms_per_slice: round(median(r.runs), 4),
      runs_ms: r.runs.map((x) => round(x, 4)),
      ratio: round(ratio(median(r.runs), nodeMs)),
    })),
  };
}

/** The report of {@link benchBrowser}: a table, or with `json` the records (onnxruntime-node's last). */
export function browserReport(result, json) {
  if (result.error) return `${JSON.stringify(result)}\n`;
  if (json)
    return `${JSON.stringify([...result.records, { name: 'node pipeline per slice', ...result.node }], null, 1)}\n`;
  const runsText = (runs) => runs.map((x) => x.toFixed(0)).join(' ');
  const rows = [
    ['path', 'runtime (as the page reports it)', 'ms per slice', 'runs', '/ onnxruntime-node'],
    [result.node.path, '—', result.node.ms_per_slice.toFixed(1), runsText(result.node.runs_ms), '1.00'],
    ...result.records.map((r) => [
      `Chromium, ${r.path}`,
      r.runtime,
      r.ms_per_slice.toFixed(1),
      runsText(r.runs_ms),
      r.ratio.toFixed(2),
    ]),
  ];
  return (
    "@myoseg/pretrained on one 10-slice 256² study per frame (segmentVolume), in the browser example's worker. " +
    `CPU figures: SwiftShader is WebGPU on the CPU.\n${formatTable(rows)}\n`
  );
}
