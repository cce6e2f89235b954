import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureIo } from '../../test/capture-io';
import { INPUT_ERROR_CODES } from './input-error-codes';
import { main } from './program';

const repo = join(import.meta.dirname, '..', '..', '..', '..');

/** Every `code` a MyosegError subclass of the packages' sources declares. */
async function declaredCodes(): Promise<Set<string>> {
  const codes = new Set<string>();
  for (const pkg of await readdir(join(repo, 'packages'))) {
    const src = join(repo, 'packages', pkg, 'src');
    const files = await readdir(src, { recursive: true }).catch(() => [] as string[]);
    for (const file of files.filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const text = await readFile(join(src, file), 'utf8');
      for (const m of text.matchAll(/override readonly code: string = '([A-Z_]+)'/g)) codes.add(m[1]);
    }
  }
  return codes;
}

describe('docs/guides/errors.md', () => {
  it('lists every error code once, with the exit code the CLI gives it', async () => {
    const guide = await readFile(join(repo, 'docs', 'guides', 'errors.md'), 'utf8');
    const rows = [...guide.matchAll(/^\| `([A-Z_]+)` \| (\d) \|/gm)].map(
      (m) => [m[1], Number(m[2])] as const,
    );
    expect(rows.map(([code]) => code).sort()).toEqual([...(await declaredCodes())].sort());
    for (const [code, exit] of rows) expect(exit, code).toBe(INPUT_ERROR_CODES.has(code) ? 2 : 1);
  });

  it('is named by `myoseg --help` and the README', async () => {
    const { io, out } = captureIo();
    await main(['--help'], io);
    expect(out.join('\n')).toContain('docs/guides/errors.md');
    expect(await readFile(join(repo, 'README.md'), 'utf8')).toContain('(docs/guides/errors.md)');
  });
});
