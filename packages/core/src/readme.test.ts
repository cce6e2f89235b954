import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('README', () => {
  it('shows the core quick-start example exactly as CI runs it', () => {
    const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
    const example = readFileSync(
      new URL('../../../examples/core-quickstart/quickstart.mjs', import.meta.url),
      'utf8',
    );
    expect(readme).toContain(example);
  });
});
