// `npm test`: executes myoseg.ipynb on the tslab kernel with Jupyter's nbconvert and fails on any error. The
// kernel is registered in a temporary folder (JUPYTER_PATH), so nothing global is installed. Needs the packages
// built (`npm run build`) and Jupyter (Debian: jupyter-nbconvert jupyter-client python3-ipykernel).
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
const here = join(import.meta.dirname, '..');
const tslab = join(createRequire(import.meta.url).resolve('tslab/package.json'), '..', 'bin', 'tslab');

/** The Python that runs `jupyter` (its shebang), which `tslab install` must use to find jupyter_client. */
function jupyterPython() {
  let jupyter;
  try {
    jupyter = execFileSync('sh', ['-c', 'command -v jupyter'], { encoding: 'utf8' }).trim();
    execFileSync(jupyter, ['nbconvert', '--version'], { stdio: 'ignore' });
  } catch {
    console.error(
      'examples/notebook: Jupyter with nbconvert is not installed, and the notebook test needs it.\n' +
        'Debian/Ubuntu: apt-get install -y jupyter-nbconvert jupyter-client python3-ipykernel\n' +
        'elsewhere: pip install nbconvert jupyter_client',
    );
    process.exit(1);
  }
  const shebang = execFileSync('head', ['-n', '1', jupyter], { encoding: 'utf8' });
  const argv = shebang.replace(/^#!/, '').trim().split(/\s+/);
  return argv[0].endsWith('/env') ? argv[1] : argv[0];
}

const t0 = performance.now();
const python = jupyterPython();
const tmp = await mkdtemp(join(tmpdir(), 'myoseg-notebook-'));
try {
  await exec(tslab, ['install', '--prefix', tmp, '--binary', tslab, '--python', python]);
  const env = {
    ...process.env,
    JUPYTER_PATH: join(tmp, 'share', 'jupyter'),
    JUPYTER_RUNTIME_DIR: join(tmp, 'runtime'),
  };
  // --allow-errors, to report every failing cell below: tslab writes compile errors to stderr, runtime ones as
  // error outputs
  await exec(
    'jupyter',
    [
      'nbconvert',
      '--to',
      'notebook',
      '--execute',
      '--allow-errors',
      '--ExecutePreprocessor.kernel_name=tslab',
      '--ExecutePreprocessor.timeout=300',
      '--ExecutePreprocessor.record_timing=True', // tslab sets no execution_count: this says a cell ran
      '--output-dir',
      tmp,
      '--output',
      'executed.ipynb',
      'myoseg.ipynb',
    ],
    { cwd: here, env, maxBuffer: 64 << 20 },
  ).catch((e) => {
    throw new Error(`jupyter nbconvert could not execute myoseg.ipynb:\n${e.stderr ?? e.message}`);
  });

  const notebook = JSON.parse(await readFile(join(tmp, 'executed.ipynb'), 'utf8'));
  const problems = notebook.cells.flatMap((cell, i) => {
    if (cell.cell_type !== 'code') return [];
    const where = `cell ${i} (${[cell.source].flat().join('').split('\n')[0]})`;
    if (!cell.metadata.execution?.['shell.execute_reply']) return [`${where}: not executed`];
    return cell.outputs
      .filter((o) => o.output_type === 'error' || o.name === 'stderr')
      .map((o) =>
        o.output_type === 'error'
          ? `${where}: ${o.ename}: ${o.evalue}\n${[o.traceback].flat().join('\n')}`
          : `${where}: stderr: ${[o.text].flat().join('')}`,
      );
  });
  assert.ok(problems.length === 0, `myoseg.ipynb failed:\n${problems.join('\n')}`);
  const outputs = notebook.cells.flatMap((c) => c.outputs ?? []);
  const images = outputs.filter((o) => o.data?.['image/png']).length;
  assert.equal(images, 2, 'expected two images: the slice with its mask, and the segmented slice');
  assert.ok(
    outputs.some((o) => [o.data?.['text/html'] ?? ''].flat().join('').includes('<svg')),
    'expected the σ regression plot (SVG)',
  );
  const text = outputs.flatMap((o) => (o.name === 'stdout' ? [o.text].flat() : [])).join('');
  assert.match(text, /Dice (0|1)\.\d{3}/, 'expected the held-out slice Dice');
  console.log(text.trimEnd().replace(/^/gm, '    '));
  console.log(`notebook: passed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
} finally {
  await rm(tmp, { recursive: true, force: true });
}
