import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/program';
import { captureIo } from '../capture-io';
import { type CaseContext, filesUnder, type HostileCase } from './case';
import { commandCases } from './commands.cases';
import { niftiCases } from './nifti.cases';
import { outputCases } from './outputs.cases';
import { segmentInputCases } from './segment-inputs.cases';
import { buildWorld, type World } from './world';

let world: World;
beforeAll(async () => {
  world = await buildWorld(await mkdtemp(join(tmpdir(), 'myoseg-hostile-')));
}, 60_000);
afterAll(() => rm(world.root, { recursive: true, force: true }));

/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

const tables: [string, HostileCase[]][] = [
  ['segment: input files and folders', segmentInputCases],
  ['segment: NIfTI variants, non-finite voxels, --frames', niftiCases],
  ['output and model folders', outputCases],
  ['evaluate, train, synth, report, options', commandCases],
];

tables.forEach(([title, cases], t) => {
  describe(`hostile inputs: ${title}`, () => {
    cases.forEach((hostile, i) => {
      it(hostile.name, async () => {
        const dir = join(world.root, 'cases', `${t}-${i}`);
        await mkdir(dir, { recursive: true });
        const c: CaseContext = { world, dir };
        await hostile.setup?.(c);
        const { io, out, err } = captureIo();
        const code = await main(hostile.argv(c), io);
        const stderr = err.join('\n');
        expect(code, stderr).toBe(hostile.exit);
        if (hostile.stderr) expect(stderr).toMatch(hostile.stderr);
        if (hostile.stdout) expect(out.join('\n')).toMatch(hostile.stdout);
        expect(stderr).not.toMatch(STACK_LINE);
        expect(stderr).not.toMatch(/this is a bug of myoseg/);
        // a refusal is one line (commander's usage errors are followed by the help)
        if (code === 2) expect(err.filter((l) => /^(myoseg|error): /.test(l))).toHaveLength(1);
        const files = await filesUnder(dir);
        expect(files.filter((f) => /\.tmp(-|$)/.test(f))).toEqual([]);
        for (const p of hostile.present ?? [])
          expect(
            files.some((f) => f === p || f.startsWith(`${p}/`)),
            p,
          ).toBe(true);
        for (const p of hostile.absent ?? [])
          expect(
            files.some((f) => f === p || f.startsWith(`${p}/`)),
            p,
          ).toBe(false);
        await hostile.check?.(c, { out, err });
      });
    });
  });
});

it('the suite covers at least 60 hostile cases', () => {
  expect(tables.reduce((n, [, cases]) => n + cases.length, 0)).toBeGreaterThanOrEqual(60);
});
