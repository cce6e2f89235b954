// `npm run bench` (repo root): a full-width ResNet-34 U-Net (buildUNet, 41.2 M parameters) on this CPU, our paths
// against PyTorch in one run. Cells: inference and one AdamW train step (myoseg's dice + CE loss) at 64²×16 and
// 256²×4, ms per batch (min and median after warm-up; onnxruntime-node and PyTorch interleaved run by run, each
// cell's spread flagged above 20 %). Ours: onnxruntime-node (inference, and training through
// exportTrainingOnnx's graphs), tfjs-wasm with myoseg's kernels on one thread and data-parallel over worker threads
// (training). PyTorch: bench/baselines/unet_pytorch.py, the
// same architecture (checked: our weights loaded by name give our outputs), CPU, the same thread count. Also the
// machine's matmul peak, GFLOP/s per path, the two-step pipeline's ms per slice at the paper's sizes; with
// --profile, the kernels of a one-thread train step; with --memory, 100 training steps at 256²×4 (wasm heap,
// tensors, RSS).
//
//   npm run bench [-- --json] [--quick] [--memory] [--profile] [--no-pytorch] [--runs N] [--warmup N] [--threads N]
//                 [--replicas N] [--memory-steps N] [--cohort] [--browser]
// Progress goes to stderr; stdout has the report (or, with --json, one JSON array of cell records).
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseBenchArgs } from './lib/args.mjs';
import { interleave, lineServer } from './lib/interleave.mjs';
import { cellName, cellRecord, formatTable, tableRows } from './lib/report.mjs';
import { median, round } from './lib/stats.mjs';

const run = promisify(execFile);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const args = parseBenchArgs(process.argv.slice(2));
const say = (line) => process.stderr.write(`${line}\n`);

if (args.browser) {
  // the pipeline per slice in Chromium (wasm, WebGPU on SwiftShader) against onnxruntime-node (bench/browser.mjs)
  const { benchBrowser, browserReport } = await import('./browser.mjs');
  const result = await benchBrowser({ runs: args.runs, threads: args.threads, say });
  process.stdout.write(browserReport(result, args.json));
  process.exit(result.error ? 1 : 0);
}

if (args.cohort) {
  // studies per minute: the direct loop against queue workers (bench/cohort.mjs)
  const { benchCohort } = await import('./cohort.mjs');
  await benchCohort(args);
  process.exit(0);
}

/** One bench/measure.mjs run; `{ error }` (a line of its stderr) when it fails. Its progress lines are passed on. */
function measure(spec, nodeFlags = []) {
  say(`… ${spec.kind} ${JSON.stringify({ ...spec, kind: undefined })}`);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...nodeFlags, here('./measure.mjs'), JSON.stringify(spec)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      const text = String(chunk);
      for (const line of text.split('\n')) if (line.startsWith('  ')) say(line);
      stderr = (stderr + text).slice(-64 * 1024);
    });
    child.on('close', (code) => {
      if (code === 0) return resolve(JSON.parse(stdout.trim().split('\n').at(-1)));
      const lines = stderr
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('at ') && !/^\^+$/.test(l));
      const reason =
        lines.find((l) => /Aborted|out of memory|Error:/.test(l)) ?? lines.at(-1) ?? `exit code ${code}`;
      resolve({ error: /Aborted\(\)/.test(reason) ? 'crashed: wasm heap full (4 GB)' : reason });
    });
  });
}

/** The first of /usr/bin/python3, python3 that imports torch and torchvision; null when none does. */
async function findTorchPython() {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      await run(python, ['-c', 'import torch, torchvision']);
      return python;
    } catch {}
  }
  return null;
}

/** `unet_pytorch.py` as a server: its report (check, matmul peak) first, then one timed run per request. */
function pytorchServer(python, file) {
  const argv = [
    here('./baselines/unet_pytorch.py'),
    ...['--threads', String(args.threads), '--warmup', String(args.warmup), '--cells', ''],
    ...['--peak', '--check', file, '--serve'],
  ];
  say(`… PyTorch ${argv.slice(1).join(' ')}`);
  return lineServer(python, argv, { preambleLines: 1 });
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const started = { load: load(), at: new Date().toISOString() };
const common = { runs: args.runs, warmup: args.warmup };

const info = await measure({ kind: 'info' });
const wasmPeak = await measure({ kind: 'peak-wasm' });
const python = args.pytorch ? await findTorchPython() : null;
let torch = null;
let theirs = null;
let pytorchNote = args.pytorch
  ? 'skipped: no python imports torch and torchvision (apt-get install python3-torch python3-torchvision)'
  : 'skipped (--no-pytorch)';
const dir = mkdtempSync(join(tmpdir(), 'myoseg-bench-'));
if (python) {
  const file = join(dir, 'weights.bin');
  await measure({ kind: 'check', size: 64, batch: 2, file });
  theirs = pytorchServer(python, file);
  try {
    [torch] = await theirs.preamble;
    pytorchNote = null;
  } catch (e) {
    pytorchNote = `failed: ${e.message}`;
    theirs = null;
  }
}
const peak = torch?.matmul_gflops?.[String(args.threads)] ?? null;

// onnxruntime-node (the default path) and PyTorch, interleaved run by run
say(`… onnxruntime-node and PyTorch interleaved: ${args.runs} rounds per cell`);
const ours = lineServer(process.execPath, [
  here('./measure.mjs'),
  JSON.stringify({ kind: 'serve', warmup: args.warmup, threads: args.threads }),
]);
const paired = await interleave({
  ours,
  theirs,
  cells: args.cells,
  ops: ['infer', 'train'],
  runs: args.runs,
  say,
});
await Promise.all([ours.close(), theirs?.close()]);
rmSync(dir, { recursive: true, force: true });

/** The interleaved runs of `op` on a cell, as report paths: ours (default) and PyTorch's. */
function pairedPaths(op, size, batch) {
  const { ours: a, theirs: b } = paired[cellName(op, size, batch)];
  const side = (s) => ({
    ms: s.runs.length ? median(s.runs) : null,
    runs: s.runs,
    ...(s.error ? { error: s.error } : {}),
  });
  return {
    ort: { path: 'onnxruntime-node', threads: args.threads, default: true, ...side(a) },
    pytorch: b?.runs.length ? { ...side(b), threads: torch.threads } : null,
  };
}

const records = [];
for (const [size, batch] of args.cells) {
  const cell = { size, batch, ...common };
  const infer = pairedPaths('infer', size, batch);
  const wasm = await measure({ kind: 'infer-wasm', ...cell });
  records.push(
    cellRecord({
      name: cellName('infer', size, batch),
      flops: wasm.flops ?? null,
      peak,
      paths: [infer.ort, { path: 'tfjs-wasm', threads: 1, ...wasm }],
      pytorch: infer.pytorch,
    }),
  );
  const train = pairedPaths('train', size, batch);
  const paths = [
    train.ort,
    { path: 'tfjs-wasm', threads: 1, ...(await measure({ kind: 'train-wasm', ...cell, replicas: 1 })) },
  ];
  if (args.replicas > 1) {
    paths.push({
      path: `tfjs-wasm data-parallel`,
      threads: args.replicas,
      ...(await measure({ kind: 'train-wasm', ...cell, replicas: args.replicas })),
    });
  }
  records.push(
    cellRecord({
      name: cellName('train', size, batch),
      flops: paths.find((p) => p.flops)?.flops ?? null,
      peak,
      paths,
      pytorch: train.pytorch,
    }),
  );
}

const pipeline = await measure({
  kind: 'pipeline',
  slices: args.pipelineSlices,
  threads: args.threads,
  ...common,
});
const study = await measure({ kind: 'pretrained-study', threads: args.threads, ...common });
const [profileSize, profileBatch] = args.cells[0];
const profile = args.profile
  ? await measure({ kind: 'profile', size: profileSize, batch: profileBatch })
  : null;
let memory = null;
if (args.memory) {
  const [size, batch] = args.memoryCell;
  memory = {
    size,
    batch,
    replicas: args.replicas,
    maxOldSpaceMB: 1536,
    ...(await measure({ kind: 'memory', size, batch, steps: args.memorySteps, replicas: args.replicas }, [
      '--max-old-space-size=1536',
    ])),
  };
}
const finished = { load: load(), at: new Date().toISOString() };

function pipelineRecords() {
  if (pipeline.error) return [{ name: 'pipeline 250+60 per slice', ours_ms: null, error: pipeline.error }];
  return ['onnx', 'wasm'].map((key) => ({
    name: 'pipeline 250+60 per slice',
    ours_ms: round(pipeline[key].msPerSlice, 4),
    ours_path: key === 'onnx' ? 'onnxruntime-node' : 'tfjs-wasm',
    pytorch_ms: null,
    ratio: null,
    localize_ms: round(pipeline[key].localizeMs, 4),
    segment_ms: round(pipeline[key].segmentMs, 4),
    restore_ms: round(pipeline[key].restoreMs, 4),
  }));
}

function studyRecords() {
  if (study.error) return [{ name: 'pretrained study 10 slices', ours_ms: null, error: study.error }];
  return [
    {
      name: 'pretrained study 10 slices',
      ours_ms: round(study.msPerStudy, 4),
      ours_path: 'onnxruntime-node',
      pytorch_ms: null,
      ratio: null,
      runs_ms: study.runs.map((ms) => round(ms, 4)),
      found: study.found,
    },
  ];
}

function memorySummary() {
  if (memory === null) return null;
  if (memory.error) return { ...memory, peak_rss_mb: null };
  const { log } = memory;
  const peakOf = (key) => round(Math.max(...log.map((s) => s[key])), 4);
  // steps 1, 2, 5, 10, 25, 50, 100… up to the last: where the heap settles, and whether RSS still climbs
  const at = [...new Set([1, 2, 5, 10, 25, 50, 100, 200, 500, log.length].filter((k) => k <= log.length))];
  return {
    name: `memory train ${memory.size}x${memory.batch}`,
    steps: log.length,
    replicas: memory.replicas,
    max_old_space_mb: memory.maxOldSpaceMB,
    peak_rss_mb: peakOf('rssMB'),
    peak_wasm_heap_mb: peakOf('heapMB'),
    tensors_first_last: [log[0].tensors, log.at(-1).tensors],
    at_step: at,
    rss_mb: at.map((k) => round(log[k - 1].rssMB, 4)),
    wasm_heap_mb: at.map((k) => round(log[k - 1].heapMB, 4)),
    step_ms_median: round(median(log.map((s) => s.ms)), 4),
  };
}

if (args.json) {
  const mem = memorySummary();
  const prof = profile ? [{ name: `profile train ${profileSize}x${profileBatch}`, ...profile }] : [];
  process.stdout.write(
    `${JSON.stringify([...records, ...pipelineRecords(), ...studyRecords(), ...prof, ...(mem ? [mem] : [])], null, 1)}\n`,
  );
  process.exit(0);
}

const out = [];
const p = (line = '') => out.push(line);
p(
  `myoseg bench${args.quick ? ' (--quick)' : ''}: ResNet-34 U-Net (buildUNet, width 1), 3 input channels, 2 classes, ` +
    `${info.params?.toLocaleString('en') ?? '?'} parameters`,
);
p(
  `machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores; Node ${process.versions.node}; ` +
    `load average ${started.load} at start, ${finished.load} at end`,
);
if (Math.max(Number(started.load.split(' ')[0]), Number(finished.load.split(' ')[0])) > 0.5) {
  p(
    'note: other processes were running (load average above). A busy core leaves 2-thread runs (PyTorch, ' +
      'onnxruntime, data-parallel) about one core between them, and OpenMP threads that wait for each other far less: ' +
      'rerun on a quiet machine before trusting their ratios.',
  );
}
p(
  `ours: onnxruntime-node ${info.onnxruntime ?? '(not installed)'} with ${args.threads} intra-op threads; ` +
    `tfjs-wasm ${info.tfjs} (SIMD ${info.simd ? 'on' : 'off'}, ${info.wasmThreads} thread) with myoseg's kernels; ` +
    `data-parallel: ${args.replicas} replicas (the calling thread + ${args.replicas - 1} worker thread(s))`,
);
if (torch) {
  p(
    `PyTorch ${torch.torch} (torchvision ${torch.torchvision}), ${torch.threads} threads: ${torch.params.toLocaleString('en')} ` +
      `parameters (ours ${info.params?.toLocaleString('en')}); our ${torch.check.weights} weights loaded by name give ` +
      `our eval-mode outputs to ${torch.check.max_abs_diff.toExponential(1)} (64×64×2)`,
  );
} else {
  p(`PyTorch: ${pytorchNote}`);
}
const peaks = torch?.matmul_gflops ?? {};
p(
  `matmul peak (float32 2048² GEMM, OpenBLAS via PyTorch): ${
    Object.keys(peaks).length
      ? Object.entries(peaks)
          .map(([t, g]) => `${g.toFixed(0)} GFLOP/s on ${t} thread(s)`)
          .join(', ')
      : 'n/a'
  }; wasm (XNNPACK 1024² matMul, 1 thread): ${wasmPeak.gflops?.toFixed(1) ?? 'n/a'} GFLOP/s`,
);
p(
  `steps: AdamW (β 0.9/0.99, eps 1e-5, lr 1e-5, wd 0.01), dice + CE on softmax; ${args.warmup} warm-up, min and ` +
    `median of ${args.runs}, onnxruntime-node and PyTorch interleaved run by run (A B A B); spread = (max − min) / ` +
    `median, ! above 20 %; GFLOP/s count convolutions (train = 3 × forward); % peak = of the ${args.threads}-thread GEMM peak`,
);
p();
p(formatTable(tableRows(records)));
p();
const summary = records.map(
  (r) =>
    `${r.name} ${r.ratio == null ? '—' : r.ratio.toFixed(2)} (min ${r.ratio_min == null ? '—' : r.ratio_min.toFixed(2)}; ${r.ours_path}${r.noisy ? '; noisy: spread > 20 %' : ''})`,
);
p(`ours / PyTorch (default path, medians, lower is better): ${summary.join('; ')}`);
p();
if (study.error) p(`pretrained study: ${study.error}`);
else
  p(
    `@myoseg/pretrained, one 10-slice 256×256 study (segmentVolume, onnxruntime-node, ${args.threads} threads): ` +
      `${study.msPerStudy.toFixed(0)} ms (runs ${study.runs.map((x) => x.toFixed(0)).join(' ')}); ${study.found}/${study.slices} slices found`,
  );
if (pipeline.error) {
  p(`pipeline: ${pipeline.error}`);
} else {
  p(
    `two-step pipeline (MyocardiumPipeline, ResNet-34 U-Nets: localizer 250×250×3, segmenter 60×60×3, untrained; ` +
      `${pipeline.slices} slices ${pipeline.size.join('×')}, every slice through all steps):`,
  );
  for (const [key, name] of [
    ['onnx', `onnxruntime-node (${args.threads} threads)`],
    ['wasm', 'tfjs-wasm (1 thread)'],
  ]) {
    const r = pipeline[key];
    p(
      `  ${name}: ${r.msPerSlice.toFixed(0)} ms per slice (runs ${r.runs.map((x) => x.toFixed(0)).join(' ')}): ` +
        `localize ${r.localizeMs.toFixed(0)}, crop + segment ${r.segmentMs.toFixed(0)}, restore ${r.restoreMs.toFixed(0)}` +
        `; ${r.found}/${pipeline.slices} found`,
    );
  }
}
if (profile?.error) p(`profile: ${profile.error}`);
else if (profile) {
  const total = profile.kernels.reduce((sum, k) => sum + k.ms, 0);
  p();
  p(
    `profile of one train step, ${profileSize}²×${profileBatch}, tfjs-wasm 1 thread (tf.profile): ` +
      `${profile.ms.toFixed(0)} ms, kernels ${total.toFixed(0)} ms:`,
  );
  p(
    formatTable([
      ['kernel', 'ms', 'share', 'calls'],
      ...profile.kernels
        .slice(0, 15)
        .map((k) => [k.name, k.ms.toFixed(0), `${((100 * k.ms) / total).toFixed(1)}%`, String(k.calls)]),
    ]),
  );
}
const mem = memorySummary();
if (mem?.error) p(`memory: ${mem.error}`);
else if (mem) {
  p();
  p(
    `memory: ${mem.steps} train steps at ${memory.size}²×${memory.batch}, ${mem.replicas} replica(s), V8 heap limit ` +
      `${mem.max_old_space_mb} MB: peak RSS ${mem.peak_rss_mb.toFixed(0)} MB, peak wasm heap of the calling thread ` +
      `${mem.peak_wasm_heap_mb.toFixed(0)} MB; tensors ${mem.tensors_first_last.join(' → ')}; ` +
      `${mem.step_ms_median.toFixed(0)} ms per step`,
  );
  p(`  at step     ${mem.at_step.join(' / ')}`);
  p(`  RSS MB      ${mem.rss_mb.map((v) => v.toFixed(0)).join(' / ')}`);
  p(`  wasm heap MB ${mem.wasm_heap_mb.map((v) => v.toFixed(0)).join(' / ')}`);
} else {
  p('memory: run with --memory (100 training steps at 256²×4; most of an hour)');
}
process.stdout.write(`${out.join('\n')}\n`);
