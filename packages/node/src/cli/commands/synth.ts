import type { TwinAppearance } from '@myoseg/datasets';
import { synthesizeAcdc } from '@myoseg/datasets/node';
import { checkRunFolder, markRunFolder, startRunFolder } from '../../files/output-folder';
import type { CliIo } from '../io';

/**
 * `myoseg synth`: writes a synthetic ACDC twin (ACDC's folder layout, NIfTI, Info.cfg). Each patient folder
 * appears whole (a rename), and the cohort's manifest says `"complete": false` until the last one is written, so
 * `train` and `evaluate` refuse the cohort of a killed run; running the same command again finishes it.
 */
export async function synthCommand(
  io: CliIo,
  options: {
    patients: number;
    out: string;
    seed: number;
    with4d?: boolean;
    json?: boolean;
    /** The twin's look: `standard` (default) or `varied`. */
    appearance?: TwinAppearance;
  },
): Promise<number> {
  await checkRunFolder(options.out, 'twin-cohort', { label: '--out' });
  const t0 = performance.now();
  await startRunFolder(options.out, 'twin-cohort');
  const written = await synthesizeAcdc({
    patients: options.patients,
    seed: options.seed,
    outDir: options.out,
    with4d: options.with4d,
    params: { appearance: options.appearance ?? 'standard' },
    onPatient: (p) => io.status(`[synth] ${p.subset}/${p.id} (${p.group})`),
  });
  await markRunFolder(options.out, 'twin-cohort');
  const seconds = (performance.now() - t0) / 1000;
  if (options.json) io.out(JSON.stringify({ out: options.out, patients: written, seconds }));
  else io.out(`wrote ${written.length} synthetic patients to ${options.out} in ${seconds.toFixed(1)} s`);
  return 0;
}
