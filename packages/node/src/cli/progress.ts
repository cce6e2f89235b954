import type { PipelineProgress } from '@myoseg/models/training';
import type { CliIo } from './io';

const clock = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/**
 * Turns training progress into a live status line (epoch, batch, loss, ETA) and one line per finished epoch.
 * With `json`, prints nothing (machine-readable output stays clean).
 */
export function progressPrinter(
  io: CliIo,
  options: { json?: boolean } = {},
): (p: PipelineProgress & { run?: number }) => void {
  if (options.json) return () => {};
  let stageStart = performance.now();
  let stage = '';
  return (p) => {
    if (p.stage !== stage) {
      stage = p.stage;
      stageStart = performance.now();
    }
    const epochs = p.epochs ?? 0;
    if (p.event === 'batch' && p.batches && epochs) {
      const done = (p.epoch ?? 0) * p.batches + (p.batch ?? 0) + 1;
      const total = epochs * p.batches;
      const elapsed = performance.now() - stageStart;
      const eta = (elapsed / done) * (total - done);
      io.status(
        `[${p.stage}] epoch ${(p.epoch ?? 0) + 1}/${epochs}  batch ${(p.batch ?? 0) + 1}/${p.batches}  loss ${p.loss?.toFixed(4)}  ETA ${clock(eta)}`,
      );
    } else if (p.event === 'epoch') {
      const dice = p.valDice === undefined ? '' : `  val Dice ${p.valDice.toFixed(3)}`;
      io.err(
        `[${p.stage}] epoch ${(p.epoch ?? 0) + 1}/${epochs}  loss ${p.loss?.toFixed(4)}${dice}  (${clock(performance.now() - stageStart)})`,
      );
    } else if (p.event === 'done') {
      io.err(`[${p.stage}] done in ${clock(performance.now() - stageStart)}`);
    }
  };
}
