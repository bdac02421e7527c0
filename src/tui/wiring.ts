// What the TUI needs from the rest of netsleuth, loaded lazily (only on the TUI
// path): the report renderers for 'e' (markdown, map, HTML page), and a live traceroute for 't'.
import type { TracePath } from '../model/trace.js';
import type { ExportRenderers } from './export.js';
import type { TraceRunner } from './hooks/use-traces.js';

export async function loadExportRenderers(): Promise<ExportRenderers> {
  const [{ renderMarkdown }, { renderSvgMap }, { renderHtml }] = await Promise.all([
    import('../report/renderers/markdown.js'),
    import('../report/renderers/svg-map.js'),
    import('../report/renderers/html.js'),
  ]);
  return {
    markdown: (report, mapHref) => renderMarkdown(report, { mapHref }),
    // An empty map is no evidence: only write one when something was located.
    svgMap: (report) => ((report.map?.length ?? 0) > 0 ? renderSvgMap(report) : null),
    html: renderHtml,
  };
}

/** A full 30-hop trace with silent hops takes ~20 s. */
const TRACE_TIMEOUT_MS = 30_000;

/** One live traceroute per 't' (src/trace/live.ts picks traceroute, mtr or tracepath from PATH). */
export function liveTraceRunner(env: NodeJS.ProcessEnv): TraceRunner {
  return async (ip: string): Promise<TracePath> => {
    const { runLiveTraces } = await import('../trace/live.js');
    const [result] = await runLiveTraces([ip], { perTraceTimeoutMs: TRACE_TIMEOUT_MS, totalTimeoutMs: TRACE_TIMEOUT_MS + 5_000, concurrency: 1, env });
    if (!result?.path) throw new Error(result?.error ?? 'no trace result');
    return result.path;
  };
}
