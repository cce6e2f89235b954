import { MYOCARDIUM_LABELS, selectLabels } from '@myoseg/core';
import {
  type FrameScore,
  type LabeledVolume,
  scoreVolume,
  summarizeFrames,
  type VolumeSummary,
} from '@myoseg/models';
import type { CliIo } from './io';
import { loadModelForInference } from './model-folder';

/**
 * Scores `@myoseg/pretrained`'s model on the same whole stacks as a run's own model (`volumes` of the held-out
 * patients), for the demo's comparison line. A pretrained model that cannot be loaded is reported on stderr and
 * gives `null`: the demo goes on without the line.
 */
export async function scorePretrained(
  io: CliIo,
  volumes: readonly LabeledVolume[],
  inference: { runtime?: string; precision?: string },
): Promise<VolumeSummary | null> {
  let loaded: Awaited<ReturnType<typeof loadModelForInference>>;
  try {
    loaded = await loadModelForInference(io, undefined, inference);
  } catch (e) {
    io.err(`no comparison with @myoseg/pretrained: ${(e as Error).message}`);
    return null;
  }
  try {
    const frames: FrameScore[] = [];
    for (const v of volumes) {
      const { mask } = await loaded.pipeline.segmentVolume(v.image, { spacing: v.spacing, affine: v.affine });
      const truth = selectLabels(v.mask, MYOCARDIUM_LABELS);
      frames.push({
        patientId: v.patientId,
        group: v.group ?? 'unknown',
        phase: v.phase,
        ...scoreVolume(mask, truth, v.spacing),
      });
    }
    return summarizeFrames(frames).all;
  } finally {
    loaded.dispose();
  }
}
