import { AcdcFormatError } from '../errors';
import { ACDC_GROUPS, type AcdcGroup, type AcdcInfo } from './types';

const FIELDS = ['ED', 'ES', 'Group', 'Height', 'NbFrame', 'Weight'] as const;

/**
 * Parses a patient's `Info.cfg` (`ED: 1`, `ES: 12`, `Group: DCM`, `Height: 184.0`, `NbFrame: 30`,
 * `Weight: 95.0`, one per line, in any order).
 *
 * @param text - the file's content.
 * @param name - the file's path, for messages.
 * @throws {@link AcdcFormatError} naming the file and field when a field is missing, repeated or invalid.
 */
export function parseInfoCfg(text: string, name = 'Info.cfg'): AcdcInfo {
  const values = new Map<string, string>();
  for (const [n, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === '') continue;
    const match = /^\s*([A-Za-z]+)\s*:\s*(.*?)\s*$/.exec(line);
    if (!match) throw new AcdcFormatError(name, `line ${n + 1} is not "Key: value": ${JSON.stringify(line)}`);
    if (values.has(match[1])) throw new AcdcFormatError(name, `${match[1]} is given twice`);
    values.set(match[1], match[2]);
  }
  for (const field of FIELDS) {
    if (!values.has(field)) throw new AcdcFormatError(name, `${field} is missing`);
  }
  const number = (field: string, integer: boolean): number => {
    const raw = values.get(field)!;
    const value = Number(raw);
    if (raw === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)) || value <= 0) {
      throw new AcdcFormatError(
        name,
        `${field} is ${JSON.stringify(raw)} (expected a positive ${integer ? 'integer' : 'number'})`,
      );
    }
    return value;
  };
  const group = values.get('Group') as AcdcGroup;
  if (!ACDC_GROUPS.includes(group)) {
    throw new AcdcFormatError(
      name,
      `Group is ${JSON.stringify(group)} (expected one of ${ACDC_GROUPS.join(', ')})`,
    );
  }
  const info: AcdcInfo = {
    ed: number('ED', true),
    es: number('ES', true),
    group,
    height: number('Height', false),
    weight: number('Weight', false),
    nbFrames: number('NbFrame', true),
  };
  for (const [field, frame] of [
    ['ED', info.ed],
    ['ES', info.es],
  ] as const) {
    if (frame > info.nbFrames) {
      throw new AcdcFormatError(name, `${field} is frame ${frame} but NbFrame is ${info.nbFrames}`);
    }
  }
  return info;
}

/** Writes `Info.cfg` text in ACDC's layout (keys sorted, heights and weights with one decimal). */
export function formatInfoCfg(info: AcdcInfo): string {
  return [
    `ED: ${info.ed}`,
    `ES: ${info.es}`,
    `Group: ${info.group}`,
    `Height: ${info.height.toFixed(1)}`,
    `NbFrame: ${info.nbFrames}`,
    `Weight: ${info.weight.toFixed(1)}`,
    '',
  ].join('\n');
}
