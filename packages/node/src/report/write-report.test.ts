import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ReportFormatError } from './read-run-report';
import { renderReportHtml } from './render-html';
import { sampleRunReport } from './test-support';
import { writeReport } from './write-report';

describe('writeReport', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'myoseg-report-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('writes report.html (creating the folder) and leaves no temporary file', async () => {
    const dir = join(tempDir(), 'run');
    const report = sampleRunReport();
    const path = await writeReport(dir, report);
    expect(path).toBe(join(dir, 'report.html'));
    expect(readFileSync(path, 'utf8')).toBe(renderReportHtml(report));
    expect(readdirSync(dir)).toEqual(['report.html']);
    await writeReport(dir, { ...report, title: 'again' });
    expect(readFileSync(path, 'utf8')).toContain('<title>again</title>');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('writes nothing for a malformed report', async () => {
    const dir = tempDir();
    await expect(
      writeReport(dir, { ...sampleRunReport(), notes: 'x' as unknown as string[] }),
    ).rejects.toThrow(ReportFormatError);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes its temporary file when the rename fails', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'report.html')); // a folder where the file should go
    await expect(writeReport(dir, sampleRunReport())).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['report.html']);
  });
});
