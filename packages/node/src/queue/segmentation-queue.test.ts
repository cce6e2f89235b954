import { type ChildProcess, spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readNifti } from '@myoseg/datasets';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io';
import { hasRedisServer, startRedis, type TestRedis } from '../../test/redis-server';
import { synthesizeSmallTwin } from '../../test/small-twin';
import { planStudies } from '../batch/studies';
import { finishedStudy } from '../batch/study-record';
import { main } from '../cli/program';
import { redisConnection } from './connection';
import { createSegmentationQueue } from './segmentation-queue';

// Workers are the built `myoseg` binary (`npm run build` first), so that one can be killed with SIGKILL.
const cli = join(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const LOCK_MS = 2000;

let dir: string;
let data: string;
let redis: TestRedis;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  if (!hasRedisServer()) return;
  dir = await mkdtemp(join(tmpdir(), 'myoseg-queue-'));
  data = join(dir, 'data');
  // 6 patients × ED/ES = 12 studies
  await synthesizeSmallTwin(data, 6, 5);
  redis = await startRedis();
}, 60_000);
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  await redis?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** A worker process; its NDJSON events as they come. */
function startWorker(queue: string) {
  const events: { id: string; status: string }[] = [];
  const p = spawn(
    process.execPath,
    [cli, 'queue', 'worker', '--redis', redis.url, '--queue', queue, '--lock-duration', String(LOCK_MS)],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MYOSEG_BACKEND: 'cpu' } },
  );
  let buffer = '';
  p.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const l of lines) if (l.startsWith('{')) events.push(JSON.parse(l));
  });
  workers.push(p);
  return { p, events };
}

/** Polls `until` every 200 ms, at most `ms`. */
async function waitFor(until: () => Promise<boolean> | boolean, ms: number, what: string) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await until()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

const status = async (queue: string) => {
  const { io, out } = captureIo();
  expect(await main(['queue', 'status', '--redis', redis.url, '--queue', queue, '--json'], io)).toBe(0);
  return JSON.parse(out[0]);
};

const submit = async (queue: string, out: string, extra: string[] = []) => {
  const run = captureIo();
  const code = await main(
    ['queue', 'submit', data, ...extra, '--redis', redis.url, '--queue', queue, '--out', out],
    run.io,
  );
  return { code, line: run.out[0] };
};

const maskOf = async (file: string) =>
  readNifti(await readFile(file), { name: file, gunzip: gunzipSync }).data;

describe.skipIf(!hasRedisServer())('myoseg queue (BullMQ on a test Redis)', () => {
  it('submitting the same cohort twice adds each study once', async () => {
    const out = join(dir, 'idempotent');
    expect(await submit('idem', out)).toEqual({
      code: 0,
      line: '12 submitted, 0 already queued, 0 not submitted',
    });
    expect(await submit('idem', out)).toEqual({
      code: 0,
      line: '0 submitted, 12 already queued, 0 not submitted',
    });
    expect((await status('idem')).counts).toEqual({
      waiting: 12,
      active: 0,
      completed: 0,
      failed: 0,
      delayed: 0,
    });
  });

  it('a worker killed mid-study, and a Redis restart, lose nothing; a poison study fails alone', async () => {
    const out = join(dir, 'crash');
    const poison = join(dir, 'poison');
    await rm(poison, { recursive: true, force: true });
    await mkdir(poison);
    await writeFile(join(poison, 'corrupt.nii.gz'), 'not a nifti at all');
    await submit('crash', out);
    const { code } = await submit('crash', out, [poison]);
    expect(code).toBe(0);
    const a = startWorker('crash');
    const b = startWorker('crash');
    // kill -9 worker a while a study is in flight
    await waitFor(() => a.events.some((e) => e.status === 'started'), 60_000, 'worker a to start a study');
    a.p.kill('SIGKILL');
    // restart Redis (AOF) while b works on
    await waitFor(async () => (await status('crash')).counts.completed >= 3, 90_000, '3 completed');
    await redis.stop();
    await redis.start();
    await waitFor(
      async () => {
        const s = await status('crash');
        return s.counts.completed + s.counts.failed === 13;
      },
      120_000,
      'every study to finish',
    );
    const s = await status('crash');
    expect(s.counts).toMatchObject({ completed: 12, failed: 1, waiting: 0, active: 0 });
    expect(s.failed).toHaveLength(1);
    expect(s.failed[0].input).toBe(join(poison, 'corrupt.nii.gz'));
    expect(s.failed[0].reason).toMatch(/^NIFTI_FORMAT: /);
    // bad input is not retried: one 'failed' event for it
    expect(b.events.filter((e) => e.status === 'failed')).toHaveLength(1);

    // every study has complete outputs, equal to what `myoseg segment` writes for it
    const direct = join(dir, 'direct');
    expect(await main(['segment', data, '--out', direct], captureIo().io)).toBe(0);
    const { studies } = await planStudies([data], undefined, null);
    expect(studies).toHaveLength(12);
    for (const study of studies) {
      expect(await finishedStudy(out, study.name), study.name).not.toBeNull();
      const mask = `${study.name}_myo.nii.gz`;
      expect(Array.from(await maskOf(join(out, mask)))).toEqual(Array.from(await maskOf(join(direct, mask))));
    }
    expect((await readdir(out)).filter((f) => f.includes('.tmp'))).toEqual([]);

    // the poison study fixed and sent back with --retry-failed: it completes, nothing else is added
    const good = (await readdir(join(data, 'training', 'patient001'))).find((f) =>
      /frame\d+\.nii\.gz$/.test(f),
    );
    await cp(join(data, 'training', 'patient001', good as string), join(poison, 'corrupt.nii.gz'));
    expect((await submit('crash', out, [poison, '--retry-failed'])).line).toBe(
      '0 submitted, 12 already queued, 0 not submitted, 1 failed studies retried',
    );
    await waitFor(async () => (await status('crash')).counts.completed === 13, 60_000, 'the retried study');
    expect((await status('crash')).counts).toMatchObject({ completed: 13, failed: 0 });

    // SIGTERM: b finishes and exits 0
    const exited = new Promise<number | null>((done) => b.p.once('exit', done));
    b.p.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 300_000);

  it('refuses a bad Redis URL with a one-line error (exit 2)', async () => {
    const run = captureIo();
    expect(await main(['queue', 'status', '--redis', 'http://x'], run.io)).toBe(2);
    expect(run.err.at(-1)).toMatch(/--redis http:\/\/x: expected a URL like redis:\/\//);
    expect(redisConnection('redis://u:p%40ss@h:7000/3')).toMatchObject({
      host: 'h',
      port: 7000,
      db: 3,
      password: 'p@ss',
    });
    const queue = await createSegmentationQueue({ connection: redisConnection(redis.url), name: 'empty' });
    expect(await queue.status()).toEqual({
      counts: { waiting: 0, active: 0, completed: 0, failed: 0, delayed: 0 },
      failed: [],
    });
    await queue.close();
  });
});
