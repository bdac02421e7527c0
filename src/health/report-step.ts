// The analysis of a fresh capture: investigate() on connections.txt, rendered as markdown
// and as the self-contained HTML page.
// Bounded by a timeout so a slow resolver never holds a cron run past its interval.
import { Readable } from 'node:stream';
import { investigate } from '../pipeline.js';
import type { ReverseDnsOptions } from '../model/services.js';
import { renderMarkdown } from '../report/renderers/markdown.js';
import { CONNECTIONS_FILE } from './case-folder.js';
import { setLongTimeout, type LongTimeout } from '../time/long-timeout.js';

export interface ReportStepOptions {
  /** null: no reverse DNS (--no-dns). */
  rdns: ReverseDnsOptions | null;
  trace: boolean;
  now: Date;
  timeoutMs: number;
  env: NodeJS.ProcessEnv;
  stderr: NodeJS.WritableStream;
}

/** The report as markdown and HTML, or an error message (the capture stays useful without it). */
export async function buildCaseReport(captureDir: string, options: ReportStepOptions): Promise<{ markdown: string; html: string } | { error: string }> {
  let timer: LongTimeout | undefined;
  const deadline = new Promise<{ error: string }>((resolve) => {
    timer = setLongTimeout(() => resolve({ error: `report not finished within ${Math.round(options.timeoutMs / 1000)}s` }), options.timeoutMs);
  });
  const work = (async (): Promise<{ markdown: string; html: string } | { error: string }> => {
    try {
      const report = await investigate(
        { inputs: [CONNECTIONS_FILE], rdns: options.rdns, trace: options.trace, now: options.now },
        { stdin: Readable.from([]), stderr: options.stderr, env: options.env, cwd: captureDir },
      );
      const { renderHtml } = await import('../report/renderers/html.js');
      return { markdown: renderMarkdown(report), html: renderHtml(report) };
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  })();
  try {
    return await Promise.race([work, deadline]);
  } finally {
    timer?.clear();
  }
}
