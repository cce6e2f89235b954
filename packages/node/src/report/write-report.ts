import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderReportHtml } from './render-html';
import type { RunReport } from './run-report-schema';

/**
 * Renders `report` and writes it to `dir/report.html` atomically: a temporary file in `dir` is written,
 * then renamed over the target, so a reader never sees a half-written page and a failure leaves no
 * temporary file behind. `dir` is created if missing.
 *
 * @param dir - the run folder.
 * @param report - the run's report.
 * @returns the path of the written `report.html`.
 * @throws {@link ReportFormatError} for a malformed report (nothing is written); the file system's error
 *   when `dir` cannot be written.
 */
export async function writeReport(dir: string, report: RunReport): Promise<string> {
  if (typeof dir !== 'string' || dir.length === 0) {
    throw new TypeError(`writeReport: dir must be a non-empty path, got ${String(dir)}`);
  }
  const html = renderReportHtml(report);
  await mkdir(dir, { recursive: true });
  const target = join(dir, 'report.html');
  const temp = join(dir, `.report.html.${process.pid}.${process.hrtime.bigint()}.tmp`);
  try {
    await writeFile(temp, html, 'utf8');
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return target;
}
