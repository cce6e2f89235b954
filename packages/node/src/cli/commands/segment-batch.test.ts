import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../../test/capture-io';
import { synthesizeSmallTwin } from '../../../test/small-twin';
import { main } from '../program';

// @myoseg/pretrained's model segments; a small twin cohort: 5 patients × ED/ES = 10 studies
let dir: string;
let data: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-batch-'));
  data = join(dir, 'data');
  await synthesizeSmallTwin(data, 5, 4);
}, 60_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Runs `myoseg segment` with `--log ndjson`; its exit code, NDJSON records and stderr. */
async function segment(args: string[], env: Record<string, string> = {}) {
  const { io, out, err } = captureIo(env);
  const code = await main(['segment', ...args, '--log', 'ndjson'], io);
  return { code, records: out.map((l) => JSON.parse(l)), err };
}

const ids = (records: { id: string; status: string }[], status: string) =>
  records.filter((r) => r.status === status).map((r) => r.id);

describe('myoseg segment on cohorts', () => {
  it('three shards cover every study exactly once; a rerun with --skip-existing does nothing', async () => {
    const out = join(dir, 'sharded');
    const all: string[] = [];
    for (const i of [0, 1, 2]) {
      const run = await segment([data, '--out', out, '--shard', `${i}/3`]);
      expect(run.code).toBe(0);
      expect(run.err.join('\n')).toMatch(new RegExp(`shard ${i}/3 \\(--shard\\): [34] of 10 studies`));
      all.push(...ids(run.records, 'done'));
    }
    expect(all).toHaveLength(10);
    expect(new Set(all).size).toBe(10);
    const files = await readdir(out);
    for (const id of all)
      expect(files).toEqual(expect.arrayContaining([`${id}_myo.nii.gz`, `${id}.study.json`]));
    const again = await segment([data, '--out', out, '--skip-existing'], {
      JOB_COMPLETION_INDEX: '1',
      JOB_COMPLETIONS: '3',
    });
    expect(again.err.join('\n')).toMatch(/shard 1\/3 \(JOB_COMPLETION_INDEX\/JOB_COMPLETIONS\)/);
    expect(ids(again.records, 'skipped')).toHaveLength(3);
    expect(ids(again.records, 'done')).toEqual([]);
  }, 120_000);

  it('after a crash, --skip-existing redoes only the studies without a valid record', async () => {
    const out = join(dir, 'resumed');
    const first = await segment([data, '--out', out]);
    const done = ids(first.records, 'done');
    expect(done).toHaveLength(10);
    const record = JSON.parse(await readFile(join(out, `${done[0]}.study.json`), 'utf8'));
    expect(record).toMatchObject({ format: 'myoseg-study', id: done[0], slices: expect.any(Number) });
    expect(record.massG[0]).toBeCloseTo(record.volumeMl[0] * 1.05, 9);
    expect(first.records[0]).toMatchObject({
      status: 'done',
      volumeMl: record.volumeMl.length ? expect.any(Array) : [],
    });
    await rm(join(out, `${done[1]}.study.json`)); // killed before its record
    await writeFile(join(out, `${done[2]}_myo.nii.gz`), 'half-written'); // an output changed since
    const rerun = await segment([data, '--out', out, '--skip-existing']);
    expect(ids(rerun.records, 'done').sort()).toEqual([done[1], done[2]].sort());
    expect(ids(rerun.records, 'skipped')).toHaveLength(8);
  }, 120_000);

  it('--list: a corrupt or missing study fails alone, with its code, in failures.csv', async () => {
    const out = join(dir, 'listed');
    const images = (await readdir(join(data, 'training', 'patient001'))).filter((f) =>
      /frame\d+\.nii\.gz$/.test(f),
    );
    await writeFile(join(dir, 'corrupt.nii.gz'), 'not a nifti');
    const list = join(dir, 'studies.csv');
    await writeFile(
      list,
      [
        'input,name',
        `data/training/patient001/${images[0]},s-ed`,
        'corrupt.nii.gz,s-bad',
        'nowhere.nii.gz',
        `data/training/patient001/${images[1]}`,
      ].join('\n'),
    );
    const run = await segment(['--list', list, '--out', out]);
    expect(run.code).toBe(1);
    expect(ids(run.records, 'done')).toEqual(['s-ed', images[1].replace('.nii.gz', '')]);
    const failed = run.records.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.id).sort()).toEqual(['nowhere.nii.gz', 's-bad']);
    expect(failed.find((r) => r.id === 's-bad')?.code).toMatch(/^NIFTI/);
    const csv = (await readFile(join(out, 'failures.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toBe('input,code,error');
    expect(
      csv
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual([join(dir, 'corrupt.nii.gz'), join(dir, 'nowhere.nii.gz')].sort());
    expect(run.err.at(-1)).toBe('2 written, 2 failed');
    // fixed and rerun: the stale failures.csv goes
    await writeFile(list, `data/training/patient001/${images[0]},s-ed\n`);
    expect((await segment(['--list', list, '--out', out, '--skip-existing'])).code).toBe(0);
    expect(await readdir(out)).not.toContain('failures.csv');
    // a failures.csv that myoseg did not write is never replaced nor removed
    await writeFile(join(out, 'failures.csv'), 'my own notes\n');
    await writeFile(list, 'nowhere.nii.gz\n');
    const mine = await segment(['--list', list, '--out', out]);
    expect(mine.code).toBe(2); // nothing segmented, the one input refused
    expect(mine.err.join('\n')).toMatch(/failures\.csv is not a myoseg failures list; left as it is/);
    expect(await readFile(join(out, 'failures.csv'), 'utf8')).toBe('my own notes\n');
  }, 120_000);

  it('refuses bad batch options before any work (exit 2)', async () => {
    const cases: [string[], RegExp][] = [
      [[data, '--out', join(dir, 'x'), '--shard', '3/3'], /--shard 3\/3: expected i\/n/],
      [['--out', join(dir, 'x')], /give NIfTI files or folders, or --list FILE/],
      [[data, '--out', join(dir, 'x'), '--json'], /--log ndjson and --json both write stdout/],
    ];
    for (const [args, message] of cases) {
      const run = captureIo();
      expect(await main(['segment', ...args, '--log', 'ndjson'], run.io)).toBe(2);
      expect(run.err.at(-1)).toMatch(message);
    }
  });
});
