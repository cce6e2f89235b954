import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { type BackendReport, initBackend } from '../../backend';
import { loadOnnxRuntime } from '../../onnx/runtime';
import { probeWebGpu } from '../../onnx/webgpu-probe';
import type { CliIo } from '../io';
import { trainingOption } from '../training-option';

/** Versions of the runtime and of the packages that decide speed. */
function versions(): Record<string, string> {
  const require = createRequire(import.meta.url);
  const version = (name: string) => {
    try {
      const path = require.resolve(`${name}/package.json`);
      return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
    } catch {
      return 'not installed';
    }
  };
  return {
    node: process.versions.node,
    platform: `${process.platform}-${process.arch}`,
    '@tensorflow/tfjs-core': version('@tensorflow/tfjs-core'),
    '@tensorflow/tfjs-backend-wasm': version('@tensorflow/tfjs-backend-wasm'),
    '@tensorflow/tfjs-node': version('@tensorflow/tfjs-node'),
    '@tensorflow/tfjs-node-gpu': version('@tensorflow/tfjs-node-gpu'),
    'onnxruntime-node': version('onnxruntime-node'),
  };
}

/** What to do to get a faster backend, given what was found. */
export function backendAdvice(report: BackendReport): string[] {
  if (report.choice === 'tfjs-node-gpu')
    return ['Running on the GPU (CUDA) through @tensorflow/tfjs-node-gpu.'];
  const advice = [];
  if (report.choice !== 'tfjs-node') {
    advice.push(
      'For native CPU speed: npm i @tensorflow/tfjs-node (its install downloads libtensorflow, so it needs internet).',
    );
  }
  advice.push(
    "For a GPU without a CUDA download: --runtime webgpu (inference on onnxruntime-node's WebGPU provider; on Linux it needs libvulkan1 and the GPU's Vulkan driver).",
    'tfjs on a GPU: npm i @tensorflow/tfjs-node-gpu on Linux x86-64 with an NVIDIA driver, CUDA 11.2 and cuDNN 8.1 (the versions libtensorflow 2.9 is built against, which current GPU generations are not supported by); then myoseg picks it first.',
  );
  return advice;
}

/** `myoseg doctor`: which backend myoseg picks and why, versions, and what to install for more speed. */
export async function doctorCommand(
  io: CliIo,
  options: { json?: boolean; backend?: string; runtime?: string },
): Promise<number> {
  const report = await initBackend({ prefer: options.backend as never, env: io.env });
  const ort = await loadOnnxRuntime();
  const inference =
    ort.runtime === null
      ? {
          runtime: 'tfjs',
          reason: ort.reason,
          advice:
            'For inference several times faster than tfjs-wasm on a CPU: ONNXRUNTIME_NODE_INSTALL=skip npm i onnxruntime-node (its CPU binary ships in the package).',
        }
      : {
          runtime: 'onnxruntime-node',
          version: ort.version,
          threads: availableParallelism(),
          webgpu: await probeWebGpu(ort.runtime),
        };
  const training = (await trainingOption(report, 'quick', { runtime: options.runtime })).describe;
  const info = { backend: report, inference, training, versions: versions(), advice: backendAdvice(report) };
  if (options.json) {
    io.out(JSON.stringify(info, null, 2));
    return 0;
  }
  io.out(`backend: ${report.choice} (tfjs '${report.tfBackend}')${report.forced ? ', forced' : ''}`);
  if (report.choice === 'wasm')
    io.out(`  wasm threads: ${report.threads}, SIMD: ${report.simd ? 'on' : 'off'}`);
  for (const a of report.attempts)
    io.out(`  ${a.ok ? '✓' : '·'} ${a.choice}${a.reason ? `: ${a.reason}` : ''}`);
  io.out(
    inference.runtime === 'onnxruntime-node'
      ? `inference: onnxruntime-node ${inference.version}, ${inference.threads} threads (model folders with .onnx files)`
      : `inference: tfjs on ${report.choice} (onnxruntime-node: ${inference.reason})`,
  );
  io.out(`${training} (train, demo)`);
  if (inference.runtime === 'onnxruntime-node' && inference.webgpu)
    io.out(
      inference.webgpu.available
        ? '  ✓ webgpu: onnxruntime-node got a WebGPU adapter (--runtime webgpu)'
        : `  · webgpu: ${inference.webgpu.reason}`,
    );
  if (inference.advice) io.out(inference.advice);
  io.out('versions:');
  for (const [k, v] of Object.entries(info.versions)) io.out(`  ${k}: ${v}`);
  for (const line of info.advice) io.out(line);
  return 0;
}
