import { describe, expect, it } from 'vitest';
import { resolvePreset } from '../pipeline/presets';
import { expectEveryFieldNamed, problemOf } from '../schema/test-support';
import { PipelineManifestSchema } from './pipeline-folder-schema';

const network = { inputSize: [128, 128], channels: 1, classes: 2 };
const manifest = {
  format: 'myoseg-segmenter',
  version: 1,
  preset: resolvePreset('standard'),
  frame: 0.15,
  threshold: 0.5,
  largestComponent: true,
  refinePasses: 2,
  sigma: { regression: { slope: 0.01, intercept: 0.1, range: [0, 2] } },
  sigmaSamples: [{ width: 40, sigma: 0.5 }],
  split: { train: ['patient001'], sigma: ['patient002'], validation: ['patient003'] },
  createdAt: '2025-01-01T00:00:00.000Z',
  complete: true,
  networks: { localizer: network, segmenter: { ...network, inputSize: [60, 60] } },
  files: { 'localizer.onnx': 'a'.repeat(64) },
  onnx: { localizer: 'localizer.onnx', segmenter: 'segmenter.onnx', opset: 17 },
};

describe('PipelineManifestSchema', () => {
  it('takes a manifest as it is and names each field it refuses', () => {
    expectEveryFieldNamed(PipelineManifestSchema, manifest);
    expectEveryFieldNamed(PipelineManifestSchema, { ...manifest, sigma: { fixed: 0.4 } });
  });

  it('takes the manifest of an older folder (no networks, digests, ONNX or post-processing) and unknown fields', () => {
    const { networks, files, onnx, largestComponent, refinePasses, complete, ...older } = manifest;
    expect(problemOf(PipelineManifestSchema, { ...older, addedLater: 1 })).toBeUndefined();
  });

  it('says what the σ rule and the digests must be', () => {
    expect(problemOf(PipelineManifestSchema, { ...manifest, sigma: {} })).toMatchObject({
      field: 'sigma',
      expected: "hold 'fixed' or 'regression'",
    });
    expect(problemOf(PipelineManifestSchema, { ...manifest, files: { 'a.bin': 'not hex' } })).toMatchObject({
      field: 'files',
      expected: 'map file paths to sha256 hex digests',
    });
  });
});
