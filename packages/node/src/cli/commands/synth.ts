import type { TwinAppearance } from '@myoseg/datasets';
import { synthesizeAcdc } from '@myoseg/datasets/node';
import { checkRunFolder, markRunFolder } from '../../files/output-folder';
import type { CliIo } from '../io';

/** `myoseg synth`: writes a synthetic ACDC twin (ACDC's folder layout, NIfTI, Info.cfg). */
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
