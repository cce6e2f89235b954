import { readFile } from 'node:fs/promises';
import type { PresetName } from '@myoseg/models';
import { checkPresetOverride, PRESETS, type PresetOverride } from '@myoseg/models/training';
import { InputError } from '../errors';

/**
 * Resolves `--preset`: a preset's name (`quick`, `standard`, `paper`), or a `.json` file holding a preset override
 * (`{ "base": "quick", "epochs": 8, … }`); from code, an override passes through.
 *
 * @throws InputError naming the option and the file when it is neither, or (naming the field) when the file
 *   holds an unknown field or a value of the wrong kind.
 */
export async function presetOption(preset: string | PresetOverride): Promise<PresetName | PresetOverride> {
  if (typeof preset !== 'string' || preset in PRESETS) return preset as PresetName | PresetOverride;
  if (!preset.endsWith('.json'))
    throw new InputError(
      `--preset must be ${Object.keys(PRESETS).join(', ')} or a .json file, got ${preset}`,
    );
  const text = await readFile(preset, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(`--preset ${preset}: cannot read (${e.code ?? e.message})`);
  });
  let override: PresetOverride;
  try {
    override = JSON.parse(text) as PresetOverride;
  } catch (e) {
    throw new InputError(`--preset ${preset}: not valid JSON (${(e as Error).message})`);
  }
  try {
    checkPresetOverride(override, `--preset ${preset}`);
  } catch (e) {
    throw new InputError((e as Error).message);
  }
  return override;
}
