// 'e' in the TUI: write the markdown report (and the SVG map and the HTML page when
// those renderers exist) next to the user, under a new name: an existing file is never
// touched (open with 'wx', and step the name on EEXIST).
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Report } from '../model/report.js';
import { utcStamp } from '../time/utc.js';

export interface ExportRenderers {
  /** mapHref: file name of the map written beside it, for a link; null when none. */
  markdown: (report: Report, mapHref: string | null) => string | Promise<string>;
  /** null when there is nothing to draw. */
  svgMap?: ((report: Report) => string | null | Promise<string | null>) | null;
  /** The self-contained HTML page, written beside the markdown. */
  html?: ((report: Report) => string | Promise<string>) | null;
}

export interface ExportResult {
  markdownPath: string;
  mapPath: string | null;
  htmlPath: string | null;
}

/** 20261128-170500 */
function stamp(date: Date): string {
  return utcStamp(date).replace('T', '-').slice(0, -1);
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
  const svg = renderers.svgMap ? await renderers.svgMap(report) : null;
  const mapPath = svg === null ? null : await writeNewFile(directory, `${base}-map`, 'svg', svg);
  const markdownPath = await writeNewFile(directory, base, 'md', await renderers.markdown(report, mapPath === null ? null : basename(mapPath)));
  // Named after the markdown it accompanies (base-2.md -> base-2.html).
  const htmlPath = renderers.html ? await writeNewFile(directory, basename(markdownPath, '.md'), 'html', await renderers.html(report)) : null;
  return { markdownPath, mapPath, htmlPath };
}
