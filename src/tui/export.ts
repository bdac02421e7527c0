// 'e' in the TUI: write the markdown report (and the SVG map and the HTML page when
// those renderers exist) next to the user, under a new name: an existing file is never
// touched (written beside it and linked into place; the name steps on EEXIST).
import { basename } from 'node:path';
import type { Report } from '../model/report.js';
import { writeNewFile } from '../output/atomic-write.js';
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

export async function exportReport(report: Report, directory: string, renderers: ExportRenderers, now: Date): Promise<ExportResult> {
  const base = `netsleuth-report-${stamp(now)}`;
  const svg = renderers.svgMap ? await renderers.svgMap(report) : null;
  const mapPath = svg === null ? null : await writeNewFile(directory, `${base}-map`, 'svg', svg);
  const markdownPath = await writeNewFile(directory, base, 'md', await renderers.markdown(report, mapPath === null ? null : basename(mapPath)));
  // Named after the markdown it accompanies (base-2.md -> base-2.html).
  const htmlPath = renderers.html ? await writeNewFile(directory, basename(markdownPath, '.md'), 'html', await renderers.html(report)) : null;
  return { markdownPath, mapPath, htmlPath };
}
