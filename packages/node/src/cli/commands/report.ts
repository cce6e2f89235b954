import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../../errors';
import { readRunReport, writeReport } from '../../report';
import type { CliIo } from '../io';

/** `myoseg report RUN_DIR`: renders `RUN_DIR/report.json` as a self-contained `RUN_DIR/report.html`. */
export async function reportCommand(io: CliIo, runDir: string, options: { json?: boolean }): Promise<number> {
  const source = join(runDir, 'report.json');
  const text = await readFile(source, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new InputError(
      `${source}: cannot read (${e.code ?? e.message}); run \`myoseg demo --out ${runDir}\` first`,
    );
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const path = await writeReport(runDir, readRunReport(json, source));
  io.out(options.json ? JSON.stringify({ report: path }) : `wrote ${path}`);
  return 0;
}
