// 'e' in the TUI: write the markdown report (and the SVG map when that renderer
// exists) next to the user, under a new name: an existing file is never touched
// (open with 'wx', and step the name on EEXIST).
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../model/report.js';

/** Renders a report to text in one format; injected so the TUI does not depend on renderers at build time. */
export type ReportRenderer = (report: Report) => string | Promise<string>;

export interface ExportRenderers {
  markdown: ReportRenderer;
  svgMap?: ReportRenderer | null;
}

export interface ExportResult {
  markdownPath: string;
  mapPath: string | null;
}

function stamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}`;
}

/** Create a file that did not exist: base.ext, base-2.ext, base-3.ext ... */
export async function writeNewFile(directory: string, base: string, extension: string, content: string): Promise<string> {
  for (let attempt = 1; attempt <= 1000; attempt++) {
    const path = join(directory, `${base}${attempt === 1 ? '' : `-${attempt}`}.${extension}`);
    try {
      const handle = await open(path, 'wx');
      try {
        await handle.writeFile(content, 'utf8');
      } finally {
        await handle.close();
      }
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
  }
  throw new Error(`no free file name for ${base}.${extension} in ${directory}`);
}

export async function exportReport(report: Report, directory: string, renderers: ExportRenderers, now: Date): Promise<ExportResult> {
  const base = `netsleuth-report-${stamp(now)}`;
  const markdownPath = await writeNewFile(directory, base, 'md', await renderers.markdown(report));
  const mapPath = renderers.svgMap ? await writeNewFile(directory, `${base}-map`, 'svg', await renderers.svgMap(report)) : null;
  return { markdownPath, mapPath };
}
