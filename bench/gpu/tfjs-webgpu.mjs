// One training step of the bench's network on tfjs's WebGPU backend (@tensorflow/tfjs-backend-webgpu 4.22) in Node,
// on Dawn (npm `webgpu`, dawn.node): the full-width ResNet-34 U-Net (buildUNet seed 0), a seeded batch and one AdamW
// step (trainBatch), as bench/measure.mjs's trainingSetup; ms per step, GPU work included (trainBatch reads the loss
// back, which submits every queued command and waits for the queue; then onSubmittedWorkDone).
//   node bench/gpu/tfjs-webgpu.mjs '{"cells":["64x16","256x4"],"runs":5,"warmup":2,"check":true}'
// Spec: cells ("SIZExBATCH"), runs, warmup (≥ 1: the first step creates AdamW's moments), timeoutS (per job, default
// 120), dawnFlags (create()'s, e.g. ["backend=vulkan"]), check: the first step on tfjs-cpu and on webgpu at checkCell
// (default "32x2") with checkNet (buildUNet options; default ResNet-18 at width 0.25, as tfjs-cpu takes minutes on
// the full net): loss, initial weights, updates and BatchNorm statistics compared. Env: WEBGPU_MODULE (dawn.node's
// index.js, default /tmp/wgpu/package/index.js), Vulkan's VK_ICD_FILENAMES (SwiftShader:
// /usr/lib/chromium/vk_swiftshader_icd.json) and XDG_RUNTIME_DIR.
// Each job (adapter, check, each cell) runs in a child process under the time limit: a hang or a crash still prints
// its JSON line (with the child's last stderr lines). stdout: a JSON line per job, then a summary line; exit 0 with
// `{"adapter":null,"reason":...}` when Dawn gives no adapter.
// Shims, all that tfjs-backend-webgpu needs in Node: navigator.gpu = create(flags) before the backend is imported
// (it registers 'webgpu' only if navigator.gpu exists then) and dawn.node's `globals` on globalThis (it uses
// GPUBufferUsage, GPUMapMode, GPUTextureUsage). No OffscreenCanvas or importScripts: only dataSync() on a webgpu
// tensor needs OffscreenCanvas, so weights are read with data(). The gradients come with @tensorflow/tfjs-layers.
// Workaround: tfjs-webgpu 4.22's Cast int32→float32 keeps the int32 buffer, and reducing it over axes other than
// the last (Sum in the Dice loss) transposes it with a shader that does not compile (tensorflow/tfjs#8638): the
// command buffer is dropped and the loss reads 0. The batch's targets are therefore uploaded as float32 values.
// GPU validation errors are counted per job (gpuErrors); the wasm-only fused kernels are not used: AdamW runs as ops.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from '../lib/stats.mjs';

const HYPER = { lr: 1e-5, mom: 0.9, weightDecay: 0.01 }; // bench/measure.mjs's
// biome-ignore lint/suspicious/noUndeclaredEnvVars: a bench script run by hand, not a turbo task
const DAWN = process.env.WEBGPU_MODULE ?? '/tmp/wgpu/package/index.js';

if (process.argv[2] === '--job') {
  const result = await job(JSON.parse(process.argv[3]));
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const defaults = { cells: ['64x16', '256x4'], runs: 5, warmup: 2, timeoutS: 120, dawnFlags: [] };
const checkDefaults = {
  check: false,
  checkCell: '32x2',
  checkNet: { encoder: 'resnet18', widthMultiplier: 0.25 },
};
const spec = { ...defaults, ...checkDefaults, ...JSON.parse(process.argv[2] ?? '{}') };
const print = (line) => process.stdout.write(`${JSON.stringify(line)}\n`) && line;
const adapter = runJob({ kind: 'adapter' });
if (!adapter.adapter) {
  print({ adapter: null, reason: adapter.reason ?? adapter.error, stderr: adapter.stderr });
  process.exit(0);
}
print(adapter);
const check = spec.check ? runJob({ kind: 'check', cell: spec.checkCell, net: spec.checkNet }) : null;
if (check) print({ check });
const { runs, warmup } = spec;
const cells = spec.cells.map((cell) =>
  print(runJob({ kind: 'train', cell, runs, warmup: Math.max(warmup, 1) })),
);
print({
  summary: 'tfjs-webgpu train step, ms (median)',
  adapter: adapter.adapter.description || adapter.adapter.device,
  check: check && (check.ok ?? check.error),
  cells: Object.fromEntries(cells.map((r) => [r.cell, r.error ?? (r.gpuErrors ? 'GPU errors' : r.ms)])),
  tensorsFlat: cells.every((r) => r.tensors?.flat),
});

/** Runs one job in a child process under the time limit: its JSON line, or `{ error, stderr }`. */
function runJob(what) {
  const self = fileURLToPath(import.meta.url);
  const args = [self, '--job', JSON.stringify({ ...what, dawnFlags: spec.dawnFlags })];
  const limits = { timeout: spec.timeoutS * 1000, killSignal: 'SIGKILL', maxBuffer: 1 << 26 };
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', ...limits });
  process.stderr.write(r.stderr ?? '');
  const stderr = (r.stderr ?? '').trim().split('\n').slice(-6);
  const last = (r.stdout ?? '').trim().split('\n').at(-1);
  if (r.error?.code === 'ETIMEDOUT')
    return { cell: what.cell, error: `${what.kind}: timed out after ${spec.timeoutS} s`, stderr };
  if (r.status !== 0 || !last)
    return { cell: what.cell, error: `${what.kind}: exit ${r.status ?? r.signal ?? r.error}`, stderr };
  const result = JSON.parse(last);
  return result.adapter === null ? { ...result, stderr } : result;
}

/** In the child: the adapter's description, a cell's timings, or the cpu-vs-webgpu check. */
async function job({ kind, cell, runs, warmup, net, dawnFlags }) {
  const log = (msg) => process.stderr.write(`[tfjs-webgpu ${kind} ${cell ?? ''}] ${msg}\n`);
  let gpu;
  try {
    const { create, globals } = await import(DAWN);
    Object.assign(globalThis, globals);
    gpu = create(dawnFlags);
  } catch (e) {
    return { adapter: null, reason: `cannot load Dawn from ${DAWN}: ${e.message}` };
  }
  // Node ≥ 21 has a getter-only navigator global: define it, do not assign it
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  if (kind === 'adapter') {
    const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!a) return { adapter: null, reason: 'requestAdapter() returned null (no Vulkan driver? see stderr)' };
    const { vendor, architecture, device, description } = a.info;
    const { maxBufferSize, maxStorageBufferBindingSize } = a.limits;
    const [features, limits] = [[...a.features].sort(), { maxBufferSize, maxStorageBufferBindingSize }];
    const shaderF16 = features.includes('shader-f16');
    return { adapter: { vendor, architecture, device, description, shaderF16, features, limits } };
  }
  const tf = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-webgpu');
  await import('@tensorflow/tfjs-backend-cpu');
  const { buildUNet } = await import('@myoseg/models');
  const { AdamW, diceCrossEntropyLoss, trainableParameters, trainBatch, unetLayerGroups } = await import(
    '@myoseg/models/training'
  );
  const [size, batch] = cell.split('x').map(Number);
  const gpuErrors = [];
  const errors = () => ({ gpuErrors: gpuErrors.length, firstGpuError: gpuErrors[0] });

  /** bench/measure.mjs's network (or `net`'s), seeded batch and AdamW step, on `backend`. */
  async function setup(backend) {
    if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not initialize`);
    if (backend === 'webgpu') tf.backend().device.onuncapturederror = (e) => gpuErrors.push(e.error.message);
    const options = { encoder: 'resnet34', ...net, inputShape: [size, size, 3], numClasses: 2, seed: 0 };
    const model = buildUNet(options);
    // bench/measure.mjs's batchOf, then the targets uploaded as float32 values (see the header: tfjs#8638)
    const { x, y: y0 } = tf.tidy(() => {
      const x = tf.randomNormal([batch, size, size, 3], 0, 1, 'float32', 1);
      const u = tf.randomUniform([batch, size, size], 0, 1, 'float32', 2);
      const labels = tf.cast(tf.greater(u, 0.5), 'int32');
      return { x, y: tf.cast(tf.oneHot(labels, 2), 'float32') };
    });
    const data = { x, y: tf.tensor(await y0.data(), y0.shape, 'float32') };
    y0.dispose();
    const params = trainableParameters(model, unetLayerGroups(model));
    const optimizer = new AdamW();
    const hyper = [0, 1, 2].map(() => HYPER);
    log(`${backend}: network and batch ready`);
    const step = async () => {
      const loss = await trainBatch(model, data, params, diceCrossEntropyLoss, optimizer, hyper);
      await tf.backend().device?.queue.onSubmittedWorkDone();
      return loss;
    };
    const weights = () => Promise.all(model.weights.map((w) => w.read().data()));
    const trainable = new Set(params.map((p) => p.variable.name));
    const isTrainable = model.weights.map((w) => trainable.has(w.read().name));
    const names = model.weights.map((w) => w.originalName);
    const done = () => {
      model.dispose();
      optimizer.dispose();
      tf.dispose(data);
    };
    return { step, weights, isTrainable, names, done };
  }

  if (kind === 'check') {
    const first = async (backend) => {
      const s = await setup(backend);
      const before = await s.weights();
      const loss = await s.step();
      log(`${backend}: first step done, loss ${loss}`);
      const after = await s.weights();
      s.done();
      return { ...s, loss, before, after };
    };
    const c = await first('cpu');
    const g = await first('webgpu');
    const maxAbs = (a, f = (x) => x) => a.reduce((m, x, j) => Math.max(m, Math.abs(f(x, j))), 0);
    const { lr } = HYPER;
    const init = Math.max(...c.before.map((w, i) => maxAbs(w, (x, j) => x - g.before[i][j])));
    // the same start, so after − after is the difference of the updates (each ≤ lr: Adam's first step is
    // lr·g/(|g| + eps)); it is amplified where |g| ≲ eps, so a few elements may differ by lr/20 or more
    const updates = { n: 0, off: 0, maxOverLr: 0, worst: null };
    let stats = { relDiff: 0, worst: null }; // the non-trainable weights: BatchNorm's running statistics
    c.after.forEach((a, i) => {
      const b = g.after[i];
      if (!c.isTrainable[i]) {
        const d = maxAbs(a, (x, j) => x - b[j]) / Math.max(maxAbs(a), 1e-12);
        const relDiff = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
        if (relDiff >= stats.relDiff) stats = { relDiff, worst: c.names[i] };
        return;
      }
      updates.maxOverLr = Math.max(updates.maxOverLr, maxAbs(b, (x, j) => x - c.before[i][j]) / lr);
      const off = a.filter((x, j) => !(Math.abs(x - b[j]) <= lr / 20)).length;
      if (off > 0 && (updates.worst?.off ?? 0) < off) updates.worst = { name: c.names[i], off, of: a.length };
      updates.n += a.length;
      updates.off += off;
    });
    const loss = { cpu: c.loss, webgpu: g.loss, absDiff: Math.abs(c.loss - g.loss) };
    const ok =
      gpuErrors.length === 0 &&
      init === 0 &&
      loss.absDiff <= 1e-4 * Math.abs(c.loss) &&
      updates.maxOverLr > 0.5 &&
      updates.off <= 1e-3 * updates.n &&
      stats.relDiff <= 1e-3;
    return { cell, ok, loss, initMaxAbsDiff: init, updates, stats, ...errors() };
  }

  const s = await setup('webgpu');
  const tensors = { setup: tf.memory().numTensors };
  const all = [];
  let loss;
  for (let i = 0; i < warmup + runs; i++) {
    if (i === warmup) tensors.afterWarmup = tf.memory().numTensors;
    const t0 = performance.now();
    loss = await s.step();
    const ms = performance.now() - t0;
    if (i >= warmup) all.push(ms);
    log(`${i < warmup ? 'warmup' : 'run'} ${i + 1}/${warmup + runs}: ${ms.toFixed(1)} ms`);
  }
  const m = tf.memory();
  tensors.afterRuns = m.numTensors;
  tensors.flat = tensors.afterRuns === tensors.afterWarmup;
  s.done();
  // tfjs-webgpu's buffer pool keeps freed buffers: "allocated" is its high-water mark (peak), "inUse" the live bytes
  const gpuBytes = { inUse: m.numBytesInGPU, allocated: m.numBytesAllocatedInGPU };
  return { cell, backend: 'webgpu', ms: median(all), runs: all, loss, tensors, gpuBytes, ...errors() };
}
