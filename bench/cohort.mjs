// `npm run bench -- --cohort [--runs N] [--quick]`: studies per minute of `myoseg segment` (the direct loop) against
// `myoseg queue` with 1 and 2 workers on this machine, and the queue's overhead per study, on one twin cohort with
// @myoseg/pretrained's model. Each configuration runs --runs times, interleaved (the host is noisy), from process
// start to the last study written (model loading included in both). Needs Debian's redis-server; skipped without.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './lib/stats.mjs';

const cli = fileURLToPath(new URL('../packages/node/dist/cli.js', import.meta.url));
const say = (line) => process.stderr.write(`${line}\n`);

const freePort = () =>
  new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });

/** Runs the CLI to completion; resolves with its stdout. */
const myoseg = (args) =>
  new Promise((done, fail) => {
    const p = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (c) => {
      out += c;
    });
    p.on('close', (code) => (code === 0 ? done(out) : fail(new Error(`myoseg ${args[0]} exited ${code}`))));
  });

/** Starts `n` workers, waits until `total` studies are done (NDJSON `done` events), stops them; seconds. */
async function queueRun(url, queue, data, out, n, total) {
  await myoseg(['queue', 'submit', data, '--redis', url, '--queue', queue, '--out', out]);
  const t0 = performance.now();
  let done = 0;
  const workers = [];
  await new Promise((finish) => {
    for (let i = 0; i < n; i++) {
      const p = spawn(process.execPath, [cli, 'queue', 'worker', '--redis', url, '--queue', queue], {
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      workers.push(p);
      let buffer = '';
      p.stdout.on('data', (c) => {
        buffer += c;
        const lines = buffer.split('\n');
        buffer = lines.pop();
        for (const l of lines) if (l.includes('"status":"done"') && ++done === total) finish();
      });
    }
  });
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(
    workers.map((p) => {
      const closed = new Promise((r) => p.on('close', r));
      p.kill('SIGTERM');
      return closed;
    }),
  );
  return seconds;
}

/** The cohort bench; prints a table on stdout. */
export async function benchCohort(args) {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    say('cohort bench skipped: redis-server is not installed (apt-get install redis-server)');
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'myoseg-bench-cohort-'));
  const port = await freePort();
  const redis = spawn(
    'redis-server',
    ['--bind', '127.0.0.1', '--port', String(port), '--dir', work, '--save', ''],
    {
      stdio: 'ignore',
    },
  );
  const url = `redis://127.0.0.1:${port}/0`;
  try {
    await new Promise((r) => setTimeout(r, 500));
    const patients = args.quick ? 5 : 10;
    const data = join(work, 'data');
    await myoseg(['synth', '--patients', String(patients), '--seed', '11', '--out', data]);
    const total = 2 * patients;
    const times = { direct: [], 'queue, 1 worker': [], 'queue, 2 workers': [] };
    for (let run = 0; run < args.runs; run++) {
      say(`… run ${run + 1}/${args.runs}`);
      const t0 = performance.now();
      await myoseg(['segment', data, '--out', join(work, `direct-${run}`)]);
      times.direct.push((performance.now() - t0) / 1000);
      times['queue, 1 worker'].push(
        await queueRun(url, `one-${run}`, data, join(work, `one-${run}`), 1, total),
      );
      times['queue, 2 workers'].push(
        await queueRun(url, `two-${run}`, data, join(work, `two-${run}`), 2, total),
      );
    }
    const direct = median(times.direct);
    console.log(
      `cohort: ${total} studies (${patients} twin patients, ED + ES), @myoseg/pretrained, median of ${args.runs}`,
    );
    console.log('| how | s | studies/min | vs direct | overhead per study (s) |');
    console.log('|---|---|---|---|---|');
    for (const [how, list] of Object.entries(times)) {
      const s = median(list);
      console.log(
        `| ${how} | ${s.toFixed(2)} | ${((60 * total) / s).toFixed(1)} | ${(direct / s).toFixed(3)}× | ${
          how === 'direct' ? '' : ((s - direct) / total).toFixed(3)
        } |`,
      );
    }
  } finally {
    redis.kill('SIGTERM');
    rmSync(work, { recursive: true, force: true });
  }
}
