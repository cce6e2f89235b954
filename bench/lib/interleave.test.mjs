import { describe, expect, it } from 'vitest';
import { interleave, lineServer } from './interleave.mjs';

/** A child that prints a report line, then answers each request with `{ ms }` from its name and order. */
const SERVER = `
const readline = require('node:readline');
console.log(JSON.stringify({ report: process.argv[1] }));
let n = 0;
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const { op, size } = JSON.parse(line);
  if (process.argv[1] === 'broken' && n === 1) process.exit(3);
  n += 1;
  console.log(JSON.stringify({ ms: (op === 'infer' ? 1000 : 2000) + size + n }));
});`;

const server = (name) => lineServer(process.execPath, ['-e', SERVER, name], { preambleLines: 1 });

describe('interleave', () => {
  it("asks each side once per round, per cell and op, and keeps each side's runs in order", async () => {
    const [ours, theirs] = [server('ours'), server('theirs')];
    expect(await ours.preamble).toEqual([{ report: 'ours' }]);
    const lines = [];
    const out = await interleave({
      ours,
      theirs,
      cells: [[64, 16]],
      ops: ['infer', 'train'],
      runs: 2,
      say: (l) => lines.push(l),
    });
    await Promise.all([ours.close(), theirs.close()]);
    expect(out['infer 64x16'].ours.runs).toEqual([1065, 1066]);
    expect(out['infer 64x16'].theirs.runs).toEqual([1065, 1066]);
    expect(out['train 64x16'].ours.runs).toEqual([2067, 2068]);
    expect(lines).toHaveLength(4);
  });

  it('a side that dies keeps its error and its runs so far; the other goes on; no PyTorch is ours alone', async () => {
    const [ours, broken] = [server('ours'), server('broken')];
    const out = await interleave({ ours, theirs: broken, cells: [[32, 4]], ops: ['infer'], runs: 3 });
    expect(out['infer 32x4'].ours.runs).toHaveLength(3);
    expect(out['infer 32x4'].theirs.runs).toHaveLength(1);
    expect(out['infer 32x4'].theirs.error).toMatch(/ended \(exit 3\)/);
    await ours.close();
    const alone = server('ours');
    const solo = await interleave({ ours: alone, theirs: null, cells: [[32, 4]], ops: ['train'], runs: 1 });
    expect(solo['train 32x4']).toEqual({ ours: { runs: [2033] }, theirs: null });
    await alone.close();
  });
});
