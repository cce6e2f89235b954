// The system (Debian) packages that some test suites need, listed, checked and installed in one place.
//   node scripts/system-deps.mjs SUITE|PKG...                    make sure they are there (--all: every suite's)
//   node scripts/system-deps.mjs SUITE|PKG... -- COMMAND ARGS... then run COMMAND (the suite that needs them)
// Missing packages are installed with apt-get where we run as root on Debian (a fresh container). Where that is not
// possible: with CI=true it fails; otherwise it skips the suite (exit 0, COMMAND not run) with a loud line that
// names the install command, and leaves .system-deps-skipped.json for the `npm test` summary.
// Used by .ci/run (--all, before `npm ci`) and by the test scripts of examples/browser and examples/notebook.
import { execSync, spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';

/** Each suite's Debian packages. A new need is one line here, and the suite's test script calling this file. */
const SUITES = {
  'browser-e2e': ['chromium', 'libvulkan1'], // examples/browser: playwright-core drives Debian's Chromium (WebGPU on SwiftShader: Vulkan)
  notebook: ['jupyter-nbconvert', 'jupyter-client', 'python3-ipykernel'], // examples/notebook: nbconvert + tslab
  queue: ['redis-server'], // packages/node/src/queue: the tests start their own Redis on a loopback port
  webgpu: ['chromium', 'libvulkan1'], // packages/node/src/onnx/webgpu.test.ts: onnxruntime's WebGPU on SwiftShader Vulkan
  'dicom-seg': ['dicom3tools'], // packages/datasets/src/dicom/seg.test.ts: dciodvfy checks a SEG written by the test
};

/**
 * How to tell that a package's program is there when dpkg does not know it (a shell command that succeeds, or a
 * function): Chromium at CHROMIUM_PATH, Jupyter from pip. dpkg-query is asked first.
 */
const PROBES = {
  chromium: () => existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'), // what test/e2e.mjs launches
  'jupyter-nbconvert': 'jupyter nbconvert --version',
  'jupyter-client': 'jupyter kernelspec --version',
  'python3-ipykernel': 'python3 -c "import ipykernel"',
  'redis-server': 'command -v redis-server',
  dcm2niix: 'command -v dcm2niix',
  dicom3tools: 'command -v dciodvfy',
  'python3-pydicom': 'python3 -c "import pydicom"',
};

const root = resolve(import.meta.dirname, '..');
const skippedFile = '.system-deps-skipped.json';

const ok = (command) => {
  try {
    execSync(command, { stdio: 'ignore', shell: '/bin/sh' });
    return true;
  } catch {
    return false;
  }
};
const installed = (pkg) => {
  if (ok(`dpkg-query -W -f='\${Status}' ${pkg} 2>/dev/null | grep -q 'install ok installed'`)) return true;
  const probe = PROBES[pkg];
  return typeof probe === 'function' ? probe() : probe !== undefined && ok(probe);
};
const missingOf = (packages) => packages.filter((pkg) => !installed(pkg));

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const names = dash < 0 ? argv : argv.slice(0, dash);
const packages = [
  ...new Set((names.includes('--all') ? Object.keys(SUITES) : names).flatMap((n) => SUITES[n] ?? [n])),
];
const command = dash < 0 ? [] : argv.slice(dash + 1);
const suite = `${relative(root, process.cwd()) || '.'} (${names.join(' ')})`;
const ci = Boolean(process.env.CI) && !['false', '0'].includes(process.env.CI);
if (packages.length === 0 || packages.some((p) => !/^[a-z0-9][a-z0-9.+-]+$/.test(p))) {
  console.error('usage: node scripts/system-deps.mjs SUITE|DEBIAN-PACKAGE...|--all [-- COMMAND ARGS...]');
  process.exit(2);
}

let missing = missingOf(packages);
const canInstall = process.getuid?.() === 0 && ok('command -v apt-get');
if (missing.length > 0 && canInstall) {
  console.log(`${suite}: installing ${missing.join(' ')} (apt-get, as root)`);
  const apt = 'DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300';
  try {
    execSync(`apt-get update -qq && ${apt} install -y -qq ${missing.join(' ')}`, {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {} // said on stderr; what is still missing is reported below
  missing = missingOf(missing);
}

if (missing.length > 0) {
  const install = `apt-get install -y ${missing.join(' ')}`;
  if (ci || command.length === 0) {
    console.error(
      `${suite}: missing system package(s) ${missing.join(', ')}${canInstall ? ' (still missing after apt-get install)' : ''}; ` +
        `install them (Debian, as root): ${install}`,
    );
    process.exit(1);
  }
  const bar = '!'.repeat(100);
  console.error(
    `\n${bar}\n!!! SKIPPED ${suite}: \`${command.join(' ')}\` needs ${missing.join(', ')}. ` +
      `Install (Debian, as root): ${install}\n${bar}\n`,
  );
  writeFileSync(skippedFile, `${JSON.stringify({ suite, command: command.join(' '), missing, install })}\n`);
  process.exit(0);
}

rmSync(skippedFile, { force: true });
if (command.length > 0) {
  const run = spawnSync(command[0], command.slice(1), { stdio: 'inherit' });
  if (run.error) throw run.error;
  process.exit(run.status ?? 1);
}
