// Modules other issues deliver (markdown/SVG renderers, live traceroute) are
// loaded at run time by path, so the TUI builds and runs before they exist and
// says "not available" instead of failing. Each loader checks the export's shape.
import type { Report } from '../model/report.js';
import type { TracePath } from '../model/trace.js';
import type { ReportRenderer } from './export.js';
import type { TraceRunner } from './hooks/use-traces.js';

async function importOptional(specifier: string): Promise<Record<string, unknown> | null> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return null;
    throw error;
  }
}

function firstFunction(module: Record<string, unknown> | null, names: string[]): ((...args: unknown[]) => unknown) | null {
  for (const name of names) {
    const candidate = module?.[name];
    if (typeof candidate === 'function') return candidate as (...args: unknown[]) => unknown;
  }
  return null;
}

export async function loadMarkdownRenderer(): Promise<ReportRenderer | null> {
  const render = firstFunction(await importOptional('../report/renderers/markdown.js'), ['renderMarkdown']);
  return render ? (report: Report) => render(report) as string | Promise<string> : null;
}

export async function loadSvgMapRenderer(): Promise<ReportRenderer | null> {
  const render = firstFunction(await importOptional('../report/renderers/svg-map.js'), ['renderSvgMap', 'renderSvg']);
  return render ? (report: Report) => render(report) as string | Promise<string> : null;
}

/** Per-trace limits for 't' and background traces: a full 30-hop trace with silent hops takes ~20 s. */
const TRACE_TIMEOUT_MS = 30_000;

export async function loadTraceRunner(options: { env: NodeJS.ProcessEnv }): Promise<TraceRunner | null> {
  // src/trace/live.ts: runLiveTraces(ips, { perTraceTimeoutMs, totalTimeoutMs, concurrency, env }) -> [{ path, error }]
  const run = firstFunction(await importOptional('../trace/live.js'), ['runLiveTraces']);
  if (!run) return null;
  return async (ip: string) => {
    const results = (await run([ip], { perTraceTimeoutMs: TRACE_TIMEOUT_MS, totalTimeoutMs: TRACE_TIMEOUT_MS + 5_000, concurrency: 1, env: options.env })) as { path: TracePath | null; error: string | null }[];
    const first = results[0];
    if (!first?.path) throw new Error(first?.error ?? 'no trace result');
    return first.path;
  };
}
