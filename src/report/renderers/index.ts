// The renderer registry: `--format` choices and help text are built from it.
import type { Report } from '../../model/report.js';
import { renderCsv } from './csv.js';
import { renderJson, renderJsonBytes } from './json.js';
import { renderMarkdown, type MarkdownOptions } from './markdown.js';

export type ReportFormat = 'md' | 'json' | 'csv' | 'html';

export interface ReportRenderer {
  format: ReportFormat;
  /** File extension written with -o when the name has none. */
  extension: string;
  description: string;
  /** May load its module on first use (the HTML page pulls in the map renderer). */
  render: (report: Report, options: MarkdownOptions) => string | Promise<string>;
  /**
   * The same text in pieces, made as they are written (big reports never exist as one string).
   * With terminalSafe the pieces are already escaped as safeStream would escape them.
   */
  renderChunks?: (report: Report, options: MarkdownOptions & { terminalSafe?: boolean }) => Iterable<string | Uint8Array>;
}

export const REPORT_RENDERERS: readonly ReportRenderer[] = [
  { format: 'md', extension: '.md', description: 'markdown for people (default)', render: renderMarkdown },
  { format: 'json', extension: '.json', description: `stable JSON for pipelines (schemaVersion)`, render: (report) => renderJson(report), renderChunks: (report, options) => renderJsonBytes(report, options.terminalSafe === true ? { terminalSafe: true } : {}) },
  { format: 'csv', extension: '.csv', description: 'one row per remote, RFC 4180, formula-safe', render: (report) => renderCsv(report) },
  { format: 'html', extension: '.html', description: 'one self-contained page for a browser (sortable tables, map, host panel)', render: async (report) => (await import('./html.js')).renderHtml(report) },
];

export function findRenderer(format: string): ReportRenderer | undefined {
  return REPORT_RENDERERS.find((renderer) => renderer.format === format);
}
